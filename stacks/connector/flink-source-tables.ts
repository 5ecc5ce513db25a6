import * as confluentcloud from "@pulumi/confluentcloud";
import * as pulumi from "@pulumi/pulumi";
import { SchemaSubjectsGate } from "../../lib/readiness-gates";
import type { RenderedStatement } from "./flink-statements";

export interface FlinkSourceTablesArgs {
  /** The statements to run, in dependency order (see `sourceTableStatements`). */
  readonly statements: readonly RenderedStatement[];
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
  readonly flinkApiKey: pulumi.Input<string>;
  readonly flinkApiSecret: pulumi.Input<string>;
  /** The CDC subjects gate: the CDC tables exist for Flink only once their schemas are registered. */
  readonly subjectsGate: {
    readonly schemaRegistryEndpoint: pulumi.Input<string>;
    readonly apiKey: pulumi.Input<string>;
    readonly apiSecret: pulumi.Input<string>;
    /** e.g. `fd.SAMPLE.AUTH_USER-value`. */
    readonly subjects: readonly string[];
    /** @default 15 */
    readonly timeoutMinutes: number;
  };
  /** What must exist before the gate starts waiting: the connector and the accounts' role bindings. */
  readonly dependsOn: readonly pulumi.Resource[];
}

/**
 * Flink source tables fed by the CDC topics: waits (gate) until the connector has registered the
 * topics' value schemas, then ALTERs each CDC table, CREATEs the typed table and starts the
 * long-running INSERT. Statements are configured entirely on the resource ("Option 1"), so they run
 * as their own principal whatever the provider configuration says.
 */
export class FlinkSourceTables extends pulumi.ComponentResource {
  readonly subjectsReady: SchemaSubjectsGate;
  readonly statements: Readonly<Record<string, confluentcloud.FlinkStatement>>;

  constructor(name: string, args: FlinkSourceTablesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-infra:flink:FlinkSourceTables", name, {}, opts);

    // Only a real run exercises the Schema Registry HTTP call inside this gate.
    this.subjectsReady = new SchemaSubjectsGate(
      `${name}-cdc-subjects`,
      {
        endpoint: args.subjectsGate.schemaRegistryEndpoint,
        apiKey: args.subjectsGate.apiKey,
        apiSecret: args.subjectsGate.apiSecret,
        subjects: [...args.subjectsGate.subjects],
        timeoutMinutes: args.subjectsGate.timeoutMinutes,
      },
      { parent: this, dependsOn: [...args.dependsOn] },
    );

    const statements: Record<string, confluentcloud.FlinkStatement> = {};
    for (const s of args.statements) {
      const previous = s.after === undefined ? undefined : statements[s.after];
      if (s.after !== undefined && !previous)
        throw new Error(`statement ${s.key} must come after ${s.after}`);
      statements[s.key] = new confluentcloud.FlinkStatement(
        `${name}-${s.key}`,
        {
          statementName: s.statementName,
          statement: s.sql,
          organization: { id: args.organizationId },
          environment: { id: args.environmentId },
          computePool: { id: args.computePoolId },
          principal: { id: args.principalId },
          restEndpoint: args.restEndpoint,
          credentials: { key: args.flinkApiKey, secret: pulumi.secret(args.flinkApiSecret) },
          properties: {
            "sql.current-catalog": args.environmentName,
            "sql.current-database": args.kafkaClusterName,
          },
        },
        { parent: this, dependsOn: [this.subjectsReady, ...(previous ? [previous] : []), ...args.dependsOn] },
      );
    }
    this.statements = statements;

    this.registerOutputs({
      statementNames: Object.values(statements).map((s) => s.statementName),
    });
  }
}
