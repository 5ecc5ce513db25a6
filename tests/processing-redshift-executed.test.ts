import assert from "node:assert/strict";
import { before, test } from "node:test";
import { declaredDefaults, readProject } from "../tools/offline/project-config";
import { loadProcessingConfig } from "../stacks/processing/config";
import type { FraudThresholds } from "../stacks/processing/fraud-rules/sql";
import { renderRedshiftStatements } from "../stacks/processing/redshift";
import { SqlEngine } from "./helpers/sql-engine";
import { T0, webAppTraffic } from "./helpers/web-app-traffic";

// The Redshift analysis views, rendered as the stack renders them, executed on embedded Postgres
// over the same web-app traffic the rules run on (tests/helpers/redshift-to-postgres.ts).

const defaults: FraudThresholds = loadProcessingConfig(declaredDefaults(readProject("processing")));
const traffic = webAppTraffic();
let engine: SqlEngine;

before(async () => {
  engine = await SqlEngine.shared();
});

async function runViews(
  t: FraudThresholds = defaults,
  edit: (sql: string) => string = (s) => s,
): Promise<void> {
  await engine.runRedshift(
    renderRedshiftStatements(t).map((s) => edit(s.sql)),
    traffic,
  );
}

/** Reasons per flagged account: every reason any of its transactions carries, in the rules' order. */
async function flaggedAccounts(): Promise<Record<number, string>> {
  const rows = await engine.query<{ account_id: number; reasons: string }>(
    `SELECT account_id, string_agg(DISTINCT reasons, ',') AS reasons FROM fraud.flagged_transactions GROUP BY 1`,
  );
  const order = ["too_many_count", "too_many_amount", "too_large", "too_far"];
  return Object.fromEntries(
    rows.map((r) => [Number(r.account_id), order.filter((k) => r.reasons.split(",").includes(k)).join(",")]),
  );
}

/** What the views must flag: what the rules flag, but for two differences the views document. */
function expectedFlags(): Record<number, string> {
  const flags = Object.fromEntries(
    traffic.accounts.filter((a) => a.expected.length > 0).map((a) => [a.id, a.expected.join(",")]),
  );
  // Fixed windows split the burst that straddles 09:40 into 5 + 6: the views see no count fraud.
  delete flags[102];
  // The views keep transactions whose user row is missing (LEFT JOIN); the rules' join drops them.
  flags[160] = "too_many_amount,too_large";
  return flags;
}

test("flagged_transactions flags the same accounts, with the same reasons, as the rules job", async () => {
  await runViews();
  assert.deepEqual(await flaggedAccounts(), expectedFlags());
  const all = await engine.query<{ amount: string; reasons: string }>(
    "SELECT amount, reasons FROM fraud.flagged_transactions WHERE account_id = 140 ORDER BY transaction_id",
  );
  assert.equal(all.length, 12);
  assert.deepEqual(
    new Set(all.slice(0, 11).map((r) => r.reasons)),
    new Set(["too_many_count,too_many_amount"]),
  );
  assert.equal(all[11]?.reasons, "too_many_count,too_many_amount,too_large,too_far");
});

test("user_transactions: one row per transaction, its time from epoch microseconds, its fixed window", async () => {
  await runViews();
  const rows = await engine.query<{
    account_id: number;
    username: string | null;
    received_at: Date;
    window_start: Date;
  }>("SELECT * FROM fraud.user_transactions ORDER BY transaction_id");
  assert.equal(rows.length, traffic.user_transaction.length);
  const first = rows.find((r) => Number(r.account_id) === 103);
  assert.equal(first?.username, "user103");
  assert.equal(first?.received_at.toISOString(), new Date(T0 + 60 * 60_000 + 10_000).toISOString());
  assert.equal(first?.window_start.toISOString(), new Date(T0 + 60 * 60_000).toISOString());
  const straddle = new Set(
    rows.filter((r) => Number(r.account_id) === 102).map((r) => r.window_start.toISOString()),
  );
  assert.deepEqual(
    [...straddle],
    [T0 + 30 * 60_000, T0 + 40 * 60_000].map((t) => new Date(t).toISOString()),
  );
  assert.equal(rows.find((r) => Number(r.account_id) === 160)?.username, null);
});

test("account_daily_totals: per account and UTC day, the totals of its transactions", async () => {
  await runViews();
  const rows = await engine.query<Record<string, unknown>>(
    "SELECT account_id, day, transactions, total_amount, max_amount, distinct_ips FROM fraud.account_daily_totals ORDER BY account_id, day",
  );
  const pick = (id: number) =>
    rows
      .filter((r) => Number(r.account_id) === id)
      .map((r): Record<string, unknown> => ({
        ...r,
        account_id: Number(r.account_id),
        day: (r.day as Date).toISOString().slice(0, 10),
      }));
  assert.deepEqual(pick(103), [
    {
      account_id: 103,
      day: "2026-03-02",
      transactions: 2,
      total_amount: "1067.50",
      max_amount: "612.40",
      distinct_ips: 1,
    },
  ]);
  assert.deepEqual(
    pick(8).map((r) => [r.day, r.transactions, r.total_amount]),
    [
      ["2026-03-02", 1, "20.00"],
      ["2026-03-03", 1, "20.00"],
    ],
  );
  const counted = rows.reduce((n, r) => n + Number(r.transactions), 0);
  assert.equal(counted, traffic.user_transaction.length);
});

test("account_windows evaluates the window rules on fixed windows with the same thresholds", async () => {
  await runViews();
  const windows = await engine.query<Record<string, unknown>>(
    "SELECT account_id, window_start, transactions, too_many_count, too_many_amount FROM fraud.account_windows WHERE account_id IN (7, 101, 102, 103) ORDER BY account_id, window_start",
  );
  const summary = windows.map((w) => [
    Number(w.account_id),
    w.transactions,
    w.too_many_count,
    w.too_many_amount,
  ]);
  assert.deepEqual(
    summary.filter(([id]) => id !== 7),
    [
      [101, 11, true, false],
      [102, 5, false, false],
      [102, 6, false, false],
      [103, 2, false, true],
    ],
  );
  assert.ok(summary.filter(([id]) => id === 7).every(([, , count]) => count === false));
});

// Each edit of sql/redshift/ or its rendering a reviewer could miss fails the first test.
const EDITS: readonly [string, string][] = [
  ["COUNT(*) > 10 AS too_many_count", "COUNT(*) >= 10 AS too_many_count"],
  ["SUM(amount) > 1000.00 AS too_many_amount", "SUM(amount) >= 1000.00 AS too_many_amount"],
  ["t.amount >= 1000.00 AS too_large", "t.amount > 1000.00 AS too_large"],
  ["(ip_address IN ('1.1.1.1',", "(ip_address NOT IN ('1.1.1.1',"],
  ["LEFT JOIN (", "JOIN ("],
];

for (const [from, to] of EDITS) {
  test(`the executed views catch an edit: ${from} → ${to}`, async () => {
    let seen = 0;
    await runViews(defaults, (sql) => (sql.includes(from) ? (seen++, sql.replace(from, to)) : sql));
    assert.equal(seen, 1, `${from} occurs in one statement`);
    assert.notDeepEqual(await flaggedAccounts(), expectedFlags());
  });
}

test("a changed threshold in the config changes what the views flag", async () => {
  for (const t of [
    { ...defaults, maxWindowCount: 11 },
    { ...defaults, singleTransactionLimit: 1001 },
  ]) {
    await runViews(t);
    assert.notDeepEqual(await flaggedAccounts(), expectedFlags(), JSON.stringify(t));
  }
});
