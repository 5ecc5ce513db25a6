import assert from "node:assert/strict";
import { before, test } from "node:test";
import { minuteAhead, transactionsAt, userChange } from "./cdc-topics";
import type { DeployedStatement } from "./deployment-statements";
import { deploymentStatements, statementNamed } from "./deployment-statements";
import type { Deployment, ScenarioResponse, Step } from "./flink-scenario";
import { deployment, runScenario, startJob, valuesOf } from "./flink-scenario";
import { engineStatements } from "./flink-statements";

// A config change that replaces the Flink jobs loses nothing: the deployment's rules and alerts jobs
// as rendered for one threshold run, then stop, as Pulumi deletes a statement whose name (its SQL's
// hash) changed, and the jobs rendered for a new threshold start in their place. The new rules job
// replays its input and upserts by account, so every account flagged before, during or after the
// switch keeps its row; the new alerts job starts from the latest offset, so no account that already
// had its alert gets another one for the same fraud.

const OLD_LIMIT = 1000;
const NEW_LIMIT = 900;
/** Flagged by the old jobs; its alert is in before the switch. */
const ALERTED = 501;
/** Its fraud arrives while no rules job runs: only the new job's replay can flag it. */
const IN_THE_GAP = 502;
/** Flagged by the new jobs, after the switch; the last fraud of the scenario. */
const AFTER = 503;
/** An ordinary account whose transactions move the watermark past each fraud. */
const ORDINARY = 1;

/** One transaction `minutes` after the start; 1000.00 is too_large under both limits. */
const tx = transactionsAt(minuteAhead(), 9500);
/** A fraud and, well after it, an ordinary transaction that moves the watermark past it. */
const fraudAt = (account: number, minutes: number) => ({
  op: "produce" as const,
  topic: "fd.SAMPLE.USER_TRANSACTION",
  records: [tx(account, minutes), tx(ORDINARY, minutes + 30, "1.00")],
});

/** The statements a dev deployment with alerts registers for a single-transaction limit. */
const statementsFor = (limit: number) =>
  deploymentStatements({
    name: `dev with alerts, limit ${limit}`,
    stack: "dev",
    overrides: {
      "processing:alertEmails": ["oncall@example.com"],
      "processing:singleTransactionLimit": limit,
    },
  });

/** The start step of a job of the new deployment, on the scenario's broker. */
function startReplacement(
  statements: readonly DeployedStatement[],
  d: Deployment,
  suffix: string,
  settleMs?: number,
): Step {
  const rendered = statementNamed(statements, suffix);
  const [adapted] = engineStatements([rendered], d.kafka);
  return {
    op: "start",
    job: `${rendered.resource} (replacement)`,
    sql: adapted!.sql,
    config: adapted!.properties,
    ...(settleMs ? { settleMs } : {}),
  };
}

let response: ScenarioResponse;
let replaced: { rules: boolean; alerts: boolean };

before(async () => {
  const [old, changed] = await Promise.all([statementsFor(OLD_LIMIT), statementsFor(NEW_LIMIT)]);
  const sqlOf = (s: readonly DeployedStatement[], suffix: string) => statementNamed(s, suffix).sql;
  replaced = {
    rules: sqlOf(old, "fraud-rules-job") !== sqlOf(changed, "fraud-rules-job"),
    alerts: sqlOf(old, "fraud-alerts-job") !== sqlOf(changed, "fraud-alerts-job"),
  };
  const d = await deployment(old);
  const oldRules = startJob(d, "fraud-rules-job");
  const oldAlerts = startJob(d, "fraud-alerts-job", { settleMs: 3_000 });
  const stop = (s: Step) => ({ op: "stop" as const, job: (s as Step & { op: "start" }).job });
  response = await runScenario(d, [
    startJob(d, "insert-auth-user"),
    startJob(d, "insert-user-transaction"),
    { op: "produce", topic: "fd.SAMPLE.AUTH_USER", records: [ALERTED, IN_THE_GAP, AFTER].map(userChange) },
    oldRules,
    oldAlerts,
    fraudAt(ALERTED, 10),
    { op: "await", topic: "fraud_alert", match: { account_id: ALERTED } },
    { op: "await", topic: "flagged_user", match: { account_id: ALERTED } },
    // Pulumi deletes the old statements and creates the new ones; between the two nothing runs.
    stop(oldRules),
    stop(oldAlerts),
    fraudAt(IN_THE_GAP, 60),
    { op: "await", topic: "user_transaction", match: { ACCOUNT_ID: IN_THE_GAP } },
    startReplacement(changed, d, "fraud-rules-job"),
    startReplacement(changed, d, "fraud-alerts-job", 3_000),
    fraudAt(AFTER, 120),
    { op: "await", topic: "flagged_user", match: { account_id: AFTER } },
    { op: "await", topic: "fraud_alert", match: { account_id: AFTER } },
    { op: "await", topic: "flagged_user", match: { account_id: IN_THE_GAP } },
    { op: "quiet", topic: "fraud_alert", ms: 1_500 },
  ]);
});

test("the threshold change really replaces both jobs: their rendered SQL differs", () => {
  assert.deepEqual(replaced, { rules: true, alerts: true });
});

test("no flag is lost: every fraud, before, during and after the switch, has its row in flagged_user", () => {
  // The topic's final state: the last record of each key (a tombstone would remove the account).
  const last = new Map<string, Record<string, unknown> | null>();
  for (const r of response.topics.flagged_user ?? []) last.set(JSON.stringify(r.key), r.value);
  const present = new Set([...last.values()].flatMap((v) => (v ? [v.account_id] : [])));
  for (const account of [ALERTED, IN_THE_GAP, AFTER]) assert.ok(present.has(account), `account ${account}`);
  assert.ok(!present.has(ORDINARY), "the ordinary account is never flagged");
});

test("no alert is repeated: the account alerted before the switch gets no second alert, the next fraud one", () => {
  const alerts = valuesOf(response, "fraud_alert");
  const of = (account: number) => alerts.filter((a) => a.account_id === account).length;
  assert.equal(of(ALERTED), 1, JSON.stringify(alerts));
  assert.equal(of(AFTER), 1, JSON.stringify(alerts));
});
