import type { NetworkMode } from "../../lib/network-mode";
import { isPrivateCidr } from "../../lib/private-ranges";

/**
 * Pure rules of the network mode (docs/design-decisions.md#private-networking): which admin CIDRs reach
 * the data stores, and where each store lives.
 */

/**
 * The admin CIDRs the data stores admit: all of allowedCidrs in public mode; in private mode only the
 * private-range ones (a VPN or a peered network), since no store may admit an internet address then.
 */
export function dataStoreAdminCidrs(mode: NetworkMode, allowedCidrs: readonly string[]): string[] {
  return mode === "private" ? allowedCidrs.filter(isPrivateCidr) : [...allowedCidrs];
}

/** The warning for allowedCidrs entries that private mode keeps away from the data stores, or undefined. */
export function publicAdminCidrsWarning(
  mode: NetworkMode,
  allowedCidrs: readonly string[],
): string | undefined {
  const dropped = mode === "private" ? allowedCidrs.filter((c) => !isPrivateCidr(c)) : [];
  if (dropped.length === 0) return undefined;
  return (
    `aws-resources:allowedCidrs ${dropped.join(", ")}: in private mode these public addresses reach the web app ` +
    "only, never Oracle, Redshift or OpenSearch; administer the stores from inside the VPC (SSM, a VPN or a " +
    "peered network with a private range) and run `fraud-infra verify` and `status`, which go through the runner"
  );
}

/** The Redshift leader node's private address (the only node of a single-node cluster is `SHARED`). */
export function leaderNodeIp(nodes: readonly { nodeRole: string; privateIpAddress: string }[]): string {
  const leader = nodes.find((n) => n.nodeRole === "LEADER" || n.nodeRole === "SHARED");
  if (!leader?.privateIpAddress) {
    throw new Error(
      `the Redshift cluster reports no leader node address (nodes: ${JSON.stringify(nodes)}); the NLB needs it as its target`,
    );
  }
  return leader.privateIpAddress;
}
