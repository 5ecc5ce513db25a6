import { redshiftOverPrivateLink } from "../../lib/network-mode";
import { PROJECTS } from "../../lib/contracts";
import type { StackRun } from "../offline/run-stack";

/**
 * Things the plan cannot refuse but an operator must know before a real `up`. Read from the
 * aws-resources run's contract outputs, so they describe what the stack would actually export.
 */
export const EMPTY_ALLOWED_CIDRS =
  "aws-resources:allowedCidrs is empty: the deployment itself does not need it (its actions against the " +
  "web app and OpenSearch run inside the EKS cluster), but nobody can reach Oracle, Redshift or OpenSearch " +
  "for administration, and `fraud-infra verify` (which runs from your machine) cannot run. Add your " +
  "address: `cd stacks/aws-resources && pulumi config set --path 'allowedCidrs[0]' <your-ip>/32`.";

/** Said of every private plan whose Redshift hop goes over PrivateLink: no Confluent guide confirms it. */
export const UNVERIFIED_REDSHIFT_HOP =
  "UNVERIFIED: the Redshift hop of private mode (the Redshift sink through an egress access point to an internal " +
  "NLB whose target is the leader node's private address) has no Confluent guide; only a real run confirms it " +
  "(docs/design-decisions.md#the-redshift-hop-unverified). Fallback without redeploying the rest: " +
  "`cd stacks/aws-resources && pulumi config set redshiftPath public-allowlist`, then `fraud-infra up`.";

export function planWarnings(runs: readonly StackRun[]): string[] {
  const aws = runs.find((r) => r.project === PROJECTS.awsResources);
  if (!aws) return [];
  const allowed = aws.outputs.allowedCidrs;
  return [
    ...(Array.isArray(allowed) && allowed.length === 0 ? [EMPTY_ALLOWED_CIDRS] : []),
    ...(redshiftOverPrivateLink(aws.outputs) ? [UNVERIFIED_REDSHIFT_HOP] : []),
  ];
}
