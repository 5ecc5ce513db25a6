import * as confluentcloud from "@pulumi/confluentcloud";
import * as pulumi from "@pulumi/pulumi";
import type { connectorContract } from "./contracts";
import type { Upstream } from "./stack-outputs";

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

/** The Flink target the connector stack exports: its pool, endpoint, key, and the statements' principal. */
export function flinkTargetOf(
  connector: Upstream<typeof connectorContract>,
): FlinkTarget & { readonly principalId: string } {
  return {
    organizationId: connector.organizationId,
    environmentId: connector.environmentId,
    environmentName: connector.environmentName,
    kafkaClusterName: connector.kafkaClusterName,
    computePoolId: connector.flinkComputePoolId,
    restEndpoint: connector.flinkRestEndpoint,
    principalId: connector.flinkStatementServiceAccountId,
    apiKey: connector.flinkApiKey,
    apiSecret: connector.flinkApiSecret,
  };
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

/**
 * A Flink statement as data: what a stack registers itself, or, in private mode, exports for the
 * data-plane stack to register through the private endpoint (docs/design-decisions.md#the-inner-phase).
 */
export interface FlinkStatementSpec {
  /** Unique in its stack; the resource name is `<component>-<key>`. */
  readonly key: string;
  /** Confluent statement name (it changes with the SQL, so an edit replaces the statement). */
  readonly name: string;
  readonly sql: string;
  /** Statement properties beyond the catalog and database, e.g. `sql.state-ttl`. */
  readonly properties: Readonly<Record<string, string>>;
  /** Keys of the statements that must run first. */
  readonly after: readonly string[];
}

/** The specs in an order where each comes after those it names; an unknown key or a cycle is an error. */
function orderedSpecs(specs: readonly FlinkStatementSpec[]): FlinkStatementSpec[] {
  const byKey = new Map(specs.map((s) => [s.key, s] as const));
  if (byKey.size !== specs.length) throw new Error("Flink statement keys must be unique");
  const done = new Set<string>();
  const out: FlinkStatementSpec[] = [];
  const visit = (s: FlinkStatementSpec, path: readonly string[]) => {
    if (done.has(s.key)) return;
    if (path.includes(s.key))
      throw new Error(`Flink statements wait on each other: ${[...path, s.key].join(" → ")}`);
    for (const key of s.after) {
      const before = byKey.get(key);
      if (!before)
        throw new Error(`statement ${s.key} must come after ${key}, which is not among the statements`);
      visit(before, [...path, s.key]);
    }
    done.add(s.key);
    out.push(s);
  };
  specs.forEach((s) => visit(s, []));
  return out;
}

/**
 * Registers the specs as FlinkStatements named `<name>-<key>` on `target`, each after the statements
 * its `after` names and the resources `dependsOn` gives for it.
 */
export function registerFlinkStatements(
  name: string,
  target: FlinkTarget,
  specs: readonly FlinkStatementSpec[],
  opts: {
    readonly parent: pulumi.Resource;
    readonly dependsOn?: (spec: FlinkStatementSpec) => pulumi.Input<pulumi.Resource>[];
  },
): Record<string, confluentcloud.FlinkStatement> {
  const registered: Record<string, confluentcloud.FlinkStatement> = {};
  for (const spec of orderedSpecs(specs)) {
    registered[spec.key] = new confluentcloud.FlinkStatement(
      `${name}-${spec.key}`,
      flinkStatementArgs(target, spec.name, spec.sql, spec.properties),
      {
        parent: opts.parent,
        dependsOn: [...spec.after.map((key) => registered[key]!), ...(opts.dependsOn?.(spec) ?? [])],
      },
    );
  }
  return registered;
}

/** `specs` with every key (and every key they wait for) prefixed by `prefix-`, for another stack's registry. */
export function prefixedSpecs(prefix: string, specs: readonly FlinkStatementSpec[]): FlinkStatementSpec[] {
  return specs.map((s) => ({
    ...s,
    key: `${prefix}-${s.key}`,
    after: s.after.map((key) => `${prefix}-${key}`),
  }));
}
