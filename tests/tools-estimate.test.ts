import assert from "node:assert/strict";
import { test } from "node:test";
import type { RecordedResource } from "../tools/offline/mocks";
import { recordedResource } from "../tools/offline/mocks";
import type { StackRun } from "../tools/offline/run-stack";
import type { GraphNode } from "../tools/plan/estimate";
import {
  CREATION_TIMES,
  DEFAULT_MINUTES,
  ORACLE_SETUP_MINUTES,
  creationMinutes,
  criticalPath,
  deploymentGraph,
  estimateDeployment,
} from "../tools/plan/estimate";

const node = (id: string, minutes: number, deps: string[] = []): GraphNode => ({
  id,
  label: id,
  stack: "s",
  minutes,
  deps,
});

test("criticalPath finds the longest weighted chain, not the longest by count", () => {
  //   a(1) → b(1) → c(1) → e(1)        = 4
  //   a(1) → d(10) ──────→ e(1)        = 12  ← critical
  //   f(5)                              = 5
  const result = criticalPath([
    node("a", 1),
    node("b", 1, ["a"]),
    node("c", 1, ["b"]),
    node("d", 10, ["a"]),
    node("e", 1, ["c", "d"]),
    node("f", 5),
  ]);
  assert.equal(result.minutes, 12);
  assert.deepEqual(
    result.path.map((n) => n.id),
    ["a", "d", "e"],
  );
});

test("criticalPath ignores unknown dependencies and names a node on a cycle", () => {
  assert.equal(criticalPath([node("a", 2, ["missing"])]).minutes, 2);
  assert.throws(
    () => criticalPath([node("a", 1, ["b"]), node("b", 1, ["a"])]),
    /dependency cycle through (a|b)/,
  );
  assert.deepEqual(criticalPath([]), { minutes: 0, path: [] });
});

test("creation times: table entries, name-matched gates, default, components free", () => {
  const custom = (type: string, name = "x") => creationMinutes({ type, name, custom: true });
  assert.equal(custom("aws:eks/cluster:Cluster"), 12);
  assert.equal(custom("aws:opensearch/domain:Domain"), 18);
  assert.equal(custom("aws:redshift/cluster:Cluster"), 8);
  assert.equal(custom("confluentcloud:index/kafkaCluster:KafkaCluster"), 5);
  assert.equal(custom("pulumi-nodejs:dynamic:Resource", "cdc-schema-subjects"), 2);
  assert.equal(custom("pulumi-nodejs:dynamic:Resource", "anything"), 0.5);
  assert.equal(
    custom("pulumi-nodejs:dynamic/readiness:SchemaSubjectsGate", "cdc-subjects"),
    2,
    "by type prefix",
  );
  assert.equal(custom("aws:ec2/vpc:Vpc"), DEFAULT_MINUTES);
  assert.equal(creationMinutes({ type: "fraud-infra:x:Y", name: "c", custom: false }), 0);
  for (const t of CREATION_TIMES) assert.ok(t.minutes > 0 && t.range && t.why, t.type);
});

const res = (project: string, type: string, name: string, extra: Partial<RecordedResource> = {}) =>
  recordedResource(type, name, { urn: `urn:pulumi:dev::${project}::${type}::${name}`, ...extra });

const run = (project: string, resources: RecordedResource[]): StackRun => ({
  project,
  stack: "dev",
  resources,
  invokes: [],
  outputs: {},
  secretOutputNames: [],
  warnings: [],
});

test("the deployment graph chains stacks, expands component deps, and runs Oracle setup in the background", () => {
  const vpc = res("aws", "aws:ec2/vpc:Vpc", "vpc");
  const comp = res("aws", "fraud-infra:search:Search", "search", { custom: false });
  const domain = res("aws", "aws:opensearch/domain:Domain", "domain", {
    parentUrn: comp.urn,
    dependencyUrns: [vpc.urn],
  });
  const oracle = res("aws", "aws:ec2/instance:Instance", "oracle-host", { dependencyUrns: [vpc.urn] });
  // depends on the component: must wait for everything below it (the domain)
  const policy = res("aws", "aws:opensearch/domainPolicy:DomainPolicy", "policy", {
    dependencyUrns: [comp.urn],
  });
  const gate = res("conn", "pulumi-nodejs:dynamic:Resource", "oracle-ready");
  const connector = res("conn", "confluentcloud:index/connector:Connector", "cdc", {
    dependencyUrns: [gate.urn],
  });
  const runs = [run("aws", [vpc, comp, domain, oracle, policy]), run("conn", [gate, connector])];

  const graph = deploymentGraph(runs);
  const byId = new Map(graph.map((n) => [n.id, n]));
  assert.deepEqual(byId.get(policy.urn)?.deps, [domain.urn], "component dependency expanded to its children");
  assert.ok(byId.get(gate.urn)?.deps.includes("aws#complete"), "downstream waits for the upstream stack");
  assert.ok(
    byId.get(gate.urn)?.deps.includes(`${oracle.urn}#oracle-setup`),
    "the Oracle gate waits for setup",
  );
  assert.ok(
    !byId.get("aws#complete")?.deps.includes(`${oracle.urn}#oracle-setup`),
    "setup is background work",
  );
  assert.equal(byId.get(`${oracle.urn}#oracle-setup`)?.minutes, ORACLE_SETUP_MINUTES);

  // aws: vpc 0.1 + domain 18 + policy 2 = 20.1; Oracle ready at 0.1 + 1 + 15 = 16.1 < 20.1
  // conn: gate 0.5 + connector 5 after the barrier → 25.6
  const estimate = estimateDeployment(runs);
  assert.equal(estimate.minutes, 25.6);
  assert.deepEqual(
    estimate.path.map((n) => n.id),
    [vpc.urn, domain.urn, policy.urn, "aws#complete", gate.urn, connector.urn],
  );
});

test("a slow Oracle setup, not the upstream stack, can be the critical path", () => {
  const oracle = res("aws", "aws:ec2/instance:Instance", "oracle");
  const gate = res("conn", "pulumi-nodejs:dynamic/readiness:SsmParameterGate", "oracle-ready-gate");
  const estimate = estimateDeployment([run("aws", [oracle]), run("conn", [gate])]);
  assert.equal(estimate.minutes, 1 + ORACLE_SETUP_MINUTES + 0.5);
  assert.deepEqual(
    estimate.path.map((n) => n.id),
    [oracle.urn, `${oracle.urn}#oracle-setup`, gate.urn],
  );
});
