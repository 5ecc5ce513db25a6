import { z } from "zod";
import type { RawConfig } from "../../lib/config";
import { bool, ConfigError, emptyToUndefined, int, oneOf, parseConfig } from "../../lib/config";
import { checkAwsRegion, zOptionalStackName, zTagValue } from "../../lib/validators";
import { PROJECTS } from "../../lib/contracts";
import { isTrialStack, TRIAL_STACK } from "../../lib/naming";
import type { NetworkMode } from "../../lib/network-mode";

/**
 * The one typed loader of this stack's configuration. Defaults live in Pulumi.yaml (the CLI and the
 * offline harness apply them); this schema checks meaning, and every message says what is allowed.
 */

export const CLUSTER_TYPES = ["standard", "enterprise"] as const;
export const AVAILABILITIES = ["SINGLE_ZONE", "MULTI_ZONE"] as const;
export const GOVERNANCE_PACKAGES = ["ESSENTIALS", "ADVANCED"] as const;
/** The compute-pool sizes Confluent accepts. */
export const FLINK_MAX_CFUS = [5, 10, 20, 30, 40, 50] as const;
export const SNAPSHOT_MODES = ["initial", "no_data"] as const;

/** topic.prefix: it also starts every RBAC prefix pattern (`topic=<prefix>.*`), so keep it plain. */
const TOPIC_PREFIX = /^[a-z][a-z0-9_-]{0,31}$/;

const BASIC_REFUSED =
  "basic is not supported: Basic clusters have no RBAC on topics, consumer groups or transactional ids and " +
  "Flink has no ACLs, so the service accounts could not be least-privilege; use standard or enterprise";

const connectorConfigSchema = z.object({
  awsResourcesStack: zOptionalStackName(),
  region: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .superRefine((v, ctx) => {
        const problem = checkAwsRegion(v);
        if (problem)
          ctx.addIssue({ code: "custom", message: `${problem}; or leave empty to follow aws-resources` });
      })
      .optional(),
  ),
  clusterType: z.preprocess(
    emptyToUndefined,
    z
      .enum(CLUSTER_TYPES, {
        error: (issue) =>
          String(issue.input).toLowerCase() === "basic"
            ? BASIC_REFUSED
            : `must be one of: ${CLUSTER_TYPES.join(", ")}, or empty to follow aws-resources:networkMode`,
      })
      .optional(),
  ),
  availability: oneOf(AVAILABILITIES),
  governancePackage: oneOf(GOVERNANCE_PACKAGES),
  flinkMaxCfu: z.preprocess(
    (v) => (typeof v === "string" && v.trim() !== "" ? Number(v) : emptyToUndefined(v)),
    z.literal(FLINK_MAX_CFUS, { error: `must be one of: ${FLINK_MAX_CFUS.join(", ")}` }),
  ),
  topicPrefix: z.preprocess(
    emptyToUndefined,
    z
      .string({ error: "is required; e.g. fd" })
      .regex(TOPIC_PREFIX, { error: "must be a lowercase letter followed by up to 31 of a-z, 0-9, _ or -" }),
  ),
  tableBuckets: int(1, 1024),
  snapshotMode: oneOf(SNAPSHOT_MODES),
  oracleProcessorLicenses: int(1, 4096),
  oracleReadyTimeoutMinutes: int(1, 180),
  schemaReadyTimeoutMinutes: int(1, 120),
  useEnvironmentAdmin: bool(),
  owner: zTagValue(),
  costCenter: zTagValue(),
  // Read by the plan's cost estimate only (tools/plan/cost); declared here so it is a known key.
  costConnectorGbPerDay: int(0, 100000),
});

export type ConnectorConfig = z.output<typeof connectorConfigSchema>;

/** Every key this stack reads, as declared in Pulumi.yaml. */
export const CONFIG_KEYS: readonly string[] = Object.keys(connectorConfigSchema.shape);

/**
 * Validates raw config for `stack`; throws a ConfigError naming every bad key, value and what is allowed.
 * The EnvironmentAdmin escape hatch turns off a mandatory policy rule, so a stack's own config may ask
 * for it only on the trial stack: anywhere else it is refused, not relaxed.
 */
export function loadConnectorConfig(raw: RawConfig, stack: string): ConnectorConfig {
  const cfg = parseConfig(PROJECTS.connector, connectorConfigSchema, raw);
  if (cfg.useEnvironmentAdmin && !isTrialStack(stack)) {
    throw new ConfigError(PROJECTS.connector, [
      {
        key: "useEnvironmentAdmin",
        value: raw.useEnvironmentAdmin,
        message:
          `must be false on stack "${stack}": EnvironmentAdmin is allowed only on the trial stack ` +
          `"${TRIAL_STACK}"; give the deploying key the rights to create fine-grained role bindings instead ` +
          "(docs/security.md)",
      },
    ]);
  }
  return cfg;
}

/**
 * The cluster type: the configured one, else the one the network mode needs. Private mode's gateways
 * exist for Enterprise clusters (docs/design-decisions.md#private-networking), so a Standard cluster
 * there is refused, naming the key.
 */
export function clusterTypeFor(
  configured: (typeof CLUSTER_TYPES)[number] | undefined,
  networkMode: NetworkMode,
): (typeof CLUSTER_TYPES)[number] {
  const wanted = networkMode === "private" ? "enterprise" : "standard";
  if (configured === undefined) return wanted;
  if (networkMode === "private" && configured !== "enterprise") {
    throw new ConfigError(PROJECTS.connector, [
      {
        key: "clusterType",
        value: configured,
        message:
          "must be enterprise (or empty) while aws-resources:networkMode is private: the egress and ingress " +
          "PrivateLink gateways of the private layout serve Enterprise clusters",
      },
    ]);
  }
  return configured;
}

/**
 * The Kafka cluster must live in the AWS stack's region: the connector reaches Oracle from that
 * region's Confluent egress addresses, and cross-region CDC would add latency and transfer cost.
 * Checked right after the upstream outputs are read, still before any resource is created.
 */
export function resolveRegion(configured: string | undefined, upstreamRegion: string): string {
  if (configured === undefined || configured === upstreamRegion) return upstreamRegion;
  throw new ConfigError(PROJECTS.connector, [
    {
      key: "region",
      value: configured,
      message:
        `cloud/region mismatch: the aws-resources stack is in AWS ${upstreamRegion}, and the Kafka cluster ` +
        `must be in the same cloud region; set connector:region to ${upstreamRegion} or leave it empty`,
    },
  ]);
}
