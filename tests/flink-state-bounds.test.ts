import assert from "node:assert/strict";
import { test } from "node:test";
import { declaredDefaults, readProject } from "../tools/offline/project-config";
import { sourceTableStatements } from "../stacks/connector/flink-statements";
import { ALERTS_TABLE, renderCreateFraudAlerts, renderFraudAlerts } from "../stacks/processing/alerts/sql";
import { loadProcessingConfig } from "../stacks/processing/config";
import type { FraudThresholds } from "../stacks/processing/fraud-rules/sql";
import {
  renderFraudRules,
  rulesStateTtlMinutes,
  stateTtlProperty,
} from "../stacks/processing/fraud-rules/sql";
import { T } from "./helpers/processing";
import { runStackUnderTest, sharedStackRun } from "./helpers/stack-under-test";
import { one } from "./helpers/resources";

// Every long-running Flink statement keeps bounded state: either its properties carry a state TTL,
// or its SQL has only operators whose state the watermark releases (temporal joins, event-time OVER
// windows) or none at all. The engine tier shows the TTL bounding the rules job on Flink itself.

const defaults: FraudThresholds = loadProcessingConfig(declaredDefaults(readProject("processing")));
const tables = { flaggedTable: "flagged_user", userTable: "auth_user", transactionTable: "user_transaction" };

/** Operators whose state grows without a TTL: regular joins, unwindowed aggregations, dedup/top-N. */
function unboundedOperators(sql: string): string[] {
  const found: string[] = [];
  const joins = [...sql.matchAll(/\bJOIN\s+(\S+)(\s+FOR SYSTEM_TIME AS OF)?/gi)];
  if (joins.some((m) => m[2] === undefined)) found.push("regular join");
  const grouped = /\bGROUP BY\b/i.test(sql) && !/\bTABLE\(\s*(HOP|TUMBLE|CUMULATE)\(/i.test(sql);
  if (grouped) found.push("unwindowed GROUP BY");
  if (/\bROW_NUMBER\s*\(|\bDISTINCT\b/i.test(sql)) found.push("dedup/top-N/distinct");
  const windows = [...sql.matchAll(/\bOVER\s*\(([^)]*)\)|\bWINDOW\s+\w+\s+AS\s*\(([^)]*)\)/gi)];
  const onEventTime = (spec: string) => /ORDER BY\s+(\w\.)?`?(event_time|EVENT_TIME)`?/.test(spec);
  if (windows.some((m) => !onEventTime(m[1] ?? m[2] ?? ""))) found.push("OVER not on event time");
  return found;
}

test("the detector can fail: a regular join, a plain GROUP BY, a dedup are each reported", () => {
  assert.deepEqual(unboundedOperators("SELECT * FROM a JOIN b ON a.x = b.x"), ["regular join"]);
  assert.deepEqual(unboundedOperators("SELECT x, COUNT(*) FROM a GROUP BY x"), ["unwindowed GROUP BY"]);
  assert.deepEqual(unboundedOperators("SELECT DISTINCT x FROM a"), ["dedup/top-N/distinct"]);
  assert.deepEqual(unboundedOperators("SELECT * FROM a JOIN b FOR SYSTEM_TIME AS OF a.t ON a.x = b.x"), []);
  assert.deepEqual(unboundedOperators("SELECT COUNT(*) OVER (PARTITION BY k ORDER BY proc_time) FROM a"), [
    "OVER not on event time",
  ]);
  assert.deepEqual(
    unboundedOperators("SELECT COUNT(*) OVER w FROM a WINDOW w AS (PARTITION BY k ORDER BY `event_time`)"),
    [],
  );
});

test("the rules job keeps each account's latest flag and joins it with a regular join, so its statement carries sql.state-ttl and exempts the user side", async () => {
  const sql = renderFraudRules(defaults, tables);
  assert.deepEqual(unboundedOperators(sql), ["regular join", "dedup/top-N/distinct"]);
  assert.match(sql, /SELECT \/\*\+ STATE_TTL\('u' = '0'\) \*\//, "users never expire: they are written once");
  const run = await sharedStackRun("processing");
  const job = one(run, T.statement, "fraud-rules-job");
  assert.equal((job.inputs.properties as Record<string, string>)["sql.state-ttl"], "60 min");
  const long = await runStackUnderTest("processing", { overrides: { windowMinutes: 240 } });
  const longJob = one(long, T.statement, "fraud-rules-job");
  assert.equal((longJob.inputs.properties as Record<string, string>)["sql.state-ttl"], "480 min");
});

test("the TTL follows the window: at least an hour, twice a long window; never zero", () => {
  assert.equal(rulesStateTtlMinutes(10), 60);
  assert.equal(rulesStateTtlMinutes(30), 60);
  assert.equal(rulesStateTtlMinutes(45), 90);
  assert.equal(rulesStateTtlMinutes(1440), 2880);
  assert.throws(() => stateTtlProperty(0), /must be > 0/);
});

test("the alerts job is bounded by construction: an event-time window, a temporal join, an event-time OVER, no TTL", () => {
  const sql = renderFraudAlerts(defaults, { ...tables, alertsTable: ALERTS_TABLE }, 60);
  assert.match(renderCreateFraudAlerts({ alertsTable: ALERTS_TABLE }), /'changelog\.mode' = 'append'/);
  assert.deepEqual(unboundedOperators(sql), []);
  assert.match(sql, /JOIN `auth_user` FOR SYSTEM_TIME AS OF c\.`event_time` AS u/);
  assert.match(sql, /OVER \(PARTITION BY j\.`account_id` ORDER BY j\.`event_time`\)/);
});

test("the connector stack's long-running INSERTs hold no state: projections and filters only", () => {
  const statements = sourceTableStatements({ topicPrefix: "fd", schema: "SAMPLE", buckets: 6 });
  const inserts = statements.filter((s) => /^INSERT INTO/m.test(s.sql));
  assert.equal(inserts.length, 2);
  for (const s of inserts) {
    assert.deepEqual(unboundedOperators(s.sql), [], s.key);
    assert.doesNotMatch(s.sql, /\b(JOIN|GROUP BY|OVER|MATCH_RECOGNIZE)\b/i, s.key);
  }
});
