/**
 * The alert function's logic, free of AWS clients so tests drive it with a fake publisher.
 *
 * What the Lambda Sink connector sends per invocation is a JSON array with one entry per Kafka
 * record; Confluent's docs describe the records as converted to JSON, with each entry carrying the
 * record's topic, partition, offset, key and value (under `payload` in the self-managed connector's
 * examples). Only a real run confirms the exact envelope, so `alertsOf` accepts an entry with or
 * without the `payload` wrapper and a value given as an object or as a JSON string, and refuses
 * anything else record by record.
 */

/** One alert row of the Flink alerts table, as the function reads it. */
export interface Alert {
  readonly accountId: number;
  readonly userName: string | null;
  readonly email: string | null;
  readonly reasons: readonly string[];
  /** Epoch milliseconds (UTC). */
  readonly windowStart: number;
  readonly windowEnd: number;
  readonly totalAmount: number | null;
  readonly transactionCount: number | null;
  readonly maxAmount: number | null;
  readonly blockedIpCount: number | null;
}

export type Parsed = { readonly alert: Alert } | { readonly problem: string };

/** What each rule means, in words an on-call reader needs no SQL for. */
const REASON_TEXT: Readonly<Record<string, string>> = {
  too_many_count: "too many transactions within one window",
  too_many_amount: "too much money in total within one window",
  too_large: "one unusually large transaction",
  too_far: "a transaction from a blocked IP range",
};

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function timeOf(v: unknown): number | undefined {
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && v.trim() !== "") {
    const t = /^\d+$/.test(v) ? Number(v) : Date.parse(v);
    return Number.isFinite(t) ? t : undefined;
  }
  return undefined;
}

const numberOrNull = (v: unknown): number | null =>
  typeof v === "number" && Number.isFinite(v)
    ? v
    : typeof v === "string" && v !== "" && Number.isFinite(Number(v))
      ? Number(v)
      : null;
const textOrNull = (v: unknown): string | null => (typeof v === "string" && v !== "" ? v : null);

/** One entry of the connector's batch → an alert, or what is wrong with it (never throws). */
export function parseRecord(entry: unknown): Parsed {
  const record = isObject(entry) && isObject(entry.payload) ? entry.payload : entry;
  if (!isObject(record)) return { problem: "entry is not an object" };
  let value: unknown = "value" in record ? record.value : record;
  if (typeof value === "string") {
    try {
      value = JSON.parse(value) as unknown;
    } catch {
      return { problem: "value is a string but not JSON" };
    }
  }
  if (!isObject(value)) return { problem: "value is missing or not an object (a tombstone?)" };
  const accountId = numberOrNull(value.account_id);
  if (accountId === null || !Number.isSafeInteger(accountId)) return { problem: "account_id is missing" };
  const windowStart = timeOf(value.window_start);
  const windowEnd = timeOf(value.window_end);
  if (windowStart === undefined || windowEnd === undefined)
    return { problem: "window_start/window_end missing" };
  const reasons = typeof value.reasons === "string" ? value.reasons.split(",").filter((r) => r !== "") : [];
  if (reasons.length === 0) return { problem: "reasons is empty" };
  return {
    alert: {
      accountId,
      userName: textOrNull(value.user_name),
      email: textOrNull(value.email),
      reasons,
      windowStart,
      windowEnd,
      totalAmount: numberOrNull(value.total_amount),
      transactionCount: numberOrNull(value.transaction_count),
      maxAmount: numberOrNull(value.max_amount),
      blockedIpCount: numberOrNull(value.blocked_ip_count),
    },
  };
}

/** The identity of an alert: the Lambda Sink delivers at least once, so one key is published once. */
export const alertKey = (a: Alert): string => `${a.accountId}@${a.windowStart}`;

/** SNS subjects are ASCII, one line, at most 100 characters. */
export function subjectOf(a: Alert): string {
  const who = a.userName ?? "unknown user";
  const raw = `Fraud alert: ${who} (account ${a.accountId}) - ${a.reasons.join(", ")}`;
  const ascii = raw.replace(/[^\x20-\x7e]/g, "?");
  return ascii.length <= 100 ? ascii : `${ascii.slice(0, 97)}...`;
}

const money = (n: number | null) => (n === null ? "unknown" : n.toFixed(2));

/**
 * A value that came from the database, as a quoted string literal: line breaks, quotes and control
 * characters are escaped, so a user name or email cannot add lines (a fake "Dashboard:" link) to the
 * message. Capped, since a user controls its length too.
 */
function quoted(value: string | null, missing: string): string {
  if (value === null) return missing;
  const capped = value.length > 200 ? `${value.slice(0, 200)}…` : value;
  return JSON.stringify(capped).replace(/[\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16)}`);
}
const iso = (ms: number) => new Date(ms).toISOString();

export function bodyOf(a: Alert, dashboardUrl: string): string {
  const rules = a.reasons.map((r) => `  - ${r}: ${REASON_TEXT[r] ?? "see the fraud rules"}`);
  return [
    `Account ${a.accountId} (user ${quoted(a.userName, "unknown")}, email ${quoted(a.email, "none on file")}) was newly flagged.`,
    "",
    "Rules broken:",
    ...rules,
    "",
    `Window (UTC): ${iso(a.windowStart)} to ${iso(a.windowEnd)}`,
    `Transactions in the window: ${a.transactionCount ?? "unknown"}`,
    `Total amount: ${money(a.totalAmount)}; largest single transaction: ${money(a.maxAmount)}`,
    `Transactions from blocked IP ranges: ${a.blockedIpCount ?? "unknown"}`,
    "",
    `Dashboard: ${dashboardUrl}`,
    "",
    "You receive this because your address is in processing:alertEmails. Repeats for the same account",
    "are held back for the stack's quiet period (processing:alertQuietMinutes).",
  ].join("\n");
}
