import assert from "node:assert/strict";
import { test } from "node:test";
import { StackRunError } from "../tools/offline/run-stack";
import { assertConfigRefused } from "./helpers/config-errors";
import { T } from "./helpers/processing";
import { ofType, one } from "./helpers/resources";
import { syntheticAwsResources } from "./helpers/synthetic-upstream";
import { runStackUnderTest, sharedStackRun } from "./helpers/stack-under-test";

/** `n` distinct public /32 CIDRs, as a region's Confluent egress list would look. */
const egress = (n: number) =>
  Array.from({ length: n }, (_, i) => `198.51.${Math.floor(i / 200)}.${i % 200}/32`);

const ipAddresses = (cidrs: readonly string[]) => () => ({
  id: "ip-addresses",
  ipAddresses: cidrs.map((ipPrefix) => ({
    ipPrefix,
    cloud: "AWS",
    region: "us-east-1",
    services: ["CONNECT"],
    addressType: "EGRESS",
  })),
});
const withEgress = (cidrs: readonly string[]) => ({
  invokes: { "confluentcloud:index/getIpAddresses:getIpAddresses": ipAddresses(cidrs) },
});

/** Rules per security group id. */
function rulesPerGroup(rules: { inputs: Record<string, unknown> }[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const r of rules)
    counts.set(String(r.inputs.securityGroupId), (counts.get(String(r.inputs.securityGroupId)) ?? 0) + 1);
  return counts;
}

test("connector: 70 egress CIDRs are spread over Oracle's connector ingress groups, none past the quota", async () => {
  const run = await runStackUnderTest("connector", { ...withEgress(egress(70)) });
  const rules = ofType(run, T.ingress);
  assert.equal(rules.length, 70);
  const counts = rulesPerGroup(rules);
  const groups = syntheticAwsResources.oracleIngressSecurityGroupIds as string[];
  assert.ok(counts.size > 1, "more than one group");
  for (const [group, n] of counts) {
    assert.ok(groups.includes(group), `${group} is a connector ingress group, never the host's own`);
    assert.ok(n <= 60, `${group}: ${n} rules`);
  }
  assert.equal(new Set(rules.map((r) => r.name)).size, 70, "one rule (and name) per CIDR");
});

test("connector: more CIDRs than the groups hold stop the run before any resource, naming count, capacity and quota", async () => {
  await assert.rejects(
    runStackUnderTest("connector", {
      upstream: { "aws-resources": { securityGroupRuleQuota: 20 } },
      ...withEgress(egress(70)),
    }),
    (err: unknown) => {
      assert.ok(err instanceof StackRunError);
      assert.match(
        err.message,
        /needs 70 inbound rules, but its 3 security group\(s\) hold at most 60 \(20 inbound rules per security group\)/,
      );
      assert.match(err.message, /Service Quotas/);
      assert.deepEqual(err.resources, []);
      return true;
    },
  );
});

test("processing: Redshift's 5439 rules are spread the same way, and too many fail before any resource", async () => {
  const run = await runStackUnderTest("processing", {
    upstream: { connector: { connectEgressCidrs: egress(70) } },
  });
  const rules = ofType(run, T.ingress);
  assert.equal(rules.length, 70);
  const groups = syntheticAwsResources.redshiftIngressSecurityGroupIds as string[];
  for (const [group, n] of rulesPerGroup(rules)) {
    assert.ok(groups.includes(group) && n <= 60, `${group}: ${n} rules`);
  }
  await assert.rejects(
    runStackUnderTest("processing", { upstream: { connector: { connectEgressCidrs: egress(121) } } }),
    (err: unknown) => {
      assert.ok(err instanceof StackRunError);
      assert.match(err.message, /needs 121 inbound rules, but its 2 security group\(s\) hold at most 120/);
      assert.deepEqual(err.resources, []);
      return true;
    },
  );
});

test("aws-resources: Oracle and Redshift carry four empty connector ingress groups, exported through the contract", async () => {
  const run = await sharedStackRun("aws-resources");
  const sgs = ofType(run, "aws:ec2/securityGroup:SecurityGroup");
  const idOf = (name: string) => sgs.find((s) => s.name === name)?.urn;
  for (const [store, own, output] of [
    ["oracle", "oracle-host", "oracleIngressSecurityGroupIds"],
    ["redshift", "redshift-sg", "redshiftIngressSecurityGroupIds"],
  ] as const) {
    const ingress = sgs.filter((s) => s.name.startsWith(`${store}-connector-ingress-`));
    assert.deepEqual(
      ingress.map((s) => s.name),
      [0, 1, 2, 3].map((i) => `${store}-connector-ingress-${i}`),
    );
    assert.ok(idOf(own));
    const ids = run.outputs[output] as string[];
    assert.equal(ids.length, 4);
    // No rule of its own: the downstream stacks fill them.
    const rules = [
      ...ofType(run, T.ingress),
      ...ofType(run, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"),
    ];
    for (const id of ids)
      assert.ok(!rules.some((r) => r.inputs.securityGroupId === id), `${id} starts empty`);
  }
  const instance = one(run, "aws:ec2/instance:Instance").inputs;
  assert.deepEqual(instance.vpcSecurityGroupIds, [
    run.outputs.oracleSecurityGroupId,
    ...(run.outputs.oracleIngressSecurityGroupIds as string[]),
  ]);
  const cluster = one(run, "aws:redshift/cluster:Cluster").inputs;
  assert.deepEqual(cluster.vpcSecurityGroupIds, [
    run.outputs.redshiftSecurityGroupId,
    ...(run.outputs.redshiftIngressSecurityGroupIds as string[]),
  ]);
  assert.equal(run.outputs.securityGroupRuleQuota, 60);
});

test("aws-resources: allowedCidrs must fit the stores' own groups (plus the EKS rule), by the configured quota", async () => {
  const many = egress(60);
  await assertConfigRefused(
    runStackUnderTest("aws-resources", { overrides: { allowedCidrs: many } }),
    "aws-resources",
    "allowedCidrs",
    /allowedCidrs needs 61 inbound rules, but its 1 security group\(s\) hold at most 60/,
  );
  const raised = await runStackUnderTest("aws-resources", {
    overrides: { allowedCidrs: many, securityGroupRuleQuota: 100 },
  });
  assert.equal(raised.outputs.securityGroupRuleQuota, 100);
  await assertConfigRefused(
    runStackUnderTest("aws-resources", { overrides: { securityGroupRuleQuota: 0 } }),
    "aws-resources",
    "securityGroupRuleQuota",
    /1000/,
  );
});
