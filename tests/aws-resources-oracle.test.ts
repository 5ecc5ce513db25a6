import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import { ORACLE_METRICS_NAMESPACE } from "../lib/oracle-capacity";
import { ecrRepositoryArn, oracleInstancePolicy } from "../stacks/aws-resources/oracle/host-identity";
import type { OracleUserDataParams } from "../stacks/aws-resources/oracle/user-data";
import { ORACLE } from "../stacks/aws-resources/oracle/names";
import { CDC_TABLES } from "../stacks/connector/oracle-cdc-config";
import {
  SQL_STEPS,
  UserDataError,
  nvmeDevicePath,
  renderOracleUserData,
  shellQuote,
} from "../stacks/aws-resources/oracle/user-data";
import {
  gunzipUserData,
  lineFinder,
  ORACLE_PARAMS as PARAMS,
  runBootstrapBash,
  sqlOf,
} from "./helpers/oracle-user-data";
import { ofType, one } from "./helpers/resources";
import { runStackUnderTest, sharedStackRun } from "./helpers/stack-under-test";

const script = renderOracleUserData(PARAMS);
const lineOf = lineFinder(script);
const allSql = Object.values(SQL_STEPS).map(sqlOf).join("\n");

test("the script is valid bash and strict", () => {
  execFileSync("bash", ["-n"], { input: script });
  assert.ok(script.startsWith("#!/bin/bash\n"));
  assert.match(script, /^set -euo pipefail$/m);
  assert.match(script, /^set -o errtrace$/m);
});

test("every parameter is one single-quoted assignment; the body only reads the variables", () => {
  assert.match(script, /^REGION='us-east-1'$/m);
  assert.match(script, new RegExp(`^SECRET_ARN='${PARAMS.secretArn}'$`, "m"));
  assert.match(script, /^READY_PARAMETER='\/fd-dev-a1b2\/oracle\/ready'$/m);
  assert.match(
    script,
    /^DATA_DEVICE='\/dev\/disk\/by-id\/nvme-Amazon_Elastic_Block_Store_vol0123456789abcdef0'$/m,
  );
  assert.match(script, /^ORACLE_IMAGE='container-registry\.oracle\.com\/database\/express:21\.3\.0-xe'$/m);
  assert.match(script, /^PUBLIC_IP='203\.0\.113\.10'$/m);
  assert.match(script, /^FRA_GIB='30'$/m);
  const body = script
    .split("\n")
    .filter((l) => !/^[A-Z_]+='[^']*'$/.test(l))
    .join("\n");
  for (const value of Object.values(PARAMS).filter((v) => typeof v === "string"))
    assert.ok(!body.includes(value), `${value} only in its assignment`);
});

test("shellQuote keeps hostile strings as one literal word", () => {
  const hostile = [
    "",
    "plain",
    "it's",
    "'; rm -rf / #",
    '"$(reboot)"',
    "`id`",
    "$HOME ${PATH} $((1+1))",
    "a\nb\tc",
    "\\'\\\\",
    "--help",
    "*?[a-z]",
    "ünïcødé ✓",
  ];
  for (const value of hostile) {
    const echoed = execFileSync("bash", ["-c", `printf '%s' ${shellQuote(value)}`]).toString();
    assert.equal(echoed, value);
  }
  assert.throws(() => shellQuote("a\0b"), UserDataError);
});

test("hostile or malformed parameters are refused, naming each one", () => {
  const bad: [keyof OracleUserDataParams, string][] = [
    ["region", "us-east-1'; reboot; '"],
    ["secretArn", "arn:aws:secretsmanager:us-east-1:123456789012:secret:x$(reboot)"],
    ["readyParameterName", "/a/b; curl evil"],
    ["dataVolumeId", "vol-0123456789abcdef0 /dev/sda"],
    ["image", "busybox;reboot"],
    ["publicIp", "203.0.113.10`id`"],
  ];
  for (const [key, value] of bad) {
    assert.throws(
      () => renderOracleUserData({ ...PARAMS, [key]: value }),
      (err: unknown) =>
        err instanceof UserDataError && err.message.includes(`${key} = ${JSON.stringify(value)}`),
      key,
    );
  }
});

test("IMDSv2: a session token is fetched and sent; nothing uses IMDSv1", () => {
  assert.match(
    script,
    /curl -sSf -X PUT "\$IMDS\/api\/token" -H 'X-aws-ec2-metadata-token-ttl-seconds: 21600'/,
  );
  assert.match(script, /-H "X-aws-ec2-metadata-token: \$IMDS_TOKEN" "\$IMDS\/meta-data\/\$1"/);
  const metadataCalls = script
    .split("\n")
    .filter((l) => l.includes("169.254.169.254") || l.includes("$IMDS/"));
  for (const line of metadataCalls) {
    assert.ok(/IMDS=|api\/token|X-aws-ec2-metadata-token: /.test(line), `unauthenticated IMDS call: ${line}`);
  }
});

test("no password or IDENTIFIED BY literal: passwords come from Secrets Manager at boot", () => {
  assert.match(script, /aws secretsmanager get-secret-value --region "\$REGION" --secret-id "\$SECRET_ARN"/);
  assert.doesNotMatch(script, /Welcome1|password123|ORACLE_PWD=[^%]/i);
  const identified = [...(script + allSql).matchAll(/IDENTIFIED BY\s+(\S+)/g)].map((m) => m[1]);
  assert.ok(identified.length >= 6);
  for (const what of identified) assert.match(what!, /^"&&(sys|sample|cfltadmin|cfltuser)_pwd"/);
  // The bootstrap password only ever goes to a root-only env file that is deleted after `docker run`.
  assert.ok(lineOf(/install -m 600 \/dev\/null "\$ENV_DIR\/oracle.env"/) < lineOf(/printf 'ORACLE_PWD=%s/));
  assert.ok(
    lineOf(/docker run .*--env-file "\$ENV_DIR\/oracle.env"/) < lineOf(/rm -f "\$ENV_DIR\/oracle.env"/),
  );
  assert.doesNotMatch(script, /docker run[^\n]*-e ORACLE_PWD/);
  // Passwords reach SQL*Plus on stdin as substitution variables with VERIFY OFF (never echoed).
  assert.match(script, /printf 'DEFINE cfltuser_pwd = "%s"\\n' "\$CFLTUSER_PWD"/);
  assert.match(script, /SET VERIFY OFF/);
  assert.match(script, /sqlplus -S -L \/ as sysdba/);
  assert.doesNotMatch(script, /set -x|xtrace/);
});

test("the data volume is found by EBS id, formatted only when blank, mounted by UUID", () => {
  assert.equal(
    nvmeDevicePath("vol-0abc12345678def90"),
    "/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_vol0abc12345678def90",
  );
  assert.match(script, /attempt 60 5 test -b "\$DATA_DEVICE"/);
  assert.match(
    script,
    /if \[ -z "\$\(blkid -o value -s TYPE "\$DATA_DEVICE" \|\| true\)" \]; then\n\s+mkfs\.xfs/,
  );
  assert.match(script, /echo "UUID=\$DATA_UUID \$DATA_DIR xfs defaults,nofail 0 2" >>\/etc\/fstab/);
  assert.match(script, /-v "\$DATA_DIR:\/opt\/oracle\/oradata"/);
  assert.doesNotMatch(script, /chmod -R 777|chmod 777/);
});

test("every wait is bounded and the container publishes only the listener", () => {
  assert.doesNotMatch(script, /while true|until \[/);
  for (const m of script.matchAll(/^\s*attempt (\d+) (\d+) /gm)) {
    assert.ok(Number(m[1]) * Number(m[2]) <= 30 * 60, `wait of ${m[0]} is at most 30 minutes`);
  }
  assert.match(script, /attempt 120 15 container_healthy/);
  assert.match(script, /-p 1521:1521 /);
  assert.doesNotMatch(script, /5500|:22\b/);
});

test("the XStream steps run in order, each as its own step", () => {
  const steps = [
    "enable-replication",
    "archivelog",
    "open-pdb",
    "supplemental-logging",
    "tablespaces",
    "xstream-users",
    "app-user",
    "outbound-server",
    "admin-accounts",
    "network-encryption",
    "ready",
  ].map((s) => lineOf(new RegExp(`^STEP=${s}$`)));
  assert.deepEqual(
    [...steps].sort((a, b) => a - b),
    steps,
  );
  assert.match(
    sqlOf(SQL_STEPS.sql_enable_replication),
    /ALTER SYSTEM SET enable_goldengate_replication = TRUE SCOPE = BOTH;/,
  );
  assert.match(sqlOf(SQL_STEPS.sql_enable_replication), /streams_pool_size = 256M/);
  assert.match(
    sqlOf(SQL_STEPS.sql_archivelog),
    /SHUTDOWN IMMEDIATE\nSTARTUP MOUNT\nALTER DATABASE ARCHIVELOG;\nALTER DATABASE OPEN;/,
  );
  assert.match(sqlOf(SQL_STEPS.sql_supplemental_logging), /ADD SUPPLEMENTAL LOG DATA \(ALL\) COLUMNS/);
  const ts = sqlOf(SQL_STEPS.sql_tablespaces);
  assert.match(
    ts,
    /\/opt\/oracle\/oradata\/XE\/xstream_adm_tbs\.dbf[\s\S]*ALTER SESSION SET CONTAINER = XEPDB1;[\s\S]*\/XE\/XEPDB1\/xstream_tbs\.dbf/,
  );
  const users = sqlOf(SQL_STEPS.sql_xstream_users);
  assert.match(users, /CREATE USER c##cfltadmin IDENTIFIED BY "&&cfltadmin_pwd"/);
  assert.match(users, /CREATE USER c##cfltuser IDENTIFIED BY "&&cfltuser_pwd"/);
  assert.match(
    users,
    /DBMS_XSTREAM_AUTH\.GRANT_ADMIN_PRIVILEGE\(\s+grantee\s+=> 'C##CFLTADMIN',\s+privilege_type\s+=> 'CAPTURE'/,
  );
  assert.match(
    sqlOf(SQL_STEPS.sql_app_user),
    /ALTER SESSION SET CONTAINER = XEPDB1;[\s\S]*CREATE USER sample IDENTIFIED BY/,
  );
  const outbound = sqlOf(SQL_STEPS.sql_outbound_server);
  assert.match(outbound, /^CONNECT c##cfltadmin\/"&&cfltadmin_pwd"@\/\/localhost:1521\/XE$/m);
  assert.match(outbound, /server_name\s+=> 'XOUT',\s+source_container_name => 'XEPDB1'/);
  assert.match(outbound, /schemas\(1\) := 'SAMPLE';/);
  assert.match(outbound, /ALTER_OUTBOUND\(server_name => 'XOUT', connect_user => 'C##CFLTUSER'\)/);
});

test("the SQL uses exactly the names the stack exports", () => {
  assert.deepEqual(
    { pdb: ORACLE.pdbName, schema: ORACLE.schema, out: ORACLE.outboundServer, svc: ORACLE.serviceName },
    { pdb: "XEPDB1", schema: "SAMPLE", out: "XOUT", svc: "XE" },
  );
  for (const name of [ORACLE.xstreamAdmin, ORACLE.xstreamUser, ORACLE.appUser]) {
    assert.match(allSql, new RegExp(`CREATE USER ${name.replace(/\$/g, "\\$")} `));
  }
  assert.match(script, /CFLTUSER_PWD=\$\(password 'c##cfltuser'\)/);
  assert.match(script, /SAMPLE_PWD=\$\(password sample\)/);
});

test("idempotent: every CREATE is guarded, ARCHIVELOG switches only when needed", () => {
  const blocks = allSql.split(/^\/$/m);
  let creates = 0;
  for (const block of blocks) {
    for (const m of block.matchAll(/CREATE (USER|TABLESPACE)|CREATE_OUTBOUND/g)) {
      creates++;
      // The innermost open IF before the CREATE must be `IF n = 0 THEN`, right after counting the object.
      const before = block.slice(0, m.index);
      const ifs = [...before.matchAll(/\bIF\b[^;]*?\bTHEN\b/g)];
      const lastIf = ifs[ifs.length - 1];
      assert.equal(lastIf?.[0], "IF n = 0 THEN", `unguarded: ${m[0]}`);
      assert.doesNotMatch(before.slice(lastIf.index), /END IF/, `unguarded: ${m[0]}`);
      const sinceLastEnd = before.slice(before.lastIndexOf("END IF") + 1, lastIf.index);
      assert.match(sinceLastEnd, /SELECT COUNT\(\*\) INTO n FROM dba_\w+ WHERE \w+ = /, `uncounted: ${m[0]}`);
    }
  }
  assert.equal(creates, 6, "tablespaces (1 procedure × 2 containers), 3 users, 1 outbound server");
  assert.match(sqlOf(SQL_STEPS.sql_supplemental_logging), /IF v_all <> 'YES' THEN/);
  assert.match(
    script,
    /if \[ "\$\(run_sql sql_log_mode \| tr -d '\[:space:\]'\)" != ARCHIVELOG \]; then\n\s+run_sql sql_archivelog/,
  );
  assert.match(sqlOf(SQL_STEPS.sql_log_mode), /SELECT log_mode FROM v\$database;/);
  assert.match(script, /WHENEVER SQLERROR EXIT FAILURE/);
  assert.match(script, /if docker container inspect "\$CONTAINER" >\/dev\/null 2>&1; then\n\s+docker start/);
});

test("the connect user gets only what Confluent's prerequisites list, on the two captured tables in the PDB", () => {
  const users = sqlOf(SQL_STEPS.sql_xstream_users);
  const pdbPart = sqlOf(SQL_STEPS.sql_xstream_users_pdb);
  const grants = [...`${users}\n${pdbPart}`.matchAll(/GRANT ([^;]*?) TO c##cfltuser([^;']*)/g)].map(
    (m) => `${m[1]} TO${m[2]}`,
  );
  assert.deepEqual(grants, [
    "CREATE SESSION, SET CONTAINER TO CONTAINER = ALL",
    "SELECT_CATALOG_ROLE TO",
    "SELECT, FLASHBACK ON sample.' || t.table_name || ' TO",
  ]);
  assert.doesNotMatch(allSql, /ANY TABLE[^;]* TO c##cfltuser/i, "no system-wide table privilege");
  assert.match(
    pdbPart,
    /^ALTER SESSION SET CONTAINER = XEPDB1;\nGRANT SELECT_CATALOG_ROLE TO c##cfltuser;$/m,
  );
  assert.match(pdbPart, new RegExp(`table_name IN \\(${CDC_TABLES.map((t) => `'${t}'`).join(", ")}\\)`));
  assert.match(pdbPart, /owner = 'SAMPLE'/);
  assert.match(
    pdbPart,
    /repeat_interval\s+=> 'FREQ=MINUTELY'/,
    "the web app creates the tables after the bootstrap",
  );
  // What an earlier setup granted in every container is taken back.
  assert.match(
    users,
    /privilege LIKE '% ANY TABLE'[\s\S]*'REVOKE ' \|\| p\.privilege \|\| ' FROM c##cfltuser CONTAINER = ALL'/,
  );
  assert.match(users, /'REVOKE SELECT_CATALOG_ROLE FROM c##cfltuser CONTAINER = ALL'/);
});

test("the CDC user cannot log in unencrypted: a logon trigger in the root and the PDB; the server requests encryption of all", () => {
  assert.match(
    script,
    /'SQLNET\.ENCRYPTION_SERVER = REQUESTED' 'SQLNET\.ENCRYPTION_TYPES_SERVER = \(AES256, AES192\)'/,
  );
  assert.match(
    script,
    /'SQLNET\.CRYPTO_CHECKSUM_SERVER = REQUESTED' 'SQLNET\.CRYPTO_CHECKSUM_TYPES_SERVER = \(SHA256, SHA512\)'/,
  );
  // A logon trigger acts in its own container: the step creates it in the root, then again after the PDB switch.
  assert.match(
    script,
    /^run_sql password_defines sql_xstream_users sql_cdc_encryption_trigger sql_xstream_users_pdb sql_cdc_encryption_trigger$/m,
  );
  assert.match(sqlOf(SQL_STEPS.sql_xstream_users_pdb), /^ALTER SESSION SET CONTAINER = XEPDB1;$/m);
  assert.doesNotMatch(sqlOf(SQL_STEPS.sql_xstream_users), /ALTER SESSION SET CONTAINER/);
  const triggers = [
    ...sqlOf(SQL_STEPS.sql_cdc_encryption_trigger).matchAll(
      /^CREATE OR REPLACE TRIGGER fraud_cdc_encrypted AFTER LOGON ON DATABASE\n([\s\S]*?)\n\/$/gm,
    ),
  ];
  assert.equal(triggers.length, 1);
  const body = triggers[0]?.[1] ?? "";
  assert.match(body, /IF SYS_CONTEXT\('USERENV', 'SESSION_USER'\) = 'C##CFLTUSER' THEN/);
  assert.match(body, /FROM v\$session_connect_info WHERE sid = SYS_CONTEXT\('USERENV', 'SID'\)/);
  assert.match(body, /LIKE '%Encryption service adapter%'/);
  assert.match(body, /LIKE '%Crypto-checksumming service adapter%'/);
  assert.match(
    body,
    /IF n < 2 THEN\s+RAISE_APPLICATION_ERROR\(-20001, '[^']*native network encryption[^']*'\);/,
  );
});

test("the three service users get a profile whose passwords never expire", () => {
  const users = sqlOf("07-xstream-users.sql");
  assert.match(users, /CREATE PROFILE c##fraud_service LIMIT PASSWORD_LIFE_TIME UNLIMITED CONTAINER = ALL/);
  assert.match(users, /^ALTER USER c##cfltadmin PROFILE c##fraud_service CONTAINER = ALL;$/m);
  assert.match(users, /^ALTER USER c##cfltuser PROFILE c##fraud_service CONTAINER = ALL;$/m);
  assert.match(sqlOf("08-app-user.sql"), /^ALTER USER sample PROFILE c##fraud_service;$/m);
});

test("ready is signalled last; any failure signals the failed step", () => {
  const signals = [...script.matchAll(/signal ("[^"]*"|\w+)/g)].map((m) => m[1]);
  assert.deepEqual(signals, [
    '"failed:${INSTANCE_ID:-unknown}: $STEP"',
    "configuring",
    '"ready:$INSTANCE_ID"',
  ]);
  assert.match(script, /^INSTANCE_ID=\$\(imds instance-id\)$/m);
  const ready = lineOf(/attempt 10 6 signal "ready:\$INSTANCE_ID"/);
  assert.ok(ready > lineOf(/run_sql password_defines sql_outbound_server/));
  assert.ok(ready > lineOf(/^END_OF_SQLNET$/));
  assert.match(script, /trap on_error ERR/);
  assert.match(
    script,
    /aws ssm put-parameter --region "\$REGION" --name "\$READY_PARAMETER" --type String --overwrite --value "\$1"/,
  );
});

test("a failing step signals failure scoped to this host, with the step (run in bash)", () => {
  // The script's own helpers with a stub AWS CLI that reports the value it would write.
  const fail = (setup: string) => runBootstrapBash([setup], ["REGION=us-east-1 READY_PARAMETER=/p"]);
  const stub = 'aws() { echo "SIGNAL ${*: -1}" >&2; }';
  const late = fail(`${stub}\nINSTANCE_ID=i-0abc\nSTEP=pull-image\nfalse\nsignal "ready:$INSTANCE_ID"`);
  assert.notEqual(late.status, 0);
  assert.deepEqual(late.stderr.match(/^SIGNAL .*$/gm), ["SIGNAL failed:i-0abc: pull-image"]);
  const early = fail(`${stub}\nSTEP=imds-token\nfalse`);
  assert.deepEqual(early.stderr.match(/^SIGNAL .*$/gm), ["SIGNAL failed:unknown: imds-token"]);
});

test("run_sql fails on SQL*Plus command errors that WHENEVER SQLERROR misses (run in bash)", () => {
  // A stub `docker exec … sqlplus` that prints what SQL*Plus would and exits 0, as it does after a failed CONNECT.
  const runSql = (sqlplusOutput: string) =>
    runBootstrapBash([
      `docker() { cat >/dev/null; printf '%s\\n' ${shellQuote(sqlplusOutput)}; }`,
      "trap - ERR",
      "sql_noop() { :; }",
      'out=$(run_sql sql_noop) && echo "OK:$out"',
    ]);
  assert.match(runSql("ARCHIVELOG").stdout, /^OK:ARCHIVELOG$/m);
  for (const failure of [
    "SP2-0640: Not connected",
    "ERROR:\nORA-01017: invalid username/password",
    "ORA-00942: x",
  ]) {
    const r = runSql(failure);
    assert.doesNotMatch(r.stdout, /^OK:/m, failure);
    assert.match(r.stderr, /SQL\*Plus reported an error in step boot/, failure);
  }
});

test("the host's IAM policy reads one secret, writes one parameter and publishes to one namespace, nothing else", () => {
  const doc = JSON.parse(oracleInstancePolicy("arn:secret", "arn:param")) as {
    Statement: { Effect: string; Action: string; Resource: string; Condition?: unknown }[];
  };
  assert.deepEqual(
    doc.Statement.map((s) => [s.Effect, s.Action, s.Resource, s.Condition]),
    [
      ["Allow", "secretsmanager:GetSecretValue", "arn:secret", undefined],
      ["Allow", "ssm:PutParameter", "arn:param", undefined],
      [
        "Allow",
        "cloudwatch:PutMetricData",
        "*",
        { StringEquals: { "cloudwatch:namespace": ORACLE_METRICS_NAMESPACE } },
      ],
    ],
  );
});

test("under mocks: host, volume, secret, parameter and role are wired as designed", async () => {
  const run = await sharedStackRun("aws-resources", {
    overrides: { allowedCidrs: ["203.0.113.0/24", "2001:db8::/48"] },
  });
  const instance = one(run, "aws:ec2/instance:Instance");
  const i = instance.inputs as Record<string, unknown>;
  assert.deepEqual(i.metadataOptions, {
    httpTokens: "required",
    httpEndpoint: "enabled",
    httpPutResponseHopLimit: 1,
  });
  assert.deepEqual(i.rootBlockDevice, {
    volumeType: "gp3",
    volumeSize: 30,
    encrypted: true,
    deleteOnTermination: true,
  });
  assert.equal(i.monitoring, true);
  assert.equal(i.keyName, undefined);
  assert.equal(i.associatePublicIpAddress, false);
  assert.equal(i.userDataReplaceOnChange, false);
  assert.equal(i.instanceType, "t3.large");
  assert.equal(i.ami, "ami-0abcdef1234567890");
  assert.deepEqual(instance.ignoreChanges, ["ami", "userData", "userDataBase64"]);
  assert.equal(i.userData, undefined);
  const userData = gunzipUserData(String(i.userDataBase64));
  const amiLookup = run.invokes.find((v) => v.token === "aws:ssm/getParameter:getParameter");
  assert.equal(
    amiLookup?.inputs.name,
    "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64",
  );

  const subnets = ofType(run, "aws:ec2/subnet:Subnet");
  const publicSubnet = subnets.find((s) => s.name === "network-public-0");
  assert.ok(
    publicSubnet && instance.dependencyUrns.includes(publicSubnet.urn),
    "host in the first public subnet",
  );

  const volume = one(run, "aws:ebs/volume:Volume");
  assert.deepEqual(
    { type: volume.inputs.type, encrypted: volume.inputs.encrypted, size: volume.inputs.size },
    { type: "gp3", encrypted: true, size: 50 },
  );
  assert.equal(volume.inputs.availabilityZone, "us-east-1a");
  const attachment = one(run, "aws:ec2/volumeAttachment:VolumeAttachment");
  assert.equal(attachment.inputs.stopInstanceBeforeDetaching, true);
  assert.match(
    userData,
    /^DATA_DEVICE='\/dev\/disk\/by-id\/nvme-Amazon_Elastic_Block_Store_vol[0-9a-f]{16}'$/m,
  );
  assert.ok(instance.dependencyUrns.includes(volume.urn), "the user data names the data volume");

  const eip = run.resources.find((r) => r.name === "oracle-host" && r.type === "aws:ec2/eip:Eip");
  assert.equal(eip?.inputs.domain, "vpc");
  const justification = String((eip?.inputs.tags as Record<string, string>).PublicIpJustification);
  assert.match(justification, /Confluent Cloud .* connector/);
  assert.equal((i.tags as Record<string, string>).PublicIpJustification, justification);
  assert.match(String(run.outputs.oracleHost), /^ec2-203-0-113-\d+\.compute-1\.amazonaws\.com$/);
  const publicIp = String(run.outputs.oracleHost).slice(4).split(".")[0]!.replace(/-/g, ".");
  assert.match(userData, new RegExp(`^PUBLIC_IP='${publicIp.replace(/\./g, "\\.")}'$`, "m"));
  const association = one(run, "aws:ec2/eipAssociation:EipAssociation");
  assert.ok(
    eip && association.dependencyUrns.includes(eip.urn) && association.dependencyUrns.includes(instance.urn),
  );

  const secret = one(run, "aws:secretsmanager/secret:Secret");
  assert.equal(secret.inputs.name, `${String(run.outputs.namePrefix)}-oracle`);
  const version = one(run, "aws:secretsmanager/secretVersion:SecretVersion");
  assert.deepEqual(Object.keys(JSON.parse(String(version.inputs.secretString)) as object).sort(), [
    "bootstrap",
    "c##cfltadmin",
    "c##cfltuser",
    "sample",
    "sys",
  ]);
  assert.deepEqual(version.secretInputPaths, ["secretString"]);

  const param = one(run, "aws:ssm/parameter:Parameter");
  assert.deepEqual(
    [param.inputs.name, param.inputs.type, param.inputs.value],
    [run.outputs.oracleReadyParameter, "String", "pending"],
  );
  assert.deepEqual(param.ignoreChanges, ["value"]);

  const hostPolicy = ofType(run, "aws:iam/rolePolicy:RolePolicy").find((r) => r.name === "oracle-host");
  const policy = JSON.parse(String(hostPolicy?.inputs.policy)) as {
    Statement: { Action: string; Resource: string }[];
  };
  assert.deepEqual(
    policy.Statement.map((s) => [s.Action, s.Resource]),
    [
      ["secretsmanager:GetSecretValue", run.outputs.oracleSecretArn],
      [
        "ssm:PutParameter",
        `arn:aws:ssm:us-east-1:123456789012:parameter${String(run.outputs.oracleReadyParameter)}`,
      ],
      ["cloudwatch:PutMetricData", "*"],
    ],
  );
  const ssmCore = ofType(run, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter(
    (a) => a.inputs.policyArn === "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
  );
  assert.equal(ssmCore.length, 1);
  for (const dep of [version, param]) assert.ok(instance.dependencyUrns.includes(dep.urn), dep.type);
});

test("under mocks: the Oracle security group has no inline rules and opens 1521 per allowed CIDR", async () => {
  const run = await sharedStackRun("aws-resources", {
    overrides: { allowedCidrs: ["203.0.113.0/24", "2001:db8::/48"] },
  });
  const sg = run.resources.find(
    (r) => r.type === "aws:ec2/securityGroup:SecurityGroup" && r.name === "oracle-host",
  );
  assert.ok(sg);
  assert.equal(sg.inputs.ingress, undefined);
  assert.equal(sg.inputs.egress, undefined);
  const rules = ofType(run, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) =>
    r.name.startsWith("oracle-"),
  );
  assert.deepEqual(
    rules
      .map((r) => [
        r.name,
        r.inputs.fromPort,
        r.inputs.toPort,
        r.inputs.cidrIpv4 ?? r.inputs.cidrIpv6 ?? "sg",
      ])
      .sort(),
    [
      ["oracle-listener-2001-db8-48", 1521, 1521, "2001:db8::/48"],
      ["oracle-listener-203-0-113-0-24", 1521, 1521, "203.0.113.0/24"],
      ["oracle-listener-from-eks", 1521, 1521, "sg"],
    ],
  );
  const egress = ofType(run, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule").filter((r) =>
    r.name.startsWith("oracle-"),
  );
  assert.deepEqual(
    egress.map((r) => [r.inputs.ipProtocol, r.inputs.cidrIpv4]),
    [["-1", "0.0.0.0/0"]],
  );
});

test("a pinned AMI is used as is and may replace the host on purpose", async () => {
  const run = await runStackUnderTest("aws-resources", {
    overrides: { oracleAmiId: "ami-0123456789abcdef0" },
  });
  const instance = one(run, "aws:ec2/instance:Instance");
  assert.equal(instance.inputs.ami, "ami-0123456789abcdef0");
  assert.deepEqual(instance.ignoreChanges, ["userData", "userDataBase64"]);
  assert.equal(run.invokes.filter((v) => v.token === "aws:ssm/getParameter:getParameter").length, 0);
});

test("an image mirrored to ECR is pulled after a login to its registry; any other image without one (run in bash)", () => {
  const pull = (image: string) =>
    runBootstrapBash(
      [
        'aws() { echo "AWS $*" >&2; echo token; }',
        'docker() { echo "DOCKER $* <$(cat)" >&2; }',
        "trap - ERR",
        "pull_image",
      ],
      [`ORACLE_IMAGE=${shellQuote(image)}`],
    );
  const calls = (image: string) => pull(image).stderr.match(/^(AWS|DOCKER) .*$/gm);
  const ecr = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/oracle-xe@sha256:${"b".repeat(64)}`;
  assert.deepEqual(calls(ecr), [
    "AWS ecr get-login-password --region eu-west-1",
    "DOCKER login -u AWS --password-stdin 123456789012.dkr.ecr.eu-west-1.amazonaws.com <token",
    `DOCKER pull --quiet ${ecr} <`,
  ]);
  assert.deepEqual(calls(PARAMS.image), [`DOCKER pull --quiet ${PARAMS.image} <`]);
});

test("the host may pull from the ECR repository its image names, and from no other", () => {
  const ecr = `123456789012.dkr.ecr.us-east-1.amazonaws.com/mirror/oracle-xe@sha256:${"b".repeat(64)}`;
  assert.equal(ecrRepositoryArn(PARAMS.image), undefined);
  assert.equal(ecrRepositoryArn(ecr), "arn:aws:ecr:us-east-1:123456789012:repository/mirror/oracle-xe");
  const doc = JSON.parse(
    oracleInstancePolicy("arn:secret", "arn:param", undefined, ecrRepositoryArn(ecr)),
  ) as {
    Statement: { Action: string | string[]; Resource: string }[];
  };
  const ecrStatements = doc.Statement.filter((st) => String(st.Action).startsWith("ecr:"));
  assert.deepEqual(ecrStatements, [
    { Sid: "EcrLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
    {
      Sid: "PullOracleImage",
      Effect: "Allow",
      Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
      Resource: "arn:aws:ecr:us-east-1:123456789012:repository/mirror/oracle-xe",
    },
  ]);
});
