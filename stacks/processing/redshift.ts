import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { renderSqlFile, sqlDecimal, sqlInt, withoutCommentLines } from "../../lib/sql";
import type { FraudThresholds } from "./fraud-rules/sql";
import { withBlockedIpPredicate } from "./fraud-rules/sql";
import { blockedIpPredicate } from "./fraud-rules/ip-ranges";

/**
 * The Redshift analysis views (sql/redshift/), run through the Redshift Data API with temporary
 * credentials of the admin user (the deployer needs redshift-data:ExecuteStatement and
 * redshift:GetClusterCredentials; no password travels). Every statement is idempotent
 * (CREATE SCHEMA IF NOT EXISTS, CREATE OR REPLACE VIEW) and every view is late-binding, so they
 * can be created before the sink has created the tables they read.
 */

/** The views read the tables the sink creates, named after its topics. */
export const REDSHIFT_TABLES = { users: "auth_user", transactions: "user_transaction" } as const;

/** The statements in the order they run: the schema first, then the views. */
export function renderRedshiftStatements(t: FraudThresholds): { name: string; sql: string }[] {
  const windowSeconds = sqlInt(t.windowMinutes * 60);
  const flagged = withBlockedIpPredicate(
    "05_flagged_transactions.sql",
    renderSqlFile("redshift/05_flagged_transactions.sql", {
      singleTransactionLimit: sqlDecimal(t.singleTransactionLimit),
    }),
    blockedIpPredicate(t.blockedIpRanges, "ip_address", "redshift"),
  );
  const statements = [
    { name: "schema", sql: renderSqlFile("redshift/01_schema.sql", {}) },
    { name: "user-transactions", sql: renderSqlFile("redshift/02_user_transactions.sql", { windowSeconds }) },
    { name: "account-daily-totals", sql: renderSqlFile("redshift/03_account_daily_totals.sql", {}) },
    {
      name: "account-windows",
      sql: renderSqlFile("redshift/04_account_windows.sql", {
        maxWindowCount: sqlInt(t.maxWindowCount),
        maxWindowAmount: sqlDecimal(t.maxWindowAmount),
      }),
    },
    { name: "flagged-transactions", sql: flagged },
  ];
  return statements.map((s) => ({ name: s.name, sql: withoutCommentLines(s.sql) }));
}

/**
 * The sink creates one table per topic, named after it; the views name those tables, so the
 * connector contract's table names must be the ones the views expect.
 */
export function checkRedshiftTables(users: string, transactions: string): void {
  if (users !== REDSHIFT_TABLES.users || transactions !== REDSHIFT_TABLES.transactions) {
    throw new Error(
      `the Redshift views read public.${REDSHIFT_TABLES.users} and public.${REDSHIFT_TABLES.transactions}, ` +
        `but the connector stack exports authUserTable=${users}, userTransactionTable=${transactions}`,
    );
  }
}

export interface RedshiftViewsArgs {
  readonly clusterIdentifier: string;
  readonly database: string;
  /** The admin user; the Data API issues temporary credentials for it. */
  readonly adminUser: string;
  readonly statements: readonly { readonly name: string; readonly sql: string }[];
}

export class RedshiftViews extends pulumi.ComponentResource {
  readonly statements: aws.redshiftdata.Statement[];
  /** The statement that creates schema `fraud`. */
  readonly schema: aws.redshiftdata.Statement;

  constructor(name: string, args: RedshiftViewsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-infra:redshift:RedshiftViews", name, {}, opts);
    const [schema, ...views] = args.statements;
    if (!schema) throw new Error("RedshiftViews needs the schema statement first");
    const run = (s: { name: string; sql: string }, dependsOn: pulumi.Resource[]) =>
      new aws.redshiftdata.Statement(
        `${name}-${s.name}`,
        {
          clusterIdentifier: args.clusterIdentifier,
          database: args.database,
          dbUser: args.adminUser,
          sql: s.sql,
        },
        { parent: this, dependsOn },
      );
    const schemaStatement = run(schema, []);
    // Late-binding views do not check what they read, so after the schema they can run in any order.
    this.schema = schemaStatement;
    this.statements = [schemaStatement, ...views.map((v) => run(v, [schemaStatement]))];
    this.registerOutputs({});
  }
}
