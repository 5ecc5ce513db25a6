import type * as confluentcloud from "@pulumi/confluentcloud";
import * as pulumi from "@pulumi/pulumi";
import type { FlinkStatementSpec, FlinkTarget } from "../../../lib/flink";
import type { ScopeCrns } from "../../../lib/role-bindings";
import { flinkTableAndJob } from "../flink-table-job";

/**
 * The fraud rules on Confluent Cloud Flink: the `flagged_user` upsert table and the long-running
 * job that fills it, both as FlinkStatements with every connection setting on the resource
 * (`flinkStatementArgs`), so they run as the Flink service account from the connector contract and
 * never under a provider-level principal. Statement names carry a hash of their SQL, so changing a
 * threshold creates a new statement and deletes the old one instead of failing in place.
 */

export interface FraudRulesArgs {
  /** The Flink part of the connector contract (a plain principal id: the role bindings name it). */
  readonly flink: FlinkTarget & { readonly principalId: string };
  /** Where to grant the Flink account its rights on the result table; absent in environment-admin mode (see grants.ts). */
  readonly crns?: ScopeCrns;
  /** Name of the result table (and its topic). */
  readonly flaggedTable: string;
  readonly createTable: { readonly name: string; readonly sql: string };
  /** The long-running job; `properties` carry its state TTL. */
  readonly job: {
    readonly name: string;
    readonly sql: string;
    readonly properties: Readonly<Record<string, string>>;
  };
  /** Create the statements here (public mode), or leave them to the data-plane stack (private mode). */
  readonly register: boolean;
}

export class FraudRules extends pulumi.ComponentResource {
  /** The CREATE TABLE statement (public mode): the topic and its schemas exist once it has run. */
  readonly table?: confluentcloud.FlinkStatement;
  /** The statements as data, keys `table` and `job`. */
  readonly specs: FlinkStatementSpec[];
  readonly statementNames: string[];

  constructor(name: string, args: FraudRulesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-infra:flink:FraudRules", name, {}, opts);
    const { specs, statements } = flinkTableAndJob(
      name,
      {
        flink: args.flink,
        crns: args.crns,
        table: args.flaggedTable,
        createTable: args.createTable,
        job: args.job,
        register: args.register,
      },
      this,
    );
    this.specs = specs;
    if (statements.table) this.table = statements.table;
    this.statementNames = this.specs.map((s) => s.name);

    this.registerOutputs({ statementNames: this.statementNames });
  }
}
