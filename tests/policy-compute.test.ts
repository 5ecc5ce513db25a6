import assert from "node:assert/strict";
import { test } from "node:test";
import {
  EBS_VOLUME,
  EIP,
  EIP_ASSOCIATION,
  INSTANCE,
  LAUNCH_TEMPLATE,
  PUBLIC_IP_JUSTIFICATION_TAG,
  ebsEncrypted,
  ec2ElasticIpJustified,
  ec2ImdsHopLimit,
  ec2Imdsv2Required,
  ec2PublicIpJustified,
  ec2UserDataNoSecrets,
} from "../policy/rules/aws-compute";
import { findSecretMaterial } from "../policy/rules/secret-patterns";
import { stackViolations, violations } from "./helpers/policy";

const instance = (props: Record<string, unknown>) => ({ type: INSTANCE, name: "oracle", props });

test("IMDSv2: httpTokens required (or the endpoint off) passes; optional or unset fails", () => {
  assert.deepEqual(
    violations(ec2Imdsv2Required, instance({ metadataOptions: { httpTokens: "required" } })),
    [],
  );
  assert.deepEqual(
    violations(ec2Imdsv2Required, instance({ metadataOptions: { httpEndpoint: "disabled" } })),
    [],
  );
  const expected = ['oracle: metadataOptions.httpTokens must be "required" (IMDSv2)'];
  assert.deepEqual(
    violations(ec2Imdsv2Required, instance({ metadataOptions: { httpTokens: "optional" } })),
    expected,
  );
  assert.deepEqual(violations(ec2Imdsv2Required, instance({})), expected);
  const template = { type: LAUNCH_TEMPLATE, name: "lt", props: {} };
  assert.equal(violations(ec2Imdsv2Required, template).length, 1);
});

test("IMDS hop limit: 1 (or the endpoint off) passes; 2 or unset fails, on instances and launch templates", () => {
  const options = (metadataOptions: Record<string, unknown>) => instance({ metadataOptions });
  assert.deepEqual(
    violations(ec2ImdsHopLimit, options({ httpTokens: "required", httpPutResponseHopLimit: 1 })),
    [],
  );
  assert.deepEqual(violations(ec2ImdsHopLimit, options({ httpEndpoint: "disabled" })), []);
  const expected = ["oracle: metadataOptions.httpPutResponseHopLimit must be 1"];
  assert.deepEqual(
    violations(ec2ImdsHopLimit, options({ httpTokens: "required", httpPutResponseHopLimit: 2 })),
    expected,
  );
  assert.deepEqual(violations(ec2ImdsHopLimit, options({ httpTokens: "required" })), expected);
  const template = (metadataOptions: Record<string, unknown>) => ({
    type: LAUNCH_TEMPLATE,
    name: "lt",
    props: { metadataOptions },
  });
  assert.deepEqual(violations(ec2ImdsHopLimit, template({ httpPutResponseHopLimit: 1 })), []);
  assert.equal(violations(ec2ImdsHopLimit, template({ httpPutResponseHopLimit: 3 })).length, 1);
  assert.deepEqual(violations(ec2ImdsHopLimit, { type: EBS_VOLUME, name: "data", props: {} }), []);
});

test("EBS: encrypted root, extra devices and volumes pass; anything unencrypted or unset fails", () => {
  const ok = instance({ rootBlockDevice: { encrypted: true }, ebsBlockDevices: [{ encrypted: true }] });
  assert.deepEqual(violations(ebsEncrypted, ok), []);
  assert.deepEqual(violations(ebsEncrypted, instance({ ebsBlockDevices: [{ encrypted: false }] })), [
    "oracle: not encrypted: rootBlockDevice, ebsBlockDevices[0]",
  ]);
  const volume = (encrypted?: boolean) => ({
    type: EBS_VOLUME,
    name: "oradata",
    props: { size: 50, encrypted },
  });
  assert.deepEqual(violations(ebsEncrypted, volume(true)), []);
  assert.deepEqual(violations(ebsEncrypted, volume(false)), ["oradata: not encrypted: the volume"]);
  assert.deepEqual(violations(ebsEncrypted, volume()), ["oradata: not encrypted: the volume"]);
  const template = (encrypted: string) => ({
    type: LAUNCH_TEMPLATE,
    name: "lt",
    props: { blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { encrypted } }] },
  });
  assert.deepEqual(violations(ebsEncrypted, template("true")), []);
  assert.deepEqual(violations(ebsEncrypted, template("false")), [
    "lt: not encrypted: blockDeviceMappings[0].ebs",
  ]);
});

test("public IP: allowed only with a non-empty justification tag", () => {
  assert.deepEqual(violations(ec2PublicIpJustified, instance({ associatePublicIpAddress: false })), []);
  const justified = instance({
    associatePublicIpAddress: true,
    tags: { [PUBLIC_IP_JUSTIFICATION_TAG]: "Confluent Cloud's managed XStream connector reaches Oracle" },
  });
  assert.deepEqual(violations(ec2PublicIpJustified, justified), []);
  const expected = [
    `oracle: requests a public IP without a '${PUBLIC_IP_JUSTIFICATION_TAG}' tag explaining why`,
  ];
  assert.deepEqual(violations(ec2PublicIpJustified, instance({ associatePublicIpAddress: true })), expected);
  const blank = instance({ associatePublicIpAddress: true, tags: { [PUBLIC_IP_JUSTIFICATION_TAG]: " " } });
  assert.deepEqual(violations(ec2PublicIpJustified, blank), expected);
});

test("elastic IPs attached to an instance need the justification tag on the EIP or the instance", () => {
  const host = (tags: Record<string, string>) => ({
    type: INSTANCE,
    name: "oracle",
    urn: "urn:i",
    props: { tags },
  });
  const eip = (tags: Record<string, string>) => ({
    type: EIP,
    name: "oracle-ip",
    urn: "urn:e",
    props: { domain: "vpc", tags },
  });
  const association = {
    type: EIP_ASSOCIATION,
    name: "oracle-ip",
    urn: "urn:a",
    props: { allocationId: "eipalloc-1", instanceId: "i-1" },
    dependencyUrns: ["urn:e", "urn:i"],
  };
  const why = { [PUBLIC_IP_JUSTIFICATION_TAG]: "Confluent's connector reaches Oracle over the internet" };
  assert.deepEqual(stackViolations(ec2ElasticIpJustified, [host({}), eip(why), association]), []);
  assert.deepEqual(stackViolations(ec2ElasticIpJustified, [host(why), eip({}), association]), []);
  assert.deepEqual(stackViolations(ec2ElasticIpJustified, [host({}), eip({}), association]), [
    {
      policy: "ec2-elastic-ip-justified",
      enforcementLevel: "mandatory",
      message: `oracle-ip: attaches a public Elastic IP without a '${PUBLIC_IP_JUSTIFICATION_TAG}' tag on the EIP or instance`,
      urn: "urn:a",
    },
  ]);
  const direct = { ...eip({}), props: { domain: "vpc", instance: "i-1" }, dependencyUrns: ["urn:i"] };
  assert.equal(stackViolations(ec2ElasticIpJustified, [host({}), direct]).length, 1);
  // A NAT gateway's EIP is not attached to an instance.
  assert.deepEqual(stackViolations(ec2ElasticIpJustified, [eip({})]), []);
});

/** User data that fetches its secrets at boot, as the Oracle host should. */
const SAFE_USER_DATA = `#!/bin/bash
set -euo pipefail
TOKEN=$(curl -sS -X PUT http://169.254.169.254/latest/api/token -H "X-aws-ec2-metadata-token-ttl-seconds: 21600")
REGION=$(curl -sS -H "X-aws-ec2-metadata-token: $TOKEN" http://169.254.169.254/latest/meta-data/placement/region)
ORACLE_PWD_SECRET_ARN="arn:aws:secretsmanager:us-east-1:123456789012:secret:fd-dev-oracle-AbCdEf"
ORACLE_PWD="$(aws secretsmanager get-secret-value --secret-id "$ORACLE_PWD_SECRET_ARN" --query SecretString --output text)"
docker run -d -e ORACLE_PWD="$ORACLE_PWD" container-registry.oracle.com/database/express:21.3.0-xe
sqlplus -s / as sysdba <<SQL
CREATE USER c##cfltadmin IDENTIFIED BY "\${ADMIN_PWD}";
CONNECT c##cfltadmin/"\${ADMIN_PWD}"@XEPDB1
SQL
# grants secretsmanager:GetSecretValue through the instance role
`;

test("user data: secrets fetched at boot pass", () => {
  assert.deepEqual(findSecretMaterial(SAFE_USER_DATA), []);
  assert.deepEqual(violations(ec2UserDataNoSecrets, instance({ userData: SAFE_USER_DATA })), []);
});

test("user data: the reference's literal passwords and keys fail, by line and kind only", () => {
  const bad = [
    "#!/bin/bash",
    "docker run -e ORACLE_PWD=Welcome1 oracle/xe",
    "sqlplus sys/Welcome1@//localhost:1521/XE as sysdba",
    "CREATE USER c##cfltuser IDENTIFIED BY password;",
    "export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE",
    "-----BEGIN RSA PRIVATE KEY-----",
  ].join("\n");
  assert.deepEqual(violations(ec2UserDataNoSecrets, instance({ userData: bad })), [
    "oracle: user data contains a credential assigned a literal value (line 2), " +
      "a connect string with a literal password (line 3), an IDENTIFIED BY with a literal password (line 4), " +
      "an AWS access key id (line 5), a private key (line 6)",
  ]);
});

test("user data: base64 user data (userDataBase64, launch templates) is decoded first", () => {
  const encoded = Buffer.from("cat >/etc/app.yaml <<EOF\ndb_password: hunter2\nEOF\n").toString("base64");
  assert.equal(violations(ec2UserDataNoSecrets, instance({ userDataBase64: encoded })).length, 1);
  const template = { type: LAUNCH_TEMPLATE, name: "lt", props: { userData: encoded } };
  assert.equal(violations(ec2UserDataNoSecrets, template).length, 1);
  const clean = {
    type: LAUNCH_TEMPLATE,
    name: "lt",
    props: { userData: Buffer.from("echo hi").toString("base64") },
  };
  assert.deepEqual(violations(ec2UserDataNoSecrets, clean), []);
});

test("secret patterns: references, pointers and settings are not secrets", () => {
  const safe = [
    "DB_PASSWORD_FILE=/run/secrets/db",
    "PASSWORD_LENGTH=32",
    'SECRET_ID="fd-dev/oracle"',
    "ADMIN_PWD=${ADMIN_PWD:?}",
    "password=",
    "ALTER USER sample IDENTIFIED BY &1;",
    "arn:aws:secretsmanager:us-east-1:123456789012:secret:x",
    "https://$USER:$PASS@host/",
    "# It holds no secret: the passwords are read from Secrets Manager at boot.",
    `printf 'DEFINE sample_pwd = "%s"\n' "$SAMPLE_PWD"`,
    `EXECUTE IMMEDIATE 'ALTER USER sample IDENTIFIED BY "&&sample_pwd"';`,
    `CONNECT c##cfltadmin/"&&cfltadmin_pwd"@//localhost:1521/XE`,
  ];
  for (const line of safe) assert.deepEqual(findSecretMaterial(line), [], line);
  const unsafe = [
    '"password": "s3cr3t"',
    "api_key=abc123",
    "token: xyz",
    "CONNECT system/manager",
    "jdbc:postgresql://app:s3cr3t@db:5432/x",
  ];
  for (const line of unsafe) assert.equal(findSecretMaterial(line).length, 1, line);
});
