import assert from "node:assert/strict";
import { before, test } from "node:test";
import type { Row } from "../../tests/helpers/sql-engine";
import type { FlaggedRow, TrafficAccount } from "../../tests/helpers/web-app-traffic";
import { T0, verdictMismatches, webAppTraffic } from "../../tests/helpers/web-app-traffic";
import { afterRow, changeEvent, userChange } from "./cdc-topics";
import { deploymentStatements, VARIANTS } from "./deployment-statements";
import type { Deployment, KafkaRecord, ReceivedRecord, ScenarioResponse } from "./flink-scenario";
import { deployment, runScenario, startJob, valuesOf } from "./flink-scenario";

// The dev deployment's own jobs on Apache Flink and Kafka: change events on the CDC topics, the
// connector stack's two INSERTs flatten them into auth_user and user_transaction, and the rules job
// upserts flagged_user, in event time. Transactions arrive partly out of order (within the
// watermark delay), one account's user row arrives after its flag, and the last accounts show what
// is flagged on arrival and what waits for the watermark.

const traffic = webAppTraffic();
const MINUTE = 60_000;
/** Flagged on its own transaction; its user row comes last. */
const LATE: TrafficAccount = { id: 161, what: "too_large, user row after the flag", expected: ["too_large"] };
const LATE_AT = T0 + 124 * MINUTE + 5_000;
/**
 * The latest window fraud (after the web app's traffic, which ends past midnight): once its flag is
 * in, every earlier transaction has been judged.
 */
const SENTINEL: TrafficAccount = {
  id: 170,
  what: "too_many_count, the last window fraud",
  expected: ["too_many_count"],
};
const SENTINEL_AT = T0 + 16 * 60 * MINUTE;
/** Committed after everything else, with nothing after them until ARRIVAL_CHECK_AT + 6 s. */
const ARRIVAL_CHECK_AT = SENTINEL_AT + 120 * MINUTE;
const ON_ARRIVAL = { too_far: 171, too_large: 172 } as const;
const AFTER_WATERMARK = 173;
/** How late some transactions arrive: under the table's 5 s watermark delay, so they still count. */
const ARRIVAL_DELAY_MS = 4_000;

let flagged: Record<string, unknown>[] = [];
let beforeLateUser: Record<string, unknown>[] = [];
let response: ScenarioResponse;

const userEvent = (row: Row): KafkaRecord => changeEvent("AUTH_USER", afterRow(row));
const txEvent = (row: Row): KafkaRecord => changeEvent("USER_TRANSACTION", afterRow(row));
const microsToMs = (v: unknown) => Number(v) / 1000;
let txId = 9000;
const tx = (account: number, at: number, amount: string, ip = "8.8.8.8"): Row => ({
  ID: txId++,
  AMOUNT: amount,
  RECEIVED_AT: at * 1000,
  IP_ADDRESS: ip,
  ACCOUNT_ID: account,
});
const burst = (account: number, at: number) =>
  Array.from({ length: 11 }, (_, i) => tx(account, at + i * 90, "1.00"));

/** Every 7th transaction arrives ARRIVAL_DELAY_MS late, behind later ones of other accounts. */
function arrivalOrder(rows: readonly Row[]): Row[] {
  const arrival = (r: Row, i: number) => microsToMs(r.RECEIVED_AT) + (i % 7 === 3 ? ARRIVAL_DELAY_MS : 0);
  return rows
    .map((r, i) => ({ r, at: arrival(r, i) }))
    .sort((a, b) => a.at - b.at)
    .map((x) => x.r);
}

const produceTx = (rows: readonly Row[]) => ({
  op: "produce" as const,
  topic: "fd.SAMPLE.USER_TRANSACTION",
  records: rows.map(txEvent),
});

before(async () => {
  const d: Deployment = await deployment(await deploymentStatements(VARIANTS[0]!));
  const ordered = arrivalOrder([
    ...traffic.user_transaction,
    tx(LATE.id, LATE_AT, "1000.00"),
    ...burst(SENTINEL.id, SENTINEL_AT),
  ]);
  assert.ok(
    ordered.some((r, i) => i > 0 && Number(r.RECEIVED_AT) < Number(ordered[i - 1]!.RECEIVED_AT)),
    "some transactions arrive out of order",
  );
  // An hour later: the watermark passes every transaction above.
  const closer = tx(1, SENTINEL_AT + 60 * MINUTE, "1.00");
  const checked = [ON_ARRIVAL.too_far, ON_ARRIVAL.too_large, AFTER_WATERMARK];
  response = await runScenario(d, [
    startJob(d, "insert-auth-user"),
    startJob(d, "insert-user-transaction"),
    startJob(d, "fraud-rules-job"),
    {
      op: "produce",
      topic: "fd.SAMPLE.AUTH_USER",
      records: [...traffic.auth_user.map(userEvent), userChange(SENTINEL.id), ...checked.map(userChange)],
    },
    produceTx([...ordered, closer]),
    { op: "await", topic: "flagged_user", match: { account_id: SENTINEL.id, reasons: "too_many_count" } },
    { op: "quiet", topic: "flagged_user", ms: 1_500 },
    { op: "produce", topic: "fd.SAMPLE.AUTH_USER", records: [userChange(LATE.id)] },
    { op: "await", topic: "flagged_user", match: { account_id: LATE.id } },
    // Nothing follows these until the last step: only what needs no watermark can be flagged.
    produceTx([
      tx(ON_ARRIVAL.too_far, ARRIVAL_CHECK_AT, "17.80", "1.1.1.1"),
      tx(ON_ARRIVAL.too_large, ARRIVAL_CHECK_AT, "1000.00"),
      ...burst(AFTER_WATERMARK, ARRIVAL_CHECK_AT),
    ]),
    { op: "await", topic: "flagged_user", match: { account_id: ON_ARRIVAL.too_far } },
    { op: "await", topic: "flagged_user", match: { account_id: ON_ARRIVAL.too_large } },
    { op: "quiet", topic: "flagged_user", ms: 2_000 },
    produceTx([tx(1, ARRIVAL_CHECK_AT + 6_000, "1.00")]),
    { op: "await", topic: "flagged_user", match: { account_id: AFTER_WATERMARK } },
    { op: "quiet", topic: "flagged_user", ms: 1_000 },
  ]);
  flagged = valuesOf(response, "flagged_user");
  const firstLate = flagged.findIndex((v) => v.account_id === LATE.id);
  beforeLateUser = firstLate < 0 ? flagged : flagged.slice(0, firstLate);
});

const asFlagged = (values: readonly Record<string, unknown>[]) => values as unknown as FlaggedRow[];
const records = (account: number): ReceivedRecord[] =>
  (response.topics.flagged_user ?? []).filter((r) => r.value?.account_id === account);

test("each fraud kind is flagged with exactly its reasons; ordinary traffic and every boundary never", () => {
  const accounts = [...traffic.accounts, SENTINEL, { ...LATE, noUser: true as const }];
  assert.deepEqual(
    verdictMismatches({ ...traffic, accounts }, asFlagged(beforeLateUser), { withUsers: true }),
    [],
  );
  for (const kind of ["too_many_count", "too_many_amount", "too_large", "too_far"]) {
    assert.ok(
      beforeLateUser.some((v) => String(v.reasons).split(",").includes(kind)),
      `${kind} is flagged`,
    );
  }
  const flaggedAccounts = new Set(beforeLateUser.map((v) => v.account_id));
  for (const id of [7, 150, 151, 152])
    assert.ok(!flaggedAccounts.has(id), `boundary account ${id} is not flagged`);
});

test("too_large and too_far are flagged as the transaction arrives; a window fraud once the watermark passes it", () => {
  const watermarkMover = response.steps.filter((s) => s.op === "produce").at(-1)?.produced?.[0];
  assert.ok(watermarkMover, "the transaction that moves the watermark was sent");
  for (const account of Object.values(ON_ARRIVAL)) {
    const first = records(account)[0];
    assert.ok(first && first.receivedAt < watermarkMover, `${account} flagged before any later transaction`);
  }
  const burstFlag = records(AFTER_WATERMARK)[0];
  assert.ok(burstFlag && burstFlag.receivedAt >= watermarkMover, "the burst waited for the watermark");
  assert.equal(burstFlag.value?.reasons, "too_many_count");
});

test("an account's row carries the trailing window of its latest flagged transaction, the user's name and email", () => {
  const last = flagged.filter((v) => v.account_id === 103).at(-1);
  assert.ok(last);
  assert.equal(last.user_name, "user103");
  assert.equal(last.email, "user103@example.com");
  assert.equal(last.total_amount, 1067.5);
  assert.equal(last.transaction_count, 2);
  assert.equal(last.max_amount, 612.4);
  assert.equal(last.blocked_ip_count, 0);
  const start = Date.parse(String(last.window_start).replace(" ", "T"));
  const updated = Date.parse(String(last.updated_at).replace(" ", "T"));
  assert.equal(updated, T0 + 60 * MINUTE + 10_090, "the second transaction of the burst");
  assert.equal(updated - start, 10 * MINUTE, "the window is the 10 minutes before it");
  const all = flagged.filter((v) => v.account_id === 140).at(-1);
  assert.equal(all?.reasons, "too_many_count,too_many_amount,too_large,too_far");
});

test("a user row that arrives after its account's flag still completes it", () => {
  assert.equal(beforeLateUser.filter((v) => v.account_id === LATE.id).length, 0, "no flag without the user");
  const late = flagged.filter((v) => v.account_id === LATE.id);
  assert.ok(late.length > 0);
  assert.ok(late.every((v) => v.reasons === "too_large" && v.user_name === `user${LATE.id}`));
});

test("the upsert topic keeps one key per account", () => {
  const keys = (response.topics.flagged_user ?? []).map((r) => JSON.stringify(r.key));
  const accounts = new Set(flagged.map((v) => v.account_id));
  assert.equal(new Set(keys).size, accounts.size, "the record key is the account");
});
