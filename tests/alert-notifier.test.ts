import assert from "node:assert/strict";
import { test } from "node:test";
import { bodyOf, parseRecord, subjectOf } from "../functions/alert-notifier/alerts";
import type { NotifyDeps, Publish } from "../functions/alert-notifier/notify";
import { notify, SeenKeys } from "../functions/alert-notifier/notify";
import { alertLogLine, parseAlertLogLine } from "../lib/alert-log";
import { bundleLambdaFunction } from "../lib/bundle";
import { ALERT_HANDLER } from "../stacks/processing/alerts/render";
import { fakeClock } from "./helpers/fake-clock";

const DASHBOARD = "https://search-x.us-east-1.es.amazonaws.com/_dashboards/app/dashboards#/view/fraud";
const start = Date.UTC(2026, 11, 2, 4, 50);

/** One record as the connector sends it (self-managed connector's envelope: `payload`). */
const entry = (account: number, reasons = "too_many_count", windowStart = start) => ({
  payload: {
    topic: "fraud_alert",
    partition: 0,
    offset: account,
    timestamp: windowStart,
    key: { account_id: account },
    value: {
      account_id: account,
      user_name: `user${account}`,
      email: `user${account}@example.com`,
      reasons,
      window_start: windowStart,
      window_end: windowStart + 600_000,
      total_amount: 275.5,
      transaction_count: 11,
      max_amount: 25,
      blocked_ip_count: 0,
    },
  },
});

function fake(publish?: Publish) {
  const sent: { subject: string; body: string }[] = [];
  const clock = fakeClock();
  const logs: string[] = [];
  const deps: NotifyDeps = {
    publish:
      publish ??
      ((m) => {
        sent.push(m);
        return Promise.resolve();
      }),
    dashboardUrl: DASHBOARD,
    clock,
    log: (line) => logs.push(line),
    seen: new SeenKeys(),
  };
  return { deps, sent, sleeps: clock.sleeps, logs };
}

test("a batch publishes one readable message per alert: who, which rules, amounts, window, dashboard", async () => {
  const f = fake();
  const result = await notify([entry(1), entry(2, "too_large,too_far")], f.deps);
  assert.deepEqual(result, { published: 2, duplicates: 0, skipped: 0, failed: 0 });
  assert.equal(f.sent.length, 2);
  assert.equal(f.sent[1]?.subject, "Fraud alert: user2 (account 2) - too_large, too_far");
  const body = f.sent[1]?.body ?? "";
  assert.match(body, /Account 2 \(user "user2", email "user2@example\.com"\) was newly flagged/);
  assert.match(body, /- too_large: one unusually large transaction/);
  assert.match(body, /- too_far: a transaction from a blocked IP range/);
  assert.match(body, /Window \(UTC\): 2026-12-02T04:50:00\.000Z to 2026-12-02T05:00:00\.000Z/);
  assert.match(body, /Total amount: 275\.50; largest single transaction: 25\.00/);
  assert.ok(body.includes(`Dashboard: ${DASHBOARD}`));
});

test("a duplicate (same account and window) is published once, within a batch and across invocations", async () => {
  const f = fake();
  const first = await notify([entry(7), entry(7)], f.deps);
  const again = await notify([entry(7), entry(7, "too_many_count", start + 60_000)], f.deps);
  assert.deepEqual(first, { published: 1, duplicates: 1, skipped: 0, failed: 0 });
  assert.deepEqual(again, { published: 1, duplicates: 1, skipped: 0, failed: 0 });
  assert.equal(f.sent.length, 2, "the later window of the same account is a new alert");
});

test("malformed records are logged and skipped; the rest of the batch is published", async () => {
  const f = fake();
  const batch = [
    null,
    "not json",
    { payload: { value: null } },
    { payload: { value: "{broken" } },
    { payload: { value: { reasons: "too_large", window_start: start, window_end: start } } },
    { payload: { value: { account_id: 3, reasons: "", window_start: start, window_end: start } } },
    entry(4),
  ];
  const result = await notify(batch, f.deps);
  assert.deepEqual(result, { published: 1, duplicates: 0, skipped: 6, failed: 0 });
  assert.equal(f.logs.filter((l) => / skipped: /.test(l)).length, 6);
  assert.match(f.sent[0]?.subject ?? "", /account 4/);
});

test("a record without the payload wrapper, or with its value as a JSON string, is read too", () => {
  const bare = parseRecord(entry(5).payload);
  const text = parseRecord({ payload: { value: JSON.stringify(entry(6).payload.value) } });
  assert.ok("alert" in bare && bare.alert.accountId === 5);
  assert.ok("alert" in text && text.alert.accountId === 6);
  const iso = parseRecord({ value: { ...entry(8).payload.value, window_start: "2026-12-02T04:50:00Z" } });
  assert.ok("alert" in iso && iso.alert.windowStart === start);
});

test("SNS throttling is retried with exponential backoff, then published", async () => {
  let calls = 0;
  const f = fake(() => {
    calls++;
    if (calls <= 3)
      return Promise.reject(Object.assign(new Error("Rate exceeded"), { name: "ThrottledException" }));
    return Promise.resolve();
  });
  const result = await notify([entry(9)], f.deps);
  assert.deepEqual(result, { published: 1, duplicates: 0, skipped: 0, failed: 0 });
  assert.equal(calls, 4);
  assert.deepEqual(f.sleeps, [200, 400, 800]);
  assert.deepEqual(f.logs, [
    ...[200, 400, 800].map((ms) => `alert 9@${start}: ThrottledException, retrying in ${ms} ms`),
    alertLogLine({ accountId: 9, userName: "user9", windowStart: start, windowEnd: start + 600_000 }),
  ]);
  const slow = fake(() =>
    Promise.reject(Object.assign(new Error("slow down"), { name: "ThrottledException" })),
  );
  await notify([entry(9)], { ...slow.deps, baseDelayMs: 2_000 });
  assert.deepEqual(slow.sleeps, [2_000, 4_000, 5_000, 5_000], "capped at 5 s");
});

test("persistent throttling gives up after the attempts; a non-retryable error is not retried; the batch goes on", async () => {
  const f = fake((m) =>
    m.subject.includes("account 10")
      ? Promise.reject(Object.assign(new Error("slow down"), { name: "ThrottledException" }))
      : m.subject.includes("account 11")
        ? Promise.reject(Object.assign(new Error("no such topic"), { name: "NotFoundException" }))
        : Promise.resolve(),
  );
  const result = await notify([entry(10), entry(11), entry(12)], f.deps);
  assert.deepEqual(result, { published: 1, duplicates: 0, skipped: 0, failed: 2 });
  assert.deepEqual(f.sleeps, [200, 400, 800, 1600], "five attempts for the throttled one, one for the other");
  const retried = await notify([entry(10)], { ...f.deps, publish: () => Promise.resolve() });
  assert.equal(retried.published, 1, "a failed alert is not remembered as sent");
});

test("the subject is one ASCII line of at most 100 characters", () => {
  const long = parseRecord({ value: { ...entry(1).payload.value, user_name: "Ünïcode\nname-".repeat(20) } });
  assert.ok("alert" in long);
  const subject = subjectOf(long.alert);
  assert.ok(subject.length <= 100);
  assert.match(subject, /^[\x20-\x7e]+$/);
  assert.match(bodyOf(long.alert, DASHBOARD), /Dashboard: /);
});

test("the deployed bundle runs: its handler publishes through the SNS client the runtime provides", async () => {
  const sent: { TopicArn?: string; Subject?: string }[] = [];
  class PublishCommand {
    constructor(readonly input: { TopicArn?: string; Subject?: string }) {}
  }
  class SNSClient {
    send(cmd: PublishCommand) {
      sent.push(cmd.input);
      return Promise.resolve({});
    }
  }
  const fakeRequire = (id: string) => {
    if (id === "@aws-sdk/client-sns") return { SNSClient, PublishCommand };
    throw new Error(`unexpected require ${id}`);
  };
  const mod = { exports: {} as { handler?: (e: unknown) => Promise<Record<string, number>> } };
  const env = { ALERT_TOPIC_ARN: "arn:aws:sns:us-east-1:123456789012:t", DASHBOARD_URL: DASHBOARD };
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    new Function("exports", "module", "require", bundleLambdaFunction(ALERT_HANDLER))(
      mod.exports,
      mod,
      fakeRequire,
    );
  } finally {
    process.env = saved;
  }
  const result = await mod.exports.handler?.([entry(21), entry(21), { payload: { value: 42 } }]);
  assert.deepEqual(result, { published: 1, duplicates: 1, skipped: 1 });
  assert.deepEqual(
    sent.map((s) => s.TopicArn),
    [env.ALERT_TOPIC_ARN],
  );
});

test("each published alert logs one line verify reads back: account, user name and window, never the email", async () => {
  const f = fake();
  await notify([entry(1), entry(2, "too_large")], f.deps);
  const published = f.logs.map(parseAlertLogLine).filter((l) => l !== undefined);
  assert.deepEqual(published, [
    { account: 1, user: "user1", windowStart: start, windowEnd: start + 600_000 },
    { account: 2, user: "user2", windowStart: start, windowEnd: start + 600_000 },
  ]);
  for (const line of f.logs) assert.doesNotMatch(line, /@example\.com/);
  // Nothing published, nothing logged as published.
  const failing = fake(() =>
    Promise.reject(Object.assign(new Error("denied"), { name: "AuthorizationError" })),
  );
  await notify([entry(3)], failing.deps);
  assert.deepEqual(failing.logs.map(parseAlertLogLine).filter(Boolean), []);
});

test("the user name and email reach the body quoted and escaped: they cannot add lines or links of their own", () => {
  const hostile = entry(5);
  hostile.payload.value.user_name = 'mallory\nDashboard: https://evil.example/login\n"';
  hostile.payload.value.email = "m@example.com\r\nReply to: attacker@example.net";
  const parsed = parseRecord(hostile);
  assert.ok("alert" in parsed);
  const body = bodyOf(parsed.alert, DASHBOARD);
  const lines = body.split("\n");
  assert.equal(lines.filter((l) => l.startsWith("Dashboard:")).length, 1);
  assert.deepEqual(
    lines.filter((l) => /evil|Reply to/.test(l)),
    [lines[0]],
  );
  assert.equal(
    lines[0],
    'Account 5 (user "mallory\\nDashboard: https://evil.example/login\\n\\"", email ' +
      '"m@example.com\\r\\nReply to: attacker@example.net") was newly flagged.',
  );
  const ordinary = parseRecord(entry(6));
  assert.ok("alert" in ordinary);
  assert.equal(lines.length, bodyOf(ordinary.alert, DASHBOARD).split("\n").length);
});
