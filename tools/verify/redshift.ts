import type { Field } from "@aws-sdk/client-redshift-data";
import {
  DescribeStatementCommand,
  ExecuteStatementCommand,
  GetStatementResultCommand,
  RedshiftDataClient,
} from "@aws-sdk/client-redshift-data";
import type { Clock } from "../../lib/readiness";
import { pollUntil } from "../../lib/readiness";

/**
 * Queries through the Redshift Data API (ExecuteStatement → DescribeStatement until FINISHED →
 * GetStatementResult), with temporary credentials of the admin user, as the stack creates its
 * views: no password travels and no network path to port 5439 is needed. The client is injected
 * (a fake in tests); only a real run confirms the calls against AWS.
 */

export type RedshiftCommand = ExecuteStatementCommand | DescribeStatementCommand | GetStatementResultCommand;
export type RedshiftSend = (command: RedshiftCommand) => Promise<unknown>;

export interface RedshiftTarget {
  readonly clusterIdentifier: string;
  readonly database: string;
  readonly dbUser: string;
}

/** A Data API sender for `region`; the client is created with the first statement, if any. */
export function lazyRedshiftSend(region: string): RedshiftSend {
  let client: RedshiftDataClient | undefined;
  return (c) => (client ??= new RedshiftDataClient({ region })).send(c as never);
}

/** The warehouse the aws-resources outputs name, queried as its admin user. */
export function redshiftTarget(aws: {
  readonly redshiftClusterIdentifier: string;
  readonly redshiftDatabase: string;
  readonly redshiftAdminUser: string;
}): RedshiftTarget {
  return {
    clusterIdentifier: aws.redshiftClusterIdentifier,
    database: aws.redshiftDatabase,
    dbUser: aws.redshiftAdminUser,
  };
}

/** A quoted Redshift identifier (the sink names its tables after the topics). */
export const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;

export async function runQuery(
  send: RedshiftSend,
  target: RedshiftTarget,
  sql: string,
  parameters: Record<string, string>,
  clock: Clock,
  timeoutMs = 60_000,
): Promise<Field[][]> {
  const params = Object.entries(parameters).map(([name, value]) => ({ name, value }));
  const started = (await send(
    new ExecuteStatementCommand({
      ClusterIdentifier: target.clusterIdentifier,
      Database: target.database,
      DbUser: target.dbUser,
      Sql: sql,
      ...(params.length > 0 ? { Parameters: params } : {}),
    }),
  )) as { Id?: string };
  const id = started.Id;
  if (!id) throw new Error("ExecuteStatement returned no statement id");
  await pollUntil({
    description: `Redshift statement ${id}`,
    timeoutMs,
    initialDelayMs: 500,
    maxDelayMs: 5_000,
    clock,
    check: async () => {
      const d = (await send(new DescribeStatementCommand({ Id: id }))) as { Status?: string; Error?: string };
      if (d.Status === "FINISHED") return { state: "ready" };
      if (d.Status === "FAILED" || d.Status === "ABORTED") {
        return { state: "failed", status: `${d.Status}: ${d.Error ?? "no error text"}` };
      }
      return { state: "waiting", status: d.Status ?? "unknown" };
    },
  });
  const result = (await send(new GetStatementResultCommand({ Id: id }))) as { Records?: Field[][] };
  return result.Records ?? [];
}

/** A cell as text (the Data API types each cell: stringValue, longValue, …). */
export function cell(f: Field | undefined): string {
  if (!f) return "";
  if (f.stringValue !== undefined) return f.stringValue;
  if (f.longValue !== undefined) return String(f.longValue);
  if (f.doubleValue !== undefined) return String(f.doubleValue);
  if (f.booleanValue !== undefined) return String(f.booleanValue);
  return "";
}

export interface SinkTables {
  readonly users: string;
  readonly transactions: string;
}

/**
 * Transactions per verify account in the tables the Redshift sink writes. The accounts are
 * usernames (what the web app names); the transactions carry the numeric user id, hence the join.
 * The sink only inserts, so a user can have several rows: DISTINCT keeps one per id.
 */
function transactionsPerAccountSql(tables: SinkTables, count: number): string {
  const names = Array.from({ length: count }, (_, i) => `:a${i}`).join(", ");
  return (
    `SELECT u.username, COUNT(*) FROM public.${quoteIdent(tables.transactions)} AS t ` +
    `JOIN (SELECT DISTINCT id, username FROM public.${quoteIdent(tables.users)}) AS u ON u.id = t.account_id ` +
    `WHERE u.username IN (${names}) GROUP BY u.username`
  );
}

function accountParameters(accounts: readonly string[]): Record<string, string> {
  return Object.fromEntries(accounts.map((a, i) => [`a${i}`, a]));
}

/** username → transactions, from the rows of `transactionsPerAccountSql`. */
function countsByAccount(records: readonly Field[][]): Map<string, number> {
  return new Map(records.map((r) => [cell(r[0]), Number(cell(r[1]))]));
}

export interface RedshiftReachedArgs {
  readonly send: RedshiftSend;
  readonly target: RedshiftTarget;
  readonly tables: SinkTables;
  readonly accounts: readonly string[];
  readonly clock: Clock;
  /** How long the sink gets to deliver, asked every 15 s. */
  readonly waitMs: number;
}

/** verify's Redshift lines: whether every account's transactions reached the sink's table. */
export async function redshiftReached(a: RedshiftReachedArgs): Promise<string[]> {
  const table = `public.${a.tables.transactions}`;
  let counts = new Map<string, number>();
  const missing = () => a.accounts.filter((acc) => !((counts.get(acc) ?? 0) > 0));
  try {
    await pollUntil({
      description: `the verify accounts' transactions in Redshift table ${table}`,
      timeoutMs: a.waitMs,
      initialDelayMs: 15_000,
      maxDelayMs: 15_000,
      clock: a.clock,
      check: async () => {
        const sql = transactionsPerAccountSql(a.tables, a.accounts.length);
        counts = countsByAccount(
          await runQuery(a.send, a.target, sql, accountParameters(a.accounts), a.clock),
        );
        const m = missing();
        return m.length === 0
          ? { state: "ready" }
          : { state: "waiting", status: `no rows for ${m.join(", ")}` };
      },
    });
    const per = a.accounts.map((acc) => `${acc}: ${counts.get(acc)}`).join(", ");
    return [`✓ Redshift: the transactions reached ${table} (${per})`];
  } catch (err) {
    const m = missing();
    return m.length > 0 && (err as Error).name === "ReadinessTimeoutError"
      ? [`✗ Redshift: no transactions of ${m.join(", ")} in ${table} yet`]
      : [`✗ Redshift check failed: ${(err as Error).message}`];
  }
}
