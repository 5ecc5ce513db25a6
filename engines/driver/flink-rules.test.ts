import assert from "node:assert/strict";
import { before, test } from "node:test";
import type { Row } from "../../tests/helpers/sql-engine";
import type { FlaggedRow, TrafficAccount } from "../../tests/helpers/web-app-traffic";
import { flaggedMismatches, T0, webAppTraffic } from "../../tests/helpers/web-app-traffic";
import { afterRow, changeEvent } from "./cdc-topics";
import { deploymentStatements, VARIANTS } from "./deployment-statements";
import type { Deployment, KafkaRecord, ScenarioResponse } from "./flink-scenario";
import { deployment, runScenario, startJob, valuesOf } from "./flink-scenario";

// The dev deployment's own jobs on Apache Flink and Kafka: change events on the CDC topics, the
// connector stack's two INSERTs flatten them into auth_user and user_transaction, and the rules job
// upserts flagged_user, in event time. Transactions arrive partly out of order (within the
// watermark delay), and one account's user row arrives after its transactions.

const traffic = webAppTraffic();
/** Flagged from one transaction; its user row comes last. */
const LATE: TrafficAccount = {
  id: 161,
  what: "too_large, user row after the flag",
  expected: ["too_large"],
  windows: 10,
};
const LATE_AT = T0 + 124 * 60_000 + 5_000;
/** Flagged last (its fraud is the latest): once its rows are in, every earlier window has fired. */
const SENTINEL: TrafficAccount = {
  id: 170,
  what: "too_large, the last fraud",
  expected: ["too_large"],
  windows: 10,
};
const SENTINEL_AT = T0 + 200 * 60_000;
/** How late some transactions arrive: under the table's 5 s watermark delay, so they still count. */
const ARRIVAL_DELAY_MS = 4_000;

let flagged: Record<string, unknown>[] = [];
let beforeLateUser: Record<string, unknown>[] = [];
let response: ScenarioResponse;

const userEvent = (row: Row): KafkaRecord => changeEvent("AUTH_USER", afterRow(row));
const txEvent = (row: Row): KafkaRecord => changeEvent("USER_TRANSACTION", afterRow(row));
const microsToMs = (v: unknown) => Number(v) / 1000;

/** Every 7th transaction arrives ARRIVAL_DELAY_MS late, behind later ones of other accounts. */
function arrivalOrder(rows: readonly Row[]): Row[] {
  const arrival = (r: Row, i: number) => microsToMs(r.RECEIVED_AT) + (i % 7 === 3 ? ARRIVAL_DELAY_MS : 0);
  return rows
    .map((r, i) => ({ r, at: arrival(r, i) }))
    .sort((a, b) => a.at - b.at)
    .map((x) => x.r);
}

before(async () => {
  const statements = await deploymentStatements(VARIANTS[0]!);
  const d: Deployment = await deployment(statements);
  const fraud = (ID: number, at: number, ACCOUNT_ID: number) => ({
    ID,
    AMOUNT: "1000.00",
    RECEIVED_AT: at * 1000,
    IP_ADDRESS: "8.8.8.8",
    ACCOUNT_ID,
  });
  const transactions = [
    ...traffic.user_transaction,
    fraud(9001, LATE_AT, LATE.id),
    fraud(9002, SENTINEL_AT, SENTINEL.id),
  ];
  const ordered = arrivalOrder(transactions);
  assert.ok(
    ordered.some((r, i) => i > 0 && Number(r.RECEIVED_AT) < Number(ordered[i - 1]!.RECEIVED_AT)),
    "some transactions arrive out of order",
  );
  // A day later: closes every window of the traffic.
  const closer = {
    ID: 9999,
    AMOUNT: "1.00",
    RECEIVED_AT: (T0 + 86_400_000) * 1000,
    IP_ADDRESS: "8.8.8.8",
    ACCOUNT_ID: 1,
  };
  const user = (id: number) => ({
    ...traffic.auth_user[0]!,
    ID: id,
    USERNAME: `user${id}`,
    EMAIL: `user${id}@example.com`,
  });
  response = await runScenario(d, [
    startJob(d, "insert-auth-user"),
    startJob(d, "insert-user-transaction"),
    startJob(d, "fraud-rules-job"),
    {
      op: "produce",
      topic: "fd.SAMPLE.AUTH_USER",
      records: [...traffic.auth_user, user(SENTINEL.id)].map(userEvent),
    },
    { op: "produce", topic: "fd.SAMPLE.USER_TRANSACTION", records: [...ordered, closer].map(txEvent) },
    { op: "await", topic: "flagged_user", match: { account_id: SENTINEL.id }, count: SENTINEL.windows },
    { op: "quiet", topic: "flagged_user", ms: 1_500 },
    { op: "produce", topic: "fd.SAMPLE.AUTH_USER", records: [userEvent(user(LATE.id))] },
    { op: "await", topic: "flagged_user", match: { account_id: LATE.id }, count: LATE.windows },
    { op: "quiet", topic: "flagged_user", ms: 1_000 },
  ]);
  flagged = valuesOf(response, "flagged_user");
  const firstLate = flagged.findIndex((v) => v.account_id === LATE.id);
  beforeLateUser = firstLate < 0 ? flagged : flagged.slice(0, firstLate);
});

const asFlagged = (values: readonly Record<string, unknown>[]) => values as unknown as FlaggedRow[];

test("each fraud kind is flagged with exactly its reasons, once per window holding it; ordinary traffic and the boundaries never", () => {
  const checked = { ...traffic, accounts: [...traffic.accounts, SENTINEL] };
  assert.deepEqual(flaggedMismatches(checked, asFlagged(beforeLateUser)), []);
  const flaggedAccounts = new Set(beforeLateUser.map((v) => v.account_id));
  for (const kind of ["too_many_count", "too_many_amount", "too_large", "too_far"]) {
    assert.ok(
      beforeLateUser.some((v) => String(v.reasons).split(",").includes(kind)),
      `${kind} is flagged`,
    );
  }
  for (const id of [150, 151, 152])
    assert.ok(!flaggedAccounts.has(id), `boundary account ${id} is not flagged`);
});

test("a flagged row carries the window's aggregates, the user's name and email, on the transactions' clock", () => {
  const rows = beforeLateUser.filter((v) => v.account_id === 103);
  const last = rows.at(-1);
  assert.ok(last);
  assert.equal(last.user_name, "user103");
  assert.equal(last.email, "user103@example.com");
  assert.equal(last.total_amount, 1067.5);
  assert.equal(last.transaction_count, 2);
  assert.equal(last.max_amount, 612.4);
  assert.equal(last.blocked_ip_count, 0);
});

test("a user row that arrives after its account's transactions still completes the flag", () => {
  assert.equal(beforeLateUser.filter((v) => v.account_id === LATE.id).length, 0, "no flag without the user");
  const late = flagged.filter((v) => v.account_id === LATE.id);
  assert.equal(late.length, LATE.windows);
  assert.ok(late.every((v) => v.reasons === "too_large" && v.user_name === `user${LATE.id}`));
});

test("the upsert topic keeps one key per account: the latest row of an account is its last window", () => {
  const keys = (response.topics.flagged_user ?? []).map((r) => JSON.stringify(r.key));
  const accounts = new Set(flagged.map((v) => v.account_id));
  assert.equal(new Set(keys).size, accounts.size, "the record key is the account");
});
