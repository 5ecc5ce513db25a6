import assert from "node:assert/strict";
import { test } from "node:test";
import { ConfigError } from "../lib/config";
import { configString, declaredDefaults, readProject, stackConfig } from "../tools/offline/project-config";
import {
  CONFIG_KEYS,
  awsResourcesConfigSchema,
  loadAwsResourcesConfig,
} from "../stacks/aws-resources/config";
import { assertConfigRefused } from "./helpers/config-errors";
import { prodAwsResourcesConfig } from "./helpers/prod-config";
import { runStackUnderTest } from "./helpers/stack-under-test";
import { prodAwsResourcesOverrides } from "./helpers/prod-config";

const project = readProject("aws-resources");
const defaults = declaredDefaults(project);
/** A stack other than dev as an operator completes it (docs/production.md): the baseline its bad values change. */
const offTrial = { ...defaults, ...prodAwsResourcesConfig() };

/** [key, bad value as written in a stack file, what the message must say, stack name]. */
const BAD: readonly [string, unknown, RegExp, string?][] = [
  ["region", "us-east-9", /must be an AWS region code/],
  ["region", "US-EAST-1", /must be an AWS region code/],
  ["allowedCidrs", ["10.0.0.300/24"], /must be a CIDR block/],
  ["allowedCidrs", ["0.0.0.0/0"], /open to \(nearly\) the whole internet/],
  ["allowedCidrs", ["::/0"], /open to \(nearly\) the whole internet/],
  ["allowedCidrs", ["203.0.113.7/24"], /host bits are set; did you mean 203\.0\.113\.0\/24/],
  ["allowedCidrs", ["203.0.113.0/24", "203.0.113.0/24"], /listed twice/],
  ["allowedCidrs", "203.0.113.0/24", /must be a JSON list/],
  ["vpcCidr", "8.8.0.0/16", /must be a private IPv4 range/],
  ["vpcCidr", "10.0.0.0/8", /prefix length must be \/16 to \/20/],
  ["vpcCidr", "10.0.1.0/16", /host bits are set/],
  ["natGatewayPerAz", "yes", /must be "true" or "false"/],
  ["protectData", "1", /must be "true" or "false"/],
  ["oracleInstanceType", "t2.large", /family t3, t3a, m5, m6i, m7i, r5, r6i with size large or bigger/],
  ["oracleInstanceType", "t3.medium", /size large or bigger/],
  ["oracleInstanceType", "m6g.large", /family t3, t3a/],
  ["oracleAmiId", "ami-XYZ", /must be an AMI id/],
  ["oracleImage", "busybox; reboot", /must be a container image reference/],
  ["oracleDataVolumeGiB", 0, /must be an integer from 20 to 1000/],
  ["oracleDataVolumeGiB", -50, /must be an integer from 20 to 1000/],
  ["oracleDataVolumeGiB", "50GB", /must be an integer from 20 to 1000/],
  ["prefix", "", /is required/],
  ["prefix", "Fd", /must start with a lowercase letter/],
  ["prefix", "fd-", /no trailing hyphen/],
  ["prefix", "fraud-detect-x", /OpenSearch domain name .* would exceed 28 characters/, "production"],
  ["eksVersion", "1.29", /from 1\.31 to 1\.39/],
  ["eksVersion", "1.3", /from 1\.31 to 1\.39/],
  ["eksPublicAccessCidrs", ["2001:db8::/48"], /only IPv4 CIDRs/],
  [
    "eksAdminRoleArns",
    ["arn:aws:sts::123456789012:assumed-role/admin/me"],
    /STS session ARN; use the role ARN/,
  ],
  ["eksAdminRoleArns", "[arn:aws:iam::123456789012:role/a]", /must be a JSON list/],
  ["webappImage", "Public.ECR.aws/App", /must be a container image reference/],
  ["webappReplicas", 1.5, /must be an integer from 1 to 10/],
  ["webappReplicas", 0, /must be an integer from 1 to 10/],
  ["webappNamespace", "Fraud_Demo", /must be a Kubernetes namespace/],
  ["jobsNamespace", "Deploy_Jobs", /must be a Kubernetes namespace/],
  ["jobsNamespace", "frauddemo", /must differ from webappNamespace/],
  ["redshiftNodeType", "dc2.large", /must be one of: ra3\.large, ra3\.xlplus, ra3\.4xlarge, ra3\.16xlarge/],
  ["redshiftNodeCount", 17, /must be an integer from 1 to 16/],
  ["redshiftSnapshotRetentionDays", 0, /must be an integer from 1 to 35/],
  ["redshiftSnapshotRetentionDays", 36, /must be an integer from 1 to 35/],
  ["oracleSnapshotsKept", 0, /must be an integer from 1 to 1000/],
  ["oracleSnapshotsKept", 1001, /must be an integer from 1 to 1000/],
  ["redshiftDatabase", "Fraud", /must be a lowercase identifier/],
  ["redshiftAdminUser", "rdsdb", /must not be a reserved user name/],
  ["opensearchInstanceType", "t3.small.elasticsearch", /ending in \.search/],
  ["opensearchInstanceCount", 5, /cannot be spread evenly/],
  ["opensearchVolumeGiB", 5, /must be an integer from 10 to 1024/],
  ["opensearchEngineVersion", "Elasticsearch_7.10", /must look like OpenSearch_2\.19/],
  ["opensearchMasterUser", "a-very-long-master-user", /must be 1-16 letters/],
  ["webappAllowedCidrs", ["0.0.0.0/0"], /open to \(nearly\) the whole internet/],
  ["webappAllowedCidrs", ["2001:db8::/48"], /only IPv4 CIDRs/],
  [
    "webappCertificateArn",
    "arn:aws:iam::123456789012:server-certificate/web",
    /must be an ACM certificate ARN/,
  ],
  [
    "webappCertificateArn",
    "arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d",
    /certificate of eu-west-1; the load balancer runs in us-east-1/,
  ],
  ["webappDomainName", "https://fraud.example.com", /must be a lowercase DNS name/],
  ["logRetentionDays", 31, /must be a CloudWatch Logs retention in days: 1, 3, 5/],
  ["logRetentionDays", 0, /must be a CloudWatch Logs retention in days/],
  ["logRetentionDays", "30d", /must be a CloudWatch Logs retention in days/],
  ["customerManagedKey", "yes", /must be "true" or "false"/],
  ["eksEndpointPublicAccess", "no", /must be "true" or "false"/],
  ["eksPublicAccessCidrs", [], /is required on stack "prod".*eksEndpointPublicAccess to false/, "prod"],
  ["eksPublicAccessCidrs", [], /is required on stack "staging"/, "staging"],
  ["webappCertificateArn", "", /is required on stack "prod".*webappAllowHttp/, "prod"],
  ["allowedCidrs", ["10.0.0.0/8"], /open to \(nearly\) the whole internet/, "prod"],
  ["allowedCidrs", ["10.16.0.0/12"], /wider than \/16, the widest range this stack accepts/, "prod"],
  ["webappAllowedCidrs", ["100.64.0.0/10"], /wider than \/16/, "staging"],
  ["eksPublicAccessCidrs", ["198.18.0.0/15"], /wider than \/16/, "prod"],
  ["allowedCidrs", ["192.0.2.10/32"], /documentation range.*replace it/, "prod"],
  ["eksPublicAccessCidrs", ["198.51.100.7/32"], /documentation range/, "prod"],
  ["webappImage", "public.ecr.aws/v3a9u0p7/demo/fraud-webapp:latest", /by digest \(@sha256:/, "prod"],
  ["oracleImage", "container-registry.oracle.com/database/express:21.3.0-xe", /by digest/, "staging"],
  ["owner", "", /is required/],
  ["costCenter", "cost<center>", /AWS tag value/],
];

test("the schema's keys are exactly the keys declared in Pulumi.yaml, each with a default", () => {
  assert.deepEqual([...CONFIG_KEYS].sort(), project.keys.map((k) => k.key).sort());
  for (const k of project.keys) {
    assert.ok(k.default !== undefined, `${k.key} has a default`);
    assert.ok(k.description.length > 10, `${k.key} has a description`);
  }
});

test("declared defaults and Pulumi.dev.yaml both load", () => {
  const fromDefaults = loadAwsResourcesConfig(defaults, "dev");
  assert.equal(fromDefaults.protectData, true);
  assert.equal(fromDefaults.natGatewayPerAz, true);
  assert.equal(fromDefaults.oracleAmiId, undefined);
  assert.deepEqual(fromDefaults.allowedCidrs, []);

  const { config } = stackConfig(project, "dev");
  const raw = Object.fromEntries(
    Object.entries(config).map(([k, v]) => [k.replace(/^aws-resources:/, ""), v]),
  );
  const dev = loadAwsResourcesConfig(raw, "dev");
  assert.equal(dev.protectData, false);
  assert.equal(dev.natGatewayPerAz, false);
  assert.equal(dev.region, "us-east-1");
});

test("good values are accepted as typed values", () => {
  const cfg = loadAwsResourcesConfig(
    {
      ...defaults,
      allowedCidrs: '["203.0.113.7/32","2001:db8::/48"]',
      oracleAmiId: "ami-0123456789abcdef0",
      oracleInstanceType: "m6i.2xlarge",
      eksAdminRoleArns: '["arn:aws:iam::123456789012:role/platform/admin"]',
      opensearchInstanceCount: "2",
      webappImage: "registry.example.com:5000/team/app@sha256:" + "a".repeat(64),
    },
    "dev",
  );
  assert.deepEqual(cfg.allowedCidrs, ["203.0.113.7/32", "2001:db8::/48"]);
  assert.equal(cfg.oracleAmiId, "ami-0123456789abcdef0");
  assert.equal(cfg.opensearchInstanceCount, 2);
});

test(`at least 18 bad configs are in the table (${BAD.length})`, () => {
  assert.ok(BAD.length >= 18);
  const keys = new Set(BAD.map(([k]) => k));
  assert.ok(keys.size >= 20, "the table covers most keys");
});

for (const [key, value, message, stack = "dev"] of BAD) {
  test(`bad ${key} = ${JSON.stringify(value)} fails naming the key, the value and what is allowed`, async () => {
    const raw = configString(value);
    const base = stack === "dev" ? defaults : offTrial;
    assert.throws(
      () => loadAwsResourcesConfig({ ...base, [key]: raw }, stack),
      (err: unknown) => {
        assert.ok(err instanceof ConfigError);
        assert.deepEqual(
          err.problems.map((p) => p.key),
          [key],
        );
        assert.ok(
          err.message.includes(`aws-resources:${key} = ${JSON.stringify(raw)}:`),
          `message names key and value: ${err.message}`,
        );
        assert.match(err.message, message);
        return true;
      },
    );
    // The whole program fails the same way before registering anything.
    await assertConfigRefused(
      runStackUnderTest("aws-resources", { overrides: { [key]: value }, stack: stack }),
      "aws-resources",
      key,
      message,
    );
  });
}

test("only dev may keep Redshift's automated snapshots for less than a week", async () => {
  const prodLike = { ...offTrial, redshiftSnapshotRetentionDays: "6" };
  assert.throws(
    () => loadAwsResourcesConfig(prodLike, "prod"),
    (err: unknown) =>
      err instanceof ConfigError &&
      err.problems.map((p) => p.key).join() === "redshiftSnapshotRetentionDays" &&
      /must be at least 7 on stack "prod"/.test(err.message),
  );
  assert.equal(
    loadAwsResourcesConfig({ ...prodLike, redshiftSnapshotRetentionDays: "7" }, "prod")
      .redshiftSnapshotRetentionDays,
    7,
  );
  assert.equal(
    loadAwsResourcesConfig({ ...defaults, redshiftSnapshotRetentionDays: "1" }, "dev")
      .redshiftSnapshotRetentionDays,
    1,
  );
  await assertConfigRefused(
    runStackUnderTest("aws-resources", {
      stack: "prod",
      overrides: { ...prodAwsResourcesOverrides(), redshiftSnapshotRetentionDays: 3 },
    }),
    "aws-resources",
    "redshiftSnapshotRetentionDays",
    /must be at least 7 on stack "prod"/,
  );
});

test("a certificate needs the DNS name it covers; together they load", () => {
  const cert = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d";
  assert.throws(
    () => loadAwsResourcesConfig({ ...defaults, webappCertificateArn: cert }, "dev"),
    (err: unknown) =>
      err instanceof ConfigError &&
      err.problems.map((p) => p.key).join() === "webappDomainName" &&
      /is required with webappCertificateArn/.test(err.message),
  );
  const cfg = loadAwsResourcesConfig(
    { ...defaults, webappCertificateArn: cert, webappDomainName: "fraud.example.com" },
    "dev",
  );
  assert.deepEqual([cfg.webappCertificateArn, cfg.webappDomainName], [cert, "fraud.example.com"]);
});

test("a stack other than dev needs EKS public-access CIDRs or a private-only endpoint", () => {
  const prod = (extra: Record<string, string>) => loadAwsResourcesConfig({ ...offTrial, ...extra }, "prod");
  assert.deepEqual(prod({ eksPublicAccessCidrs: '["198.18.0.7/32"]' }).eksPublicAccessCidrs, [
    "198.18.0.7/32",
  ]);
  assert.equal(
    prod({ eksEndpointPublicAccess: "false", eksPublicAccessCidrs: "[]" }).eksEndpointPublicAccess,
    false,
  );
  assert.deepEqual(loadAwsResourcesConfig(defaults, "dev").eksPublicAccessCidrs, [], "dev may leave it open");
  assert.throws(
    () => prod({ eksEndpointPublicAccess: "false", eksPublicAccessCidrs: '["198.18.0.7/32"]' }),
    (err: unknown) =>
      err instanceof ConfigError &&
      err.problems.length === 1 &&
      err.problems[0]!.key === "eksPublicAccessCidrs" &&
      /must be empty when eksEndpointPublicAccess is false/.test(err.message),
  );
});

test("a prefix that fits one stack name can be too long for a longer one", () => {
  const schema = (stack: string) => awsResourcesConfigSchema(stack).shape.prefix;
  assert.equal(schema("dev").safeParse("fraud-detect-x").success, true);
  assert.equal(schema("production").safeParse("fraud-detect-x").success, false);
});

test("off the trial stack, plain HTTP is accepted only when webappAllowHttp says so", () => {
  const http = { ...offTrial, webappCertificateArn: "", webappDomainName: "" };
  assert.throws(() => loadAwsResourcesConfig(http, "prod"), /webappCertificateArn/);
  assert.equal(loadAwsResourcesConfig({ ...http, webappAllowHttp: "true" }, "prod").webappAllowHttp, true);
  assert.equal(loadAwsResourcesConfig(defaults, "dev").webappCertificateArn, undefined, "dev may serve HTTP");
});

test("the dev stack may keep wide CIDRs up to /9, placeholders (with a warning) and images by tag", () => {
  const dev = loadAwsResourcesConfig(
    { ...defaults, allowedCidrs: '["10.0.0.0/9","192.0.2.10/32"]', webappAllowedCidrs: '["100.64.0.0/10"]' },
    "dev",
  );
  assert.deepEqual(dev.allowedCidrs, ["10.0.0.0/9", "192.0.2.10/32"]);
  assert.match(dev.webappImage, /:latest$/);
});

test("a completed prod profile loads", () => {
  const cfg = loadAwsResourcesConfig(offTrial, "prod");
  assert.match(cfg.webappImage, /@sha256:[0-9a-f]{64}$/);
  assert.match(cfg.oracleImage, /@sha256:[0-9a-f]{64}$/);
});
