import assert from "node:assert/strict";
import { before, test } from "node:test";
import { renderCreateFraudAlerts, renderFraudAlerts } from "../stacks/processing/alerts/sql";
import type { FraudThresholds } from "../stacks/processing/fraud-rules/sql";
import { devProcessingConfig } from "./helpers/processing";
import { SqlEngine } from "./helpers/sql-engine";
import { webAppTraffic } from "./helpers/web-app-traffic";

// The alerts job's own SQL, rendered as the stack renders it, executed on embedded Postgres over what
// the web app generates (tests/helpers/flink-to-postgres.ts rewrites the Flink-only parts).

const dev: FraudThresholds = devProcessingConfig();
const tables = { alertsTable: "fraud_alert", userTable: "auth_user", transactionTable: "user_transaction" };
const traffic = webAppTraffic();
let engine: SqlEngine;

before(async () => {
  engine = await SqlEngine.shared();
});

async function alerts(quietMinutes: number, edit: (sql: string) => string = (s) => s) {
  await engine.runFlink(
    [renderCreateFraudAlerts(tables), edit(renderFraudAlerts(dev, tables, quietMinutes))],
    traffic,
  );
  const rows = await engine.query<{ account_id: number; reasons: string }>(
    "SELECT account_id, reasons FROM fraud_alert ORDER BY account_id, window_start",
  );
  return rows.map((a) => [Number(a.account_id), a.reasons] as const);
}

/**
 * What the rules should alert on: each fraud account with a user once, with the reasons of the
 * transaction that newly flagged it, in the rules' order.
 */
const expected = traffic.accounts
  .filter((a) => a.expected.length > 0 && !a.noUser)
  .map((a) => [a.id, (a.firstReasons ?? a.expected).join(",")] as const)
  .sort((x, y) => x[0] - y[0]);

test("the alerts job raises one alert per fraud account, with the reasons that newly flagged it, and none for ordinary traffic", async () => {
  assert.deepEqual(await alerts(60), expected);
});

test("the quiet period is what folds the rest of a fraud into its first alert: without it, more alerts", async () => {
  const noQuiet = await alerts(60, (sql) => {
    const edited = sql.replace(/\nWHERE a\.`previous_flag_at` IS NULL OR .*$/s, "");
    assert.notEqual(edited, sql, "the quiet-period condition is in the rendered SQL");
    return edited;
  });
  assert.ok(noQuiet.length > expected.length, `${noQuiet.length} alerts without the quiet period`);
});
