import { ident, renderSqlFile, sqlDecimal, sqlInt, sqlInterval } from "../../lib/sql";
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

/**
 * Drops whole-line `--` comments: they document the .sql files, but are not sent to Flink or
 * Redshift, and editing one must not change a statement's hash (and so replace it).
 */
export function withoutCommentLines(sql: string): string {
  return sql
    .split("\n")
    .filter((line) => !/^\s*--/.test(line))
    .join("\n")
    .trim();
}

/** Renders `sql/<file>` and replaces its one blocked-IP marker with `predicate`. */
export function withBlockedIpPredicate(file: string, sql: string, predicate: string): string {
  const parts = sql.split(PREDICATE_MARKER);
  if (parts.length !== 2) throw new Error(`${file} must contain ${PREDICATE_MARKER} exactly once`);
  return parts.join(predicate);
}

/**
 * Windows hop by a tenth of their length (10 min → every 60 s), so any burst shorter than 90 % of
 * the window lies wholly inside one window. A tenth of a whole number of minutes is always a
 * whole number of seconds, and the length is an exact multiple of the hop, as Flink requires.
 */
export function hopSlideSeconds(windowMinutes: number): number {
  return windowMinutes * 6;
}

export function renderCreateFlaggedUser(tables: Pick<FraudTables, "flaggedTable">): string {
  return withoutCommentLines(
    renderSqlFile("processing/create_flagged_user.sql", { flaggedTable: ident(tables.flaggedTable) }),
  );
}

/** The rules job. Thresholds are typed numbers; the blocked ranges become a generated predicate. */
export function renderFraudRules(t: FraudThresholds, tables: FraudTables): string {
  const sql = renderSqlFile("processing/insert_flagged_user.sql", {
    flaggedTable: ident(tables.flaggedTable),
    userTable: ident(tables.userTable),
    transactionTable: ident(tables.transactionTable),
    eventTime: ident(SOURCE_COLUMNS.transactionTime),
    maxWindowCount: sqlInt(t.maxWindowCount),
    maxWindowAmount: sqlDecimal(t.maxWindowAmount),
    singleTransactionLimit: sqlDecimal(t.singleTransactionLimit),
    windowSize: sqlInterval(`${t.windowMinutes} MINUTE`),
    windowSlide: sqlInterval(`${hopSlideSeconds(t.windowMinutes)} SECOND`),
  });
  const predicate = blockedIpPredicate(t.blockedIpRanges, SOURCE_COLUMNS.transactionIp, "flink");
  return withoutCommentLines(withBlockedIpPredicate("insert_flagged_user.sql", sql, predicate));
}

/** Where each fraud kind is caught: the rule (a boolean column of the job) and the SQL text of its check. */
export interface RuleCoverage {
  readonly rule: FraudKind;
  readonly check: string;
  readonly description: string;
}

/**
 * Which rule catches each kind of fraud the app generates, with the exact check the rendered job
 * must contain. Each rule is named after the fraud kind it catches, so `reasons` uses the app's
 * own vocabulary.
 */
export function reasonCoverage(t: FraudThresholds): Record<FraudKind, RuleCoverage> {
  const amount = (n: number) => n.toFixed(2);
  return {
    too_many_count: {
      rule: "too_many_count",
      check: `w.\`transaction_count\` > ${t.maxWindowCount} AS \`too_many_count\``,
      description: `more than ${t.maxWindowCount} transactions within ${t.windowMinutes} min`,
    },
    too_many_amount: {
      rule: "too_many_amount",
      check: `w.\`total_amount\` > ${amount(t.maxWindowAmount)} AS \`too_many_amount\``,
      description: `more than ${amount(t.maxWindowAmount)} in total within ${t.windowMinutes} min`,
    },
    too_large: {
      rule: "too_large",
      check: `w.\`max_amount\` >= ${amount(t.singleTransactionLimit)} AS \`too_large\``,
      description: `one transaction of ${amount(t.singleTransactionLimit)} or more`,
    },
    too_far: {
      rule: "too_far",
      check: `CASE WHEN ${blockedIpPredicate(t.blockedIpRanges, SOURCE_COLUMNS.transactionIp)} THEN 1 ELSE 0 END`,
      description: `a transaction from one of ${t.blockedIpRanges.length} blocked IP ranges`,
    },
  };
}
