import assert from "node:assert/strict";
import { before, test } from "node:test";
import { devProcessingConfig } from "../../tests/helpers/processing";
import { minuteAhead, transactionsAt, userChange } from "./cdc-topics";
import { deploymentStatements, VARIANTS } from "./deployment-statements";
import type { KafkaRecord } from "./flink-scenario";
import { deployment, runScenario, startJob, valuesOf } from "./flink-scenario";

// The alerts job on Flink and Kafka, as deployed with processing:alertEmails set: it starts from the
// latest offset (nothing already in the topic is alerted), raises one alert when an account is newly
// flagged, none for the rest of the burst or for a repeat within the quiet period, and one again
// after it. Its temporal join reads each user as of the transaction's time, so the transactions are
// stamped after the users were written, as in a running deployment.

/** Flagged before the alerts job starts: never alerted. */
const HISTORY = 301;
/** Flagged three times: newly, within the quiet period, after it. */
const REPEAT = 302;
/** The last fraud: once its alert is in, every earlier one is too. */
const SENTINEL = 303;
/** An ordinary account whose transactions move the watermark past each fraud. */
const ORDINARY = 1;

const MINUTE = 60_000;
/** One transaction `minutes` after the start; 1000.00 alone is too_large and nothing else. */
const tx = transactionsAt(minuteAhead(), 8000);
const send = (...records: KafkaRecord[]) => ({
  op: "produce" as const,
  topic: "fd.SAMPLE.USER_TRANSACTION",
  records,
});

const quietMinutes = devProcessingConfig().alertQuietMinutes;
let alerts: Record<string, unknown>[] = [];

before(async () => {
  const variant = VARIANTS.find((v) => v.name === "dev with alerts")!;
  const statements = await deploymentStatements(variant);
  const d = await deployment(statements);
  const response = await runScenario(d, [
    startJob(d, "insert-auth-user"),
    startJob(d, "insert-user-transaction"),
    { op: "produce", topic: "fd.SAMPLE.AUTH_USER", records: [HISTORY, REPEAT, SENTINEL].map(userChange) },
    send(tx(HISTORY, 1), tx(ORDINARY, 20, "1.00")),
    { op: "await", topic: "user_transaction", count: 2 },
    startJob(d, "fraud-alerts-job", { settleMs: 3_000 }),
    // A burst: three frauds within seconds.
    send(tx(REPEAT, 30), tx(REPEAT, 30.05), tx(REPEAT, 30.1), tx(ORDINARY, 45, "1.00")),
    { op: "await", topic: "fraud_alert", match: { account_id: REPEAT } },
    // Within the quiet period after the burst, then a quiet period and more after the last flag.
    send(tx(REPEAT, 50), tx(ORDINARY, 65, "1.00")),
    send(tx(REPEAT, 50 + quietMinutes + 20), tx(ORDINARY, 50 + quietMinutes + 40, "1.00")),
    send(tx(SENTINEL, 300), tx(ORDINARY, 320, "1.00")),
    { op: "await", topic: "fraud_alert", match: { account_id: SENTINEL } },
    { op: "quiet", topic: "fraud_alert", ms: 1_000 },
  ]);
  alerts = valuesOf(response, "fraud_alert");
});

const of = (account: number) => alerts.filter((a) => a.account_id === account);

test("nothing that was in the topic before the job started is alerted", () => {
  assert.deepEqual(of(HISTORY), []);
});

test("a newly flagged account raises one alert for the whole burst, with the user's name and email", () => {
  const first = of(REPEAT)[0];
  assert.ok(first);
  assert.equal(first.user_name, `user${REPEAT}`);
  assert.equal(first.email, `user${REPEAT}@example.com`);
  assert.equal(first.reasons, "too_large");
  assert.equal(of(SENTINEL).length, 1);
});

test("a repeat within the quiet period raises nothing; one after it raises one more", () => {
  const repeats = of(REPEAT);
  assert.equal(repeats.length, 2, JSON.stringify(repeats));
  const [first, second] = repeats.map((a) => Date.parse(String(a.window_start).replace(" ", "T")));
  assert.ok(
    second! - first! > quietMinutes * MINUTE,
    "the second alert is for the fraud after the quiet period",
  );
});
