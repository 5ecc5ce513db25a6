/**
 * The Oracle host's capacity metrics: what its housekeeping timer publishes to CloudWatch, what the
 * alarms watch and what `fraud-infra status` reads back, so the three never disagree on a name or
 * on the threshold.
 */

/** The CloudWatch namespace the host publishes to (its role may publish to no other). */
export const ORACLE_METRICS_NAMESPACE = "FraudInfra/Oracle";

/** Each metric is a percentage, published with the single dimension `InstanceId`. */
export const ORACLE_CAPACITY_METRICS = {
  dataVolume: { name: "DataVolumeUsedPercent", label: "data volume" },
  recoveryArea: { name: "RecoveryAreaUsedPercent", label: "fast recovery area" },
} as const;

export type OracleCapacityMetric = keyof typeof ORACLE_CAPACITY_METRICS;

/** The metrics' keys in declaration order, typed (`Object.keys` gives plain strings). */
export const ORACLE_CAPACITY_METRIC_KEYS: readonly OracleCapacityMetric[] = Object.keys(
  ORACLE_CAPACITY_METRICS,
) as OracleCapacityMetric[];

/**
 * Alarm threshold, in percent used. Oracle itself warns at 85% of the recovery area and, when it is
 * full, stops archiving (ORA-00257) or deletes logs the capture still needs: 80% leaves time to act.
 */
export const CAPACITY_ALARM_PERCENT = 80;

/** How often the host publishes, in seconds: the alarms' period and status's look-back follow it. */
export const CAPACITY_PUBLISH_SECONDS = 900;
