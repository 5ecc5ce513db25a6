import type { SqlParam } from "../../../lib/sql";
import { ident, renderSqlFile, sqlDecimal, sqlInt, sqlInterval, withoutCommentLines } from "../../../lib/sql";
import { blockedIpPredicate } from "./ip-ranges";

/**
 * The fraud rules: thresholds → rendered Flink SQL, and which fraud kind each rule catches. Tests
 * execute the rendered SQL itself over what the web app generates (tests/processing-rules-executed.test.ts).
 */

/** The four kinds of fraud the web app's "Commit Fraud" button generates (its `fraud_type` values). */
export const FRAUD_KINDS = ["too_many_count", "too_many_amount", "too_large", "too_far"] as const;
export type FraudKind = (typeof FRAUD_KINDS)[number];

export interface FraudThresholds {
  /** Length of the sliding window the per-account aggregates cover. */
  readonly windowMinutes: number;
  /** A window total above this flags `too_many_amount`. */
  readonly maxWindowAmount: number;
  /** More transactions than this in one window flags `too_many_count`. */
  readonly maxWindowCount: number;
  /** One transaction of at least this amount flags `too_large`. */
  readonly singleTransactionLimit: number;
  /** A transaction from an address in one of these IPv4 CIDRs flags `too_far`. */
  readonly blockedIpRanges: readonly string[];
}

/** Flink tables the rules read and write (names from the connector contract). */
export interface FraudTables {
  readonly flaggedTable: string;
  readonly userTable: string;
  readonly transactionTable: string;
}

/** Column names of the connector stack's source tables (upper case, as Oracle and the CDC emit them). */
export const SOURCE_COLUMNS = {
  transactionAccount: "ACCOUNT_ID",
  transactionAmount: "AMOUNT",
  transactionIp: "IP_ADDRESS",
  /** Event-time attribute of `user_transaction` (with its watermark), computed from `RECEIVED_AT`. */
  transactionTime: "EVENT_TIME",
  userId: "ID",
  userName: "USERNAME",
  userEmail: "EMAIL",
} as const;

const PREDICATE_MARKER = "/*@blocked_ip_predicate*/ FALSE";
const JUDGED_MARKER = "/*@judged*/";
const SOURCE_OPTIONS_MARKER = "/*@source_options*/";

/** How a transaction is judged: on its own as it arrives, or with its account's trailing window. */
export type JudgedInput = "alone" | "with_window";
const INPUT_FILES: Readonly<Record<JudgedInput, string>> = {
  alone: "single_transaction.sql",
  with_window: "trailing_window.sql",
};

/**
 * Where a job starts reading the transactions. `earliest` (the table's default) replays the
 * topic, so a replaced rules job rebuilds flagged_user; `latest` reads only what arrives after the
 * job starts, for a job whose output must not be replayed (an email per past fraud).
 */
export type TransactionStart = "earliest" | "latest";

/** Replaces the one `marker` of `sql/<file>` with `text`. */
function replaceMarker(file: string, sql: string, marker: string, text: string): string {
  const parts = sql.split(marker);
  if (parts.length !== 2) throw new Error(`${file} must contain ${marker} exactly once`);
  return parts.join(text);
}

/** Renders `sql/<file>` and replaces its one blocked-IP marker with `predicate`. */
export function withBlockedIpPredicate(file: string, sql: string, predicate: string): string {
  return replaceMarker(file, sql, PREDICATE_MARKER, predicate);
}

/**
 * The rules job's state TTL (`sql.state-ttl`), in minutes. It bounds how long an account's latest
 * flag is remembered: by the step that keeps the latest per account, and by the join, where it waits
 * for its account's user row. The user row normally precedes its transactions (a foreign key in
 * Oracle), so the wait only matters when the two CDC topics lag each other (a connector restart, a
 * replay): an hour covers that, and twice the window keeps a long window's flag joinable for a whole
 * window after it.
 */
export function rulesStateTtlMinutes(windowMinutes: number): number {
  return Math.max(60, 2 * windowMinutes);
}

/** The `sql.state-ttl` statement property value for `minutes` (Flink duration syntax). */
export function stateTtlProperty(minutes: number): string {
  if (!Number.isSafeInteger(minutes) || minutes <= 0) throw new Error(`state TTL ${minutes} min must be > 0`);
  return `${minutes} min`;
}

export function renderCreateFlaggedUser(tables: Pick<FraudTables, "flaggedTable">): string {
  return withoutCommentLines(
    renderSqlFile("processing/create_flagged_user.sql", { flaggedTable: ident(tables.flaggedTable) }),
  );
}

const windowSize = (t: FraudThresholds) => sqlInterval(`${t.windowMinutes} MINUTE`);

/**
 * The flagged transactions (the rules proper, judge_transactions.sql) over one input: thresholds are
 * typed numbers, the blocked ranges a generated predicate, and the source options a hint on the
 * transactions table.
 */
export function renderFlaggedTransactions(
  t: FraudThresholds,
  input: JudgedInput,
  source: { readonly transactionTable: string; readonly start: TransactionStart },
): string {
  const file = INPUT_FILES[input];
  const rows = renderSqlFile(`processing/${file}`, {
    transactionTable: ident(source.transactionTable),
    eventTime: ident(SOURCE_COLUMNS.transactionTime),
    ...(input === "with_window" ? { windowSize: windowSize(t) } : {}),
  });
  const options = source.start === "latest" ? " /*+ OPTIONS('scan.startup.mode' = 'latest-offset') */" : "";
  const predicate = blockedIpPredicate(t.blockedIpRanges, SOURCE_COLUMNS.transactionIp, "flink");
  const withOptions = replaceMarker(file, rows, SOURCE_OPTIONS_MARKER, options);
  const judged = renderSqlFile("processing/judge_transactions.sql", {
    maxWindowCount: sqlInt(t.maxWindowCount),
    maxWindowAmount: sqlDecimal(t.maxWindowAmount),
    singleTransactionLimit: sqlDecimal(t.singleTransactionLimit),
  });
  return replaceMarker(
    "judge_transactions.sql",
    judged,
    JUDGED_MARKER,
    withBlockedIpPredicate(file, withOptions, predicate),
  );
}

/**
 * Renders `sql/processing/<file>` (a job over flagged transactions) with `params` and the window
 * size, each `/*@judged_<input>*\/` marker replaced by the flagged transactions of that input, and
 * the comment lines dropped.
 */
export function renderJob(
  file: string,
  t: FraudThresholds,
  source: { readonly transactionTable: string; readonly start: TransactionStart },
  inputs: readonly JudgedInput[],
  params: Readonly<Record<string, SqlParam>>,
): string {
  let sql = renderSqlFile(`processing/${file}`, { ...params, windowSize: windowSize(t) });
  for (const input of inputs)
    sql = replaceMarker(file, sql, `/*@judged_${input}*/`, renderFlaggedTransactions(t, input, source));
  return withoutCommentLines(sql);
}

/** The rules job: each transaction judged as it arrives, then with its trailing window. */
export function renderFraudRules(t: FraudThresholds, tables: FraudTables): string {
  const source = { transactionTable: tables.transactionTable, start: "earliest" } as const;
  return renderJob("insert_flagged_user.sql", t, source, ["alone", "with_window"], {
    flaggedTable: ident(tables.flaggedTable),
    userTable: ident(tables.userTable),
  });
}
