import assert from "node:assert/strict";
import { test } from "node:test";
import { StackRunError } from "../tools/offline/run-stack";
import { declaredDefaults, readProject } from "../tools/offline/project-config";
import { clusterTypeFor, CONFIG_KEYS, loadConnectorConfig, resolveRegion } from "../stacks/connector/config";
import { ConfigError } from "../lib/config";
import { assertConfigRefused } from "./helpers/config-errors";
import { runStackUnderTest } from "./helpers/stack-under-test";

const project = readProject("connector");

test("the loader reads exactly the keys Pulumi.yaml declares, each typed and described", () => {
  assert.deepEqual([...CONFIG_KEYS].sort(), project.keys.map((k) => k.key).sort());
  for (const k of project.keys) {
    assert.ok(k.description.length > 20, `${k.key} has a description`);
    assert.ok(k.default !== undefined, `${k.key} has a default`);
  }
});

test("the declared defaults are a valid configuration with the documented values", () => {
  const cfg = loadConnectorConfig(declaredDefaults(project), "dev");
  assert.deepEqual(cfg, {
    awsResourcesStack: undefined,
    region: undefined,
    clusterType: undefined,
    availability: "SINGLE_ZONE",
    governancePackage: "ESSENTIALS",
    flinkMaxCfu: 10,
    topicPrefix: "fd",
    tableBuckets: 6,
    snapshotMode: "initial",
    oracleProcessorLicenses: 1,
    oracleReadyTimeoutMinutes: 45,
    schemaReadyTimeoutMinutes: 15,
    useEnvironmentAdmin: false,
    owner: "data-platform",
    costCenter: "fraud-detection",
    costConnectorGbPerDay: 1,
  });
});

test("the cluster type follows the network mode; a Standard cluster in private mode names the key", () => {
  assert.equal(clusterTypeFor(undefined, "public"), "standard");
  assert.equal(clusterTypeFor(undefined, "private"), "enterprise");
  assert.equal(clusterTypeFor("enterprise", "public"), "enterprise");
  assert.throws(
    () => clusterTypeFor("standard", "private"),
    (err: Error) =>
      err instanceof ConfigError &&
      /connector:clusterType/.test(err.message) &&
      /must be enterprise \(or empty\) while aws-resources:networkMode is private/.test(err.message),
  );
});

/** [key, bad value, a fragment the message must contain]. */
const BAD_INPUTS: readonly [string, unknown, RegExp][] = [
  ["clusterType", "basic", /no RBAC on topics, consumer groups or transactional ids/],
  ["clusterType", "dedicated", /must be one of: standard, enterprise/],
  ["availability", "HIGH", /must be one of: SINGLE_ZONE, MULTI_ZONE/],
  ["governancePackage", "PREMIUM", /must be one of: ESSENTIALS, ADVANCED/],
  ["flinkMaxCfu", 15, /must be one of: 5, 10, 20, 30, 40, 50/],
  ["flinkMaxCfu", 60, /must be one of: 5, 10, 20, 30, 40, 50/],
  ["topicPrefix", "", /is required/],
  ["topicPrefix", "FD", /lowercase letter/],
  ["topicPrefix", "fd.cdc", /lowercase letter followed by up to 31/],
  ["topicPrefix", "f".repeat(33), /up to 31/],
  ["tableBuckets", 0, /integer from 1 to 1024/],
  ["tableBuckets", 1025, /integer from 1 to 1024/],
  ["tableBuckets", "six", /integer from 1 to 1024/],
  ["snapshotMode", "schema_only", /must be one of: initial, no_data/],
  ["oracleProcessorLicenses", 0, /integer from 1 to 4096/],
  ["oracleReadyTimeoutMinutes", 0, /integer from 1 to 180/],
  ["oracleReadyTimeoutMinutes", 181, /integer from 1 to 180/],
  ["schemaReadyTimeoutMinutes", 121, /integer from 1 to 120/],
  ["useEnvironmentAdmin", "yes", /"true" or "false"/],
  ["region", "us-east-9", /must be an AWS region code/],
  ["region", "eu-west-1", /cloud\/region mismatch: the aws-resources stack is in AWS us-east-1/],
  ["awsResourcesStack", "aws-resources", /<organization>\/<project>\/<stack>/],
  ["owner", "", /is required/],
  ["costCenter", "cost;center", /an AWS tag value/],
];

for (const [key, value, message] of BAD_INPUTS) {
  test(`bad config connector:${key} = ${JSON.stringify(value)} is refused before any resource`, async () => {
    await assertConfigRefused(
      runStackUnderTest("connector", { overrides: { [key]: value } }),
      "connector",
      key,
      message,
    );
  });
}

test("every problem is reported at once", async () => {
  await assert.rejects(
    runStackUnderTest("connector", { overrides: { tableBuckets: 0, flinkMaxCfu: 7, topicPrefix: "9fd" } }),
    (err: Error) => {
      for (const key of ["tableBuckets", "flinkMaxCfu", "topicPrefix"])
        assert.match(err.message, new RegExp(`connector:${key}`));
      return true;
    },
  );
});

test("region: empty follows the upstream region, the same region is accepted, another is a mismatch", () => {
  assert.equal(resolveRegion(undefined, "eu-central-1"), "eu-central-1");
  assert.equal(resolveRegion("eu-central-1", "eu-central-1"), "eu-central-1");
  assert.throws(
    () => resolveRegion("us-east-1", "eu-central-1"),
    /connector:region = "us-east-1": cloud\/region mismatch.*eu-central-1/,
  );
});

test("an upstream in another region moves the whole Confluent side there", async () => {
  const run = await runStackUnderTest("connector", {
    upstream: { "aws-resources": { awsRegion: "eu-central-1" } },
  });
  const cluster = run.resources.find((r) => r.type === "confluentcloud:index/kafkaCluster:KafkaCluster");
  const pool = run.resources.find((r) => r.type === "confluentcloud:index/flinkComputePool:FlinkComputePool");
  const provider = run.resources.find((r) => r.type === "pulumi:providers:aws");
  assert.equal(cluster?.inputs.region, "eu-central-1");
  assert.equal(cluster?.inputs.cloud, "AWS");
  assert.equal(pool?.inputs.region, "eu-central-1");
  assert.equal(provider?.inputs.region, "eu-central-1");
  assert.equal(run.outputs.region, "eu-central-1");
  const ipInvoke = run.invokes.find((i) => i.token === "confluentcloud:index/getIpAddresses:getIpAddresses");
  assert.deepEqual(ipInvoke?.inputs.filter, {
    clouds: ["AWS"],
    regions: ["eu-central-1"],
    services: ["CONNECT"],
    addressTypes: ["EGRESS"],
  });
});

test("the stack reference name is configurable", async () => {
  const name = "acme/aws-resources/prod";
  const run = await runStackUnderTest("connector", { overrides: { awsResourcesStack: name } });
  assert.equal(run.outputs.region, "us-east-1");
});

test("a missing or mistyped upstream output fails naming the output, before any resource", async () => {
  const upstream = { "aws-resources": { oraclePort: "1521", oracleSecurityGroupId: undefined } };
  await assert.rejects(runStackUnderTest("connector", { upstream }), (err: unknown) => {
    assert.ok(err instanceof StackRunError);
    assert.match(err.message, /organization\/aws-resources\/dev does not satisfy its output contract/);
    assert.match(err.message, /output 'oracleSecurityGroupId' is missing/);
    assert.match(err.message, /output 'oraclePort' has the wrong type/);
    assert.deepEqual(err.resources, []);
    return true;
  });
});

test("an upstream name prefix too long for Confluent service-account names is refused, naming it", async () => {
  const upstream = { "aws-resources": { namePrefix: "p".repeat(50) } };
  await assert.rejects(runStackUnderTest("connector", { upstream }), (err: unknown) => {
    assert.ok(err instanceof StackRunError);
    assert.match(
      err.message,
      /output 'namePrefix' of organization\/aws-resources\/dev .* exceeds 64 characters/,
    );
    assert.deepEqual(err.resources, []);
    return true;
  });
});

test("the EnvironmentAdmin escape hatch is the trial stack's only: any other stack refuses it, naming the key", async () => {
  const raw = { ...declaredDefaults(project), useEnvironmentAdmin: "true" };
  assert.equal(loadConnectorConfig(raw, "dev").useEnvironmentAdmin, true);
  for (const stack of ["prod", "staging"]) {
    assert.throws(
      () => loadConnectorConfig(raw, stack),
      /connector:useEnvironmentAdmin = "true": .*only on the trial stack "dev"/,
      stack,
    );
  }
  await assertConfigRefused(
    runStackUnderTest("connector", { overrides: { useEnvironmentAdmin: true }, stack: "prod" }),
    "connector",
    "useEnvironmentAdmin",
    /only on the trial stack "dev"/,
  );
});
