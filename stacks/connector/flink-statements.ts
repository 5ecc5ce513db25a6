import type { FlinkStatementSpec } from "../../lib/flink";
import type { SqlParam } from "../../lib/sql";
import { ident, renderSqlFile, sqlInt, sqlInterval, statementName, withoutCommentLines } from "../../lib/sql";
import type { CdcTable } from "./oracle-cdc-config";
import { cdcTopic } from "./oracle-cdc-config";

/**
 * The Flink statements that turn the CDC topics into typed source tables, rendered from
 * `sql/connector/*.sql` (one statement per file). Pure: tests render and parse every statement.
 */

/**
 * The event-time column of `user_transaction` (computed from `RECEIVED_AT`), on which the table's
 * watermark is defined and the processing stack's fraud rules order each account's transactions.
 */
export const TRANSACTION_EVENT_TIME = "EVENT_TIME";

/**
 * How far the watermark trails the newest transaction time: transactions up to this much out of
 * order still count in their account's window, and a transaction's window judgement waits this
 * long behind a later transaction.
 */
export const WATERMARK_DELAY = "5 SECOND";

/** A Flink table fed from one CDC topic. */
export interface SourceTableSpec {
  /** Flink table (and topic) name. */
  readonly table: string;
  /** Oracle table the CDC topic carries. */
  readonly cdcTable: CdcTable;
  readonly createFile: string;
  readonly insertFile: string;
  /** Parameters of the CREATE template beyond `table` and `buckets`. */
  readonly createParams?: Readonly<Record<string, SqlParam>>;
}

const SOURCE_TABLES: readonly SourceTableSpec[] = [
  {
    table: "auth_user",
    cdcTable: "AUTH_USER",
    createFile: "connector/create-auth-user.sql",
    insertFile: "connector/insert-auth-user.sql",
  },
  {
    table: "user_transaction",
    cdcTable: "USER_TRANSACTION",
    createFile: "connector/create-user-transaction.sql",
    insertFile: "connector/insert-user-transaction.sql",
    createParams: {
      eventTime: ident(TRANSACTION_EVENT_TIME),
      watermarkDelay: sqlInterval(WATERMARK_DELAY),
    },
  },
];

export const AUTH_USER_TABLE = "auth_user";
export const USER_TRANSACTION_TABLE = "user_transaction";

export interface RenderedStatement {
  /** Stable key, also the Pulumi resource-name suffix, e.g. `create-auth-user`. */
  readonly key: string;
  /** Confluent statement name: changes with the SQL, so an edit replaces the statement. */
  readonly statementName: string;
  readonly sql: string;
  /** Key of the statement that must run first. */
  readonly after?: string;
}

const render = (file: string, params: Parameters<typeof renderSqlFile>[1]) =>
  withoutCommentLines(renderSqlFile(file, params));

const slug = (s: string) => s.toLowerCase().replace(/[^a-z0-9]+/g, "-");

/** ALTER → CREATE → INSERT for each source table, in dependency order. */
export function sourceTableStatements(p: {
  readonly topicPrefix: string;
  readonly schema: string;
  readonly buckets: number;
}): RenderedStatement[] {
  return SOURCE_TABLES.flatMap((spec) => {
    const topic = cdcTopic(p.topicPrefix, p.schema, spec.cdcTable);
    const t = slug(spec.table);
    const alter = render("connector/alter-cdc-table.sql", { cdcTable: ident(topic) });
    const create = render(spec.createFile, {
      ...spec.createParams,
      table: ident(spec.table),
      buckets: sqlInt(p.buckets),
    });
    const insert = render(spec.insertFile, { table: ident(spec.table), cdcTable: ident(topic) });
    return [
      { key: `alter-${t}-cdc`, statementName: statementName(`alter-${t}-cdc`, alter), sql: alter },
      {
        key: `create-${t}`,
        statementName: statementName(`create-${t}`, create),
        sql: create,
        after: `alter-${t}-cdc`,
      },
      {
        key: `insert-${t}`,
        statementName: statementName(`insert-${t}`, insert),
        sql: insert,
        after: `create-${t}`,
      },
    ];
  });
}

/** The statements as data (lib/flink.ts): what this stack registers or exports for the data-plane stack. */
export function statementSpecs(statements: readonly RenderedStatement[]): FlinkStatementSpec[] {
  return statements.map((s) => ({
    key: s.key,
    name: s.statementName,
    sql: s.sql,
    properties: {},
    after: s.after === undefined ? [] : [s.after],
  }));
}
