import assert from "node:assert/strict";
import { test } from "node:test";
import { DETECTION_TARGETS, latencies, quantile } from "../engines/bench/detection";
import type { ReceivedRecord } from "../engines/driver/flink-scenario";

// Only the arithmetic of the detection benchmark is tested; its timings are the machine's.

const flag = (account: number, reasons: string, timestamp: number): ReceivedRecord => ({
  key: { account_id: account },
  value: { account_id: account, reasons },
  timestamp,
  receivedAt: timestamp,
});

test("quantiles by nearest rank", () => {
  const values = Array.from({ length: 100 }, (_, i) => i + 1);
  assert.equal(quantile(values, 0.5), 50);
  assert.equal(quantile(values, 0.99), 99);
  assert.equal(quantile([3, 1, 2], 0.99), 3);
  assert.throws(() => quantile([], 0.5), /nothing/);
});

test("a fraud's latency runs to the first flag of its account that carries its kind", () => {
  const frauds = [
    { kind: "too_large", account: 1, appendedAt: 1_000 },
    { kind: "too_many_count", account: 2, appendedAt: 2_000 },
    { kind: "too_far", account: 3, appendedAt: 3_000 },
  ] as const;
  const flags = [
    flag(2, "too_many_amount", 2_500), // another reason: not this fraud's flag
    flag(1, "too_many_amount,too_large", 1_120),
    flag(2, "too_many_count", 7_300),
    flag(1, "too_large", 9_000), // a later flag of the same kind does not count
  ];
  const got = latencies(frauds, flags);
  assert.deepEqual(got.get("too_large"), [0.12]);
  assert.deepEqual(got.get("too_many_count"), [5.3]);
  assert.deepEqual(got.get("too_far"), [], "never flagged: no sample, so the target check fails");
});

test("the targets: a second for what one transaction commits, the watermark delay and a second for the window kinds", () => {
  assert.equal(DETECTION_TARGETS.aloneP99Seconds, 1);
  assert.equal(DETECTION_TARGETS.windowP99Seconds, 6);
  assert.equal(DETECTION_TARGETS.transactionsPerSecond, 2000);
});
