/**
 * How the data stores are reached (the aws-resources key `networkMode`, exported in its contract so the
 * other stacks follow it): `public` admits Confluent Cloud's shared egress addresses on the stores'
 * ports, `private` gives no store a public address and reaches each one over PrivateLink
 * (docs/design-decisions.md#private-networking). No imports: the policy pack reads these too.
 */
export const NETWORK_MODES = ["public", "private"] as const;
export type NetworkMode = (typeof NETWORK_MODES)[number];

/**
 * The Redshift hop in private mode (the aws-resources key `redshiftPath`): `privatelink` (an internal
 * NLB behind a VPC endpoint service, unverified by Confluent) or `public-allowlist`, the documented
 * fallback to the allow-listed public path of public mode for Redshift alone.
 */
export const REDSHIFT_PATHS = ["privatelink", "public-allowlist"] as const;
export type RedshiftPath = (typeof REDSHIFT_PATHS)[number];

/**
 * Whether the Redshift sink goes through the PrivateLink hop: private mode, unless its fallback is on.
 * Takes the aws-resources config or its outputs alike (the plan reads them untyped).
 */
export function redshiftOverPrivateLink(s: {
  readonly networkMode?: unknown;
  readonly redshiftPath?: unknown;
}): boolean {
  return s.networkMode === "private" && s.redshiftPath === "privatelink";
}

/**
 * The tag a data store or a rule of the Redshift fallback carries in private mode: the policy pack
 * admits that one public path only when it says why.
 */
export const PUBLIC_ACCESS_JUSTIFICATION_TAG = "PublicAccessJustification";
export const REDSHIFT_FALLBACK_JUSTIFICATION =
  "aws-resources:redshiftPath is public-allowlist: the documented fallback for the unverified Redshift PrivateLink hop";

/** Whether a Flink or Kafka REST endpoint is one of Confluent Cloud's private endpoints. */
export function isPrivateConfluentEndpoint(url: string): boolean {
  return /^https:\/\/[^/]*\.private\.confluent\.cloud(:\d+)?(\/|$)/.test(url);
}
