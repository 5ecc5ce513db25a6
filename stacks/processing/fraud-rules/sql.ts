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
const FLAGGED_WINDOWS_MARKER = "/*@flagged_windows*/";
const SOURCE_OPTIONS_MARKER = "/*@source_options*/";

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
 * Windows hop by a tenth of their length (10 min → every 60 s), so any burst shorter than 90 % of
 * the window lies wholly inside one window. A tenth of a whole number of minutes is always a
 * whole number of seconds, and the length is an exact multiple of the hop, as Flink requires.
 */
export function hopSlideSeconds(windowMinutes: number): number {
  return windowMinutes * 6;
}

/**
 * The rules job's state TTL (`sql.state-ttl`), in minutes. It bounds how long a flagged window
 * waits in the join for its account's user row, and how long the upsert sink remembers the rows it
 * wrote per account. The user row normally precedes its transactions (a foreign key in Oracle), so
 * the wait only matters when the two CDC topics lag each other (a connector restart, a replay): an
 * hour covers that, and twice the window keeps a long window's result joinable for a whole window
 * after it closes.
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

/** The flagged windows (the rules proper): thresholds are typed numbers; the ranges a generated predicate. */
function renderFlaggedWindows(t: FraudThresholds, transactionTable: string, start: TransactionStart): string {
  const sql = renderSqlFile("processing/flagged_windows.sql", {
    transactionTable: ident(transactionTable),
    eventTime: ident(SOURCE_COLUMNS.transactionTime),
    maxWindowCount: sqlInt(t.maxWindowCount),
    maxWindowAmount: sqlDecimal(t.maxWindowAmount),
    singleTransactionLimit: sqlDecimal(t.singleTransactionLimit),
    windowSize: sqlInterval(`${t.windowMinutes} MINUTE`),
    windowSlide: sqlInterval(`${hopSlideSeconds(t.windowMinutes)} SECOND`),
  });
  const predicate = blockedIpPredicate(t.blockedIpRanges, SOURCE_COLUMNS.transactionIp, "flink");
  const options = start === "latest" ? " /*+ OPTIONS('scan.startup.mode' = 'latest-offset') */" : "";
  const withOptions = replaceMarker("flagged_windows.sql", sql, SOURCE_OPTIONS_MARKER, options);
  return withBlockedIpPredicate("flagged_windows.sql", withOptions, predicate);
}

/**
 * Renders `sql/<file>` (which reads the flagged windows through its one marker) with `params`, the
 * flagged windows filled in and the comment lines dropped.
 */
export function renderOverFlaggedWindows(
  file: string,
  t: FraudThresholds,
  source: { readonly transactionTable: string; readonly start: TransactionStart },
  params: Readonly<Record<string, SqlParam>>,
): string {
  const sql = renderSqlFile(`processing/${file}`, params);
  const windows = renderFlaggedWindows(t, source.transactionTable, source.start);
  return withoutCommentLines(replaceMarker(file, sql, FLAGGED_WINDOWS_MARKER, windows));
}

/** The rules job. */
export function renderFraudRules(t: FraudThresholds, tables: FraudTables): string {
  const source = { transactionTable: tables.transactionTable, start: "earliest" } as const;
  return renderOverFlaggedWindows("insert_flagged_user.sql", t, source, {
    flaggedTable: ident(tables.flaggedTable),
    userTable: ident(tables.userTable),
  });
}
