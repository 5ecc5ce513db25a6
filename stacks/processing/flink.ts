import * as confluentcloud from "@pulumi/confluentcloud";
import * as pulumi from "@pulumi/pulumi";
import type { FlinkTarget } from "../../lib/flink";
import { flinkStatementArgs } from "../../lib/flink";

/**
 * The fraud rules on Confluent Cloud Flink: the `flagged_user` upsert table and the long-running
 * job that fills it, both as FlinkStatements with every connection setting on the resource
 * (`flinkStatementArgs`), so they run as the Flink service account from the connector contract and
 * never under a provider-level principal. Statement names carry a hash of their SQL, so changing a
 * threshold creates a new statement and deletes the old one instead of failing in place.
 */

export interface RoleBindingScope {
  /** `kafkaRbacCrn` of the connector contract. */
  readonly kafkaRbacCrn: string;
  readonly kafkaClusterId: string;
  /** `schemaRegistryCrn` of the connector contract. */
  readonly schemaRegistryCrn: string;
}

/** CRNs of one topic and its Schema Registry subjects (`<topic>-key`, `<topic>-value`). */
export function topicCrns(scope: RoleBindingScope, topic: string): { topic: string; subjects: string } {
  return {
    topic: `${scope.kafkaRbacCrn}/kafka=${scope.kafkaClusterId}/topic=${topic}`,
    subjects: `${scope.schemaRegistryCrn}/subject=${topic}-*`,
  };
}

/**
 * What the Flink account needs on a table a statement of this stack creates: create/alter and
 * write its topic, register and read its schemas. As `[resource-name suffix, role, CRN]`.
 */
export function flinkTableGrants(scope: RoleBindingScope, table: string): [string, string, string][] {
  const crns = topicCrns(scope, table);
  return [
    ["topic-manage", "DeveloperManage", crns.topic],
    ["topic-write", "DeveloperWrite", crns.topic],
    ["subjects-write", "DeveloperWrite", crns.subjects],
    ["subjects-read", "DeveloperRead", crns.subjects],
  ];
}

export interface FraudRulesArgs {
  /** The Flink part of the connector contract (a plain principal id: the role bindings name it). */
  readonly flink: FlinkTarget & { readonly principalId: string };
  /**
   * Where to grant the Flink account its rights on the result table. Absent when the connector
   * stack runs in environment-admin mode, whose EnvironmentAdmin bindings already cover it (and
   * whose users may not be allowed to create fine-grained bindings at all).
   */
  readonly scope?: RoleBindingScope;
  /** Name of the result table (and its topic). */
  readonly flaggedTable: string;
  readonly createTable: { readonly name: string; readonly sql: string };
  /** The long-running job; `properties` carry its state TTL. */
  readonly rulesJob: {
    readonly name: string;
    readonly sql: string;
    readonly properties: Readonly<Record<string, string>>;
  };
}

export class FraudRules extends pulumi.ComponentResource {
  /** The CREATE TABLE statement: the topic and its schemas exist once it has run. */
  readonly table: confluentcloud.FlinkStatement;
  readonly job: confluentcloud.FlinkStatement;
  readonly statementNames: string[];

  constructor(name: string, args: FraudRulesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-infra:processing:FraudRules", name, {}, opts);
    const parent = { parent: this };
    const f = args.flink;
    const principal = `User:${f.principalId}`;

    // The connector stack grants the Flink account its source tables; the table this stack
    // creates is granted here: create/alter and write the topic, register and read its schemas.
    const grants = args.scope ? flinkTableGrants(args.scope, args.flaggedTable) : [];
    const bindings = grants.map(
      ([suffix, roleName, crnPattern]) =>
        new confluentcloud.RoleBinding(
          `${name}-flink-${suffix}`,
          { principal, roleName, crnPattern },
          parent,
        ),
    );

    this.table = new confluentcloud.FlinkStatement(
      `${name}-table`,
      flinkStatementArgs(f, args.createTable.name, args.createTable.sql),
      { ...parent, dependsOn: bindings },
    );
    this.job = new confluentcloud.FlinkStatement(
      `${name}-job`,
      flinkStatementArgs(f, args.rulesJob.name, args.rulesJob.sql, args.rulesJob.properties),
      { ...parent, dependsOn: [this.table, ...bindings] },
    );
    this.statementNames = [args.createTable.name, args.rulesJob.name];

    this.registerOutputs({ statementNames: this.statementNames });
  }
}
