import assert from "node:assert/strict";
import { test } from "node:test";
import {
  CONNECTOR_INGRESS_GROUPS,
  DEFAULT_INBOUND_RULES_PER_GROUP,
  RuleQuotaError,
  spreadCidrs,
} from "../lib/security-group-quota";

/** `n` distinct /32 CIDRs, as a region's egress list would look. */
const cidrs = (n: number, base = 10) =>
  Array.from({ length: n }, (_, i) => `198.${base}.${Math.floor(i / 250)}.${i % 250}/32`);
const GROUPS = Array.from({ length: CONNECTOR_INGRESS_GROUPS }, (_, i) => `sg-ingress${i}`);

/** Map CIDR → the group it was put in. */
const placement = (groups: ReturnType<typeof spreadCidrs>) =>
  new Map(groups.flatMap((g) => g.cidrs.map((c) => [c, g.securityGroupId] as const)));

test("a region with 70 egress CIDRs fits: every CIDR once, spread over the groups, each within the quota", () => {
  const input = cidrs(70);
  const groups = spreadCidrs("Oracle", input, GROUPS, DEFAULT_INBOUND_RULES_PER_GROUP);
  assert.deepEqual(
    groups.map((g) => g.securityGroupId),
    GROUPS,
  );
  assert.deepEqual(groups.flatMap((g) => g.cidrs).sort(), [...input].sort());
  for (const g of groups) assert.ok(g.cidrs.length <= 60, `${g.securityGroupId}: ${g.cidrs.length} rules`);
  assert.ok(groups.filter((g) => g.cidrs.length > 0).length > 1, "more than one group used");
});

test("full groups overflow into the next one: 70 CIDRs with a quota of 20 still fit", () => {
  const groups = spreadCidrs("Oracle", cidrs(70), GROUPS, 20);
  assert.equal(groups.flatMap((g) => g.cidrs).length, 70);
  for (const g of groups) assert.ok(g.cidrs.length <= 20, `${g.securityGroupId}: ${g.cidrs.length} rules`);
  // At exactly the capacity, every group is full.
  const exact = spreadCidrs("Oracle", cidrs(80), GROUPS, 20);
  assert.deepEqual(
    exact.map((g) => g.cidrs.length),
    [20, 20, 20, 20],
  );
});

test("placement is stable: adding or removing a CIDR moves no other (no rule is replaced)", () => {
  const before = placement(spreadCidrs("Oracle", cidrs(70), GROUPS, 60));
  const added = placement(spreadCidrs("Oracle", [...cidrs(70), "203.0.113.0/24"], GROUPS, 60));
  const removed = placement(spreadCidrs("Oracle", cidrs(70).slice(1), GROUPS, 60));
  for (const [cidr, group] of before) {
    assert.equal(added.get(cidr), group, `${cidr} stays when a CIDR is added`);
    if (removed.has(cidr)) assert.equal(removed.get(cidr), group, `${cidr} stays when a CIDR is removed`);
  }
  // Input order and duplicates do not matter.
  const shuffled = [...cidrs(70)].reverse();
  assert.deepEqual(placement(spreadCidrs("Oracle", [...shuffled, shuffled[0]!], GROUPS, 60)), before);
});

test("too many CIDRs: a clear error with the count, the capacity, the quota and how to raise it", () => {
  assert.throws(
    () => spreadCidrs("Redshift's 5439 rules", cidrs(241), GROUPS, 60),
    (err: unknown) =>
      err instanceof RuleQuotaError &&
      err.message.includes("Redshift's 5439 rules needs 241 inbound rules") &&
      err.message.includes(
        "its 4 security group(s) hold at most 240 (60 inbound rules per security group)",
      ) &&
      err.message.includes("Service Quotas") &&
      err.message.includes("aws-resources:securityGroupRuleQuota"),
  );
  assert.throws(() => spreadCidrs("x", cidrs(2), GROUPS, 0), RuleQuotaError);
  assert.deepEqual(
    spreadCidrs("x", [], GROUPS, 60).map((g) => g.cidrs),
    [[], [], [], []],
  );
});
