import type * as confluentcloud from "@pulumi/confluentcloud";
import * as pulumi from "@pulumi/pulumi";

/**
 * Where and as whom Flink statements run. Every connection setting goes on the statement itself
 * (the provider's "Option #1"), so a statement runs as the principal given here whatever the
 * provider configuration says.
 */
export interface FlinkTarget {
  readonly organizationId: pulumi.Input<string>;
  readonly environmentId: pulumi.Input<string>;
  /** Environment display name: the Flink catalog. */
  readonly environmentName: pulumi.Input<string>;
  /** Kafka cluster display name: the Flink database. */
  readonly kafkaClusterName: pulumi.Input<string>;
  readonly computePoolId: pulumi.Input<string>;
  /** Flink REST endpoint of the region. */
  readonly restEndpoint: pulumi.Input<string>;
  /** Service account the statements run as. */
  readonly principalId: pulumi.Input<string>;
  /** Flink API key that submits the statements (its owner needs Assigner on the principal). */
  readonly apiKey: pulumi.Input<string>;
  readonly apiSecret: pulumi.Input<string>;
}

/**
 * The arguments of a `confluentcloud.FlinkStatement` running `sql` as `statementName` on `target`;
 * `properties` adds statement properties such as `sql.state-ttl`.
 */
export function flinkStatementArgs(
  target: FlinkTarget,
  statementName: string,
  sql: string,
  properties: Readonly<Record<string, string>> = {},
): confluentcloud.FlinkStatementArgs {
  return {
    statementName,
    statement: sql,
    organization: { id: target.organizationId },
    environment: { id: target.environmentId },
    computePool: { id: target.computePoolId },
    principal: { id: target.principalId },
    restEndpoint: target.restEndpoint,
    // The SDK wraps `credentials` as a secret too; wrapping here does not depend on that.
    credentials: { key: target.apiKey, secret: pulumi.secret(target.apiSecret) },
    properties: {
      "sql.current-catalog": target.environmentName,
      "sql.current-database": target.kafkaClusterName,
      ...properties,
    },
  };
}
