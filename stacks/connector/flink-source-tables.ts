import type * as confluentcloud from "@pulumi/confluentcloud";
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { FlinkStatementSpec, FlinkTarget } from "../../lib/flink";
import { registerFlinkStatements } from "../../lib/flink";
import { InClusterJob } from "../../lib/in-cluster-job";
import { bundleJobScript } from "../../lib/bundle";
import { SchemaSubjectsGate } from "../../lib/readiness-gates";

export interface FlinkSourceTablesArgs {
  /** The statements to run (see `sourceTableStatements`, `statementSpecs`). */
  readonly statements: readonly FlinkStatementSpec[];
  /**
   * Create the statements here (public mode). In private mode they go through the private endpoint,
   * which only the data-plane stack reaches; this component then waits for their inputs only.
   */
  readonly register: boolean;
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
  };
  /**
   * The in-cluster Job that asks the web app once for one ordinary transaction, the row that makes the
   * connector create the transactions topic and its subject (see first-transaction.ts).
   */
  readonly firstTransaction: {
    /** Provider of the EKS cluster (from the aws-resources `kubeconfig`). */
    readonly provider: k8s.Provider;
    /** The deploy Jobs' namespace (aws-resources `jobsNamespace`); the Job calls the web app's Service from there. */
    readonly namespace: string;
    /** The app's create-real-transaction endpoint through its Service (see `realTransactionUrl`). */
    readonly url: string;
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
  readonly firstTransaction: InClusterJob;
  readonly subjectsReady: SchemaSubjectsGate;
  readonly statements: Readonly<Record<string, confluentcloud.FlinkStatement>>;

  constructor(name: string, args: FlinkSourceTablesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-infra:flink:FlinkSourceTables", name, {}, opts);

    // Only once the connector runs: the row must reach it (in its snapshot or its stream).
    const deadlineSeconds = args.subjectsGate.timeoutMinutes * 60;
    this.firstTransaction = new InClusterJob(
      `${name}-first-transaction`,
      {
        content: {
          baseName: "first-transaction",
          namespace: args.firstTransaction.namespace,
          script: bundleJobScript("stacks/connector/first-transaction-main.ts"),
          files: {},
          // The script gives up a little before the deadline, so its own message reaches the log.
          env: {
            TRANSACTION_URL: args.firstTransaction.url,
            TIMEOUT_SECONDS: String(Math.max(deadlineSeconds - 30, 30)),
          },
          secretKeys: [],
          activeDeadlineSeconds: deadlineSeconds,
        },
        secrets: {},
        provider: args.firstTransaction.provider,
        dependsOn: [...args.dependsOn],
      },
      { parent: this },
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
      { parent: this, dependsOn: [...args.dependsOn, this.firstTransaction.job] },
    );

    this.statements = args.register
      ? registerFlinkStatements(name, args.flink, args.statements, {
          parent: this,
          dependsOn: () => [this.subjectsReady, ...args.dependsOn],
        })
      : {};

    this.registerOutputs({
      statementNames: Object.values(this.statements).map((s) => s.statementName),
    });
  }
}
