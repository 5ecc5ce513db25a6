import * as confluentcloud from "@pulumi/confluentcloud";
import * as pulumi from "@pulumi/pulumi";
import type { FlinkTarget } from "../../lib/flink";
import { flinkStatementArgs } from "../../lib/flink";
import { SchemaSubjectsGate } from "../../lib/readiness-gates";
import { WebappFirstTransaction } from "./first-transaction";
import type { RenderedStatement } from "./flink-statements";

export interface FlinkSourceTablesArgs {
  /** The statements to run, in dependency order (see `sourceTableStatements`). */
  readonly statements: readonly RenderedStatement[];
  /** Where the statements run, as the Flink statements account, submitted with the Flink API key. */
  readonly flink: FlinkTarget;
  /** The CDC subjects gate: the CDC tables exist for Flink only once their schemas are registered. */
  readonly subjectsGate: {
    readonly schemaRegistryEndpoint: pulumi.Input<string>;
    readonly apiKey: pulumi.Input<string>;
    readonly apiSecret: pulumi.Input<string>;
    /** e.g. `fd.SAMPLE.AUTH_USER-value`. */
    readonly subjects: readonly string[];
    /** @default 15 */
    readonly timeoutMinutes: number;
    /**
     * The web app's create-real-transaction endpoint: asked once for one ordinary transaction, the
     * row that makes the connector create the transactions topic and its subject.
     */
    readonly firstTransactionUrl: pulumi.Input<string>;
  };
  /** What must exist before the gate starts waiting: the connector and the accounts' role bindings. */
  readonly dependsOn: readonly pulumi.Resource[];
}

/**
 * Flink source tables fed by the CDC topics: waits (gate) until the connector has registered the
 * topics' value schemas, then ALTERs each CDC table, CREATEs the typed table and starts the
 * long-running INSERT, each configured entirely on the resource (see `flinkStatementArgs`).
 */
export class FlinkSourceTables extends pulumi.ComponentResource {
  readonly firstTransaction: WebappFirstTransaction;
  readonly subjectsReady: SchemaSubjectsGate;
  readonly statements: Readonly<Record<string, confluentcloud.FlinkStatement>>;

  constructor(name: string, args: FlinkSourceTablesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-infra:flink:FlinkSourceTables", name, {}, opts);

    // Only once the connector runs: the row must reach it (in its snapshot or its stream).
    this.firstTransaction = new WebappFirstTransaction(
      `${name}-first-transaction`,
      { url: args.subjectsGate.firstTransactionUrl, timeoutMinutes: args.subjectsGate.timeoutMinutes },
      { parent: this, dependsOn: [...args.dependsOn] },
    );

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
      { parent: this, dependsOn: [...args.dependsOn, this.firstTransaction] },
    );

    const statements: Record<string, confluentcloud.FlinkStatement> = {};
    for (const s of args.statements) {
      const previous = s.after === undefined ? undefined : statements[s.after];
      if (s.after !== undefined && !previous)
        throw new Error(`statement ${s.key} must come after ${s.after}`);
      statements[s.key] = new confluentcloud.FlinkStatement(
        `${name}-${s.key}`,
        flinkStatementArgs(args.flink, s.statementName, s.sql),
        { parent: this, dependsOn: [this.subjectsReady, ...(previous ? [previous] : []), ...args.dependsOn] },
      );
    }
    this.statements = statements;

    this.registerOutputs({
      statementNames: Object.values(statements).map((s) => s.statementName),
    });
  }
}
