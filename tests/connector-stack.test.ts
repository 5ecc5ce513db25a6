import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { before, test } from "node:test";
import { parse } from "yaml";
import { readUpstream, secretNames } from "../lib/stack-outputs";
import { connectorContract } from "../lib/contracts";
import type { StackRun } from "../tools/offline/run-stack";
import { asUpstream } from "../tools/offline/run-stack";
import { STACKS_ROOT } from "../tools/offline/project-config";
import { runStackUnderTest, sharedStackRun } from "./helpers/stack-under-test";

let run: StackRun;
before(async () => {
  run = await sharedStackRun("connector");
});

test("the exported outputs are exactly the connector contract, and satisfy it", async () => {
  assert.deepEqual(Object.keys(run.outputs).sort(), Object.keys(connectorContract).sort());
  const up = asUpstream(run);
  const values = await readUpstream(
    {
      name: "organization/connector/dev",
      getOutputDetails: async (k) =>
        up.secretOutputNames.includes(k) ? { secretValue: up.outputs[k] } : { value: up.outputs[k] },
    },
    connectorContract,
  );
  assert.equal(values.cloud, "AWS");
  assert.deepEqual(values.cdcTopics, ["fd.SAMPLE.AUTH_USER", "fd.SAMPLE.USER_TRANSACTION"]);
  assert.equal(values.authUserTable, "auth_user");
  assert.equal(values.userTransactionTable, "user_transaction");
});

test("exactly the contract's secret fields are secret outputs", () => {
  assert.deepEqual([...run.secretOutputNames].sort(), secretNames(connectorContract).sort());
});

test("one component per area; every Confluent/AWS resource is a child of one", () => {
  const components = run.resources.filter((r) => !r.custom);
  assert.deepEqual(components.map((c) => c.type).sort(), [
    "fraud-infra:cdc:OracleCdcSource",
    "fraud-infra:confluent:AccessControl",
    "fraud-infra:confluent:ConfluentPlatform",
    "fraud-infra:flink:FlinkSourceTables",
    "fraud-infra:k8s:InClusterJob",
  ]);
  const componentUrns = new Set(components.map((c) => c.urn));
  for (const r of run.resources.filter((x) => x.custom && !x.type.startsWith("pulumi:providers:"))) {
    assert.ok(componentUrns.has(r.parentUrn), `${r.type} ${r.name} has a component parent`);
  }
});

test("platform: governed environment, standard single-zone cluster in the AWS region, pool of 10 CFU", () => {
  const find = (type: string) => run.resources.find((r) => r.type === type)?.inputs;
  assert.deepEqual(find("confluentcloud:index/environment:Environment"), {
    displayName: "fd-dev-a1b2",
    streamGovernance: { package: "ESSENTIALS" },
  });
  const cluster = find("confluentcloud:index/kafkaCluster:KafkaCluster");
  assert.equal(cluster?.availability, "SINGLE_ZONE");
  assert.deepEqual(cluster?.standard, {});
  assert.equal(cluster?.enterprises, undefined);
  assert.equal(cluster?.region, "us-east-1");
  const pool = find("confluentcloud:index/flinkComputePool:FlinkComputePool");
  assert.equal(pool?.maxCfu, 10);
  assert.equal(pool?.cloud, "AWS");
  const sr = run.invokes.find((i) => i.token.endsWith("getSchemaRegistryCluster"));
  assert.deepEqual(sr?.inputs.environment, { id: run.outputs.environmentId });
});

test("enterprise / multi-zone / ADVANCED / 50 CFU are passed through in each resource's own terms", async () => {
  const r = await runStackUnderTest("connector", {
    overrides: {
      clusterType: "enterprise",
      availability: "MULTI_ZONE",
      governancePackage: "ADVANCED",
      flinkMaxCfu: 50,
    },
  });
  assert.match(String(r.warnings[0]), /clusterType is enterprise: .*egress IPs/);
  const find = (type: string) => r.resources.find((x) => x.type === type)?.inputs;
  const cluster = find("confluentcloud:index/kafkaCluster:KafkaCluster");
  assert.deepEqual(cluster?.enterprises, [{}]);
  assert.equal(cluster?.standard, undefined);
  assert.equal(cluster?.availability, "HIGH");
  assert.deepEqual(find("confluentcloud:index/environment:Environment")?.streamGovernance, {
    package: "ADVANCED",
  });
  assert.equal(find("confluentcloud:index/flinkComputePool:FlinkComputePool")?.maxCfu, 50);
});

test("a preview (unknown computed values) registers the same resources", async () => {
  const preview = await runStackUnderTest("connector", { preview: true });
  assert.deepEqual(
    preview.resources.map((r) => `${r.type} ${r.name}`).sort(),
    run.resources.map((r) => `${r.type} ${r.name}`).sort(),
  );
});

test("project layout: index.ts only wires main, Pulumi.yaml runs TypeScript through tsx", () => {
  const dir = path.join(STACKS_ROOT, "connector");
  assert.equal(
    readFileSync(path.join(dir, "index.ts"), "utf8"),
    'import { main } from "./program";\nexport = main;\n',
  );
  const doc = parse(readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")) as Record<string, unknown>;
  assert.deepEqual(doc.runtime, { name: "nodejs", options: { typescript: false, nodeargs: "--import tsx" } });
  assert.equal(doc.main, "index.ts");
  const dev = readFileSync(path.join(dir, "Pulumi.dev.yaml"), "utf8");
  assert.doesNotMatch(dev, /secure:|cloudApiSecret:/, "no secrets in the dev stack file");
});
