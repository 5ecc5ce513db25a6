import { createHash } from "node:crypto";

/**
 * Security groups hold a limited number of inbound rules: 60 by default, adjustable through Service
 * Quotas ("Inbound or outbound rules per security group", Amazon VPC;
 * https://docs.aws.amazon.com/vpc/latest/userguide/amazon-vpc-limits.html#vpc-limits-security-groups).
 * A rule that references a managed prefix list counts as the list's maximum entries, so a prefix list
 * saves nothing. The connector and processing stacks add one rule per Confluent egress CIDR, so those
 * rules are spread over the dedicated "connector ingress" groups the aws-resources stack creates.
 */

/** AWS's default number of inbound rules per security group. */
export const DEFAULT_INBOUND_RULES_PER_GROUP = 60;

/**
 * The connector ingress groups per data store. A network interface takes 5 security groups by default:
 * the store's own group plus these 4.
 */
export const CONNECTOR_INGRESS_GROUPS = 4;

export class RuleQuotaError extends Error {
  override name = "RuleQuotaError";
}

/** CIDRs that go into one security group. */
export interface CidrGroup {
  readonly securityGroupId: string;
  readonly cidrs: readonly string[];
}

/** A group index derived from the CIDR alone, so where a CIDR goes does not depend on the others. */
function preferredGroup(cidr: string, groupCount: number): number {
  return createHash("sha256").update(cidr).digest().readUInt32BE(0) % groupCount;
}

/** The error text when `ruleCount` rules do not fit: the count, the capacity, the quota and the remedy. */
export function ruleQuotaMessage(what: string, ruleCount: number, groupCount: number, quota: number): string {
  return (
    `${what} needs ${ruleCount} inbound rules, but its ${groupCount} security group(s) hold at most ` +
    `${groupCount * quota} (${quota} inbound rules per security group). Ask AWS for more through Service ` +
    `Quotas (Amazon VPC, "Inbound or outbound rules per security group"), then set ` +
    `aws-resources:securityGroupRuleQuota to the new value and run the stacks again.`
  );
}

/**
 * Spreads one ingress rule per CIDR over `securityGroupIds`, at most `quota` rules per group. Each CIDR
 * goes to the group its hash picks, or the next one with room, taking CIDRs in sorted order: adding or
 * removing a CIDR moves no other CIDR while no group is full, so their rules are never replaced.
 * IPv4 and IPv6 rules are counted together (AWS applies the quota to each separately): the safe side.
 * Throws a RuleQuotaError naming the count, the capacity and the quota when they cannot all fit.
 */
export function spreadCidrs(
  what: string,
  cidrs: readonly string[],
  securityGroupIds: readonly string[],
  quota: number,
): CidrGroup[] {
  if (!Number.isInteger(quota) || quota < 1) {
    throw new RuleQuotaError(`${what}: the rule quota must be a positive integer, not ${quota}`);
  }
  const unique = [...new Set(cidrs)].sort();
  const groupCount = securityGroupIds.length;
  if (unique.length > groupCount * quota) {
    throw new RuleQuotaError(ruleQuotaMessage(what, unique.length, groupCount, quota));
  }
  const members: string[][] = securityGroupIds.map(() => []);
  for (const cidr of unique) {
    const first = preferredGroup(cidr, groupCount);
    for (let step = 0; step < groupCount; step++) {
      const group = members[(first + step) % groupCount]!;
      if (group.length < quota) {
        group.push(cidr);
        break;
      }
    }
  }
  return securityGroupIds.map((securityGroupId, i) => ({ securityGroupId, cidrs: members[i]! }));
}
