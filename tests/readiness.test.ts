import assert from "node:assert/strict";
import { test } from "node:test";
import type { CheckResult } from "../lib/readiness";
import { formatMinutes, pollUntil, retryWithBackoff } from "../lib/readiness";
import { fakeClock } from "./helpers/fake-clock";

/** A check that answers from a script, then keeps repeating the last answer. */
function scripted(answers: CheckResult[]): { check: () => Promise<CheckResult>; calls: () => number } {
  let i = 0;
  return {
    check: async () => answers[Math.min(i++, answers.length - 1)] as CheckResult,
    calls: () => i,
  };
}

const waiting = (status: string): CheckResult => ({ state: "waiting", status });
const base = { description: "the thing", timeoutMs: 10 * 60_000, initialDelayMs: 1_000, maxDelayMs: 8_000 };

test("ready at once: one check, no sleep", async () => {
  const clock = fakeClock();
  const s = scripted([{ state: "ready" }]);
  const out = await pollUntil({ ...base, check: s.check, clock });
  assert.deepEqual(out, { polls: 1, elapsedMs: 0 });
  assert.deepEqual(clock.sleeps, []);
});

test("ready after N polls: exponential backoff capped at maxDelayMs", async () => {
  const clock = fakeClock();
  const s = scripted([...Array.from({ length: 6 }, (_, i) => waiting(`try ${i}`)), { state: "ready" }]);
  const out = await pollUntil({ ...base, check: s.check, clock });
  assert.equal(out.polls, 7);
  assert.deepEqual(clock.sleeps, [1_000, 2_000, 4_000, 8_000, 8_000, 8_000]);
  assert.equal(out.elapsedMs, 31_000);
});

test("timeout: the error names the minutes, what was awaited and the last status", async () => {
  const clock = fakeClock();
  let n = 0;
  const check = async (): Promise<CheckResult> => waiting(`value is "pending" (${++n})`);
  await assert.rejects(pollUntil({ ...base, timeoutMs: 60_000, check, clock }), (err: Error) => {
    assert.equal(err.name, "ReadinessTimeoutError");
    assert.equal(
      err.message,
      `timed out after 1 min waiting for the thing (last status: value is "pending" (${n}))`,
    );
    return true;
  });
  // Never sleeps past the deadline, and checks one last time exactly at it.
  assert.equal(
    clock.sleeps.reduce((a, b) => a + b, 0),
    60_000,
  );
  assert.deepEqual(clock.sleeps, [1_000, 2_000, 4_000, 8_000, 8_000, 8_000, 8_000, 8_000, 8_000, 5_000]);
  assert.equal(n, clock.sleeps.length + 1);
});

test("a failed check stops at once with its reason", async () => {
  const clock = fakeClock();
  const s = scripted([waiting("not yet"), { state: "failed", status: "failed: ORA-01031" }]);
  await assert.rejects(pollUntil({ ...base, check: s.check, clock }), (err: Error) => {
    assert.equal(err.name, "ReadinessFailedError");
    assert.equal(err.message, "gave up waiting for the thing: failed: ORA-01031");
    return true;
  });
  assert.equal(s.calls(), 2);
  assert.deepEqual(clock.sleeps, [1_000]);
});

test("nonsensical timings are refused before any check", async () => {
  const s = scripted([{ state: "ready" }]);
  for (const bad of [
    { timeoutMs: 0 },
    { initialDelayMs: 0 },
    { initialDelayMs: 5_000, maxDelayMs: 1_000 },
    { timeoutMs: Number.NaN },
  ]) {
    await assert.rejects(pollUntil({ ...base, ...bad, check: s.check, clock: fakeClock() }), RangeError);
  }
  assert.equal(s.calls(), 0);
});

const transient = (n: number) => Object.assign(new Error(`busy ${n}`), { name: "Busy" });
const retry = {
  initialDelayMs: 100,
  maxDelayMs: 300,
  retryable: (err: unknown) => (err as Error).name === "Busy",
};

test("retryWithBackoff: retries what may succeed, doubling the pause up to the cap, and tells of each retry", async () => {
  const clock = fakeClock();
  let tries = 0;
  const told: string[] = [];
  const out = await retryWithBackoff(
    async () => {
      tries++;
      if (tries < 5) throw transient(tries);
      return "done";
    },
    { ...retry, maxAttempts: 5, clock, onRetry: (err, ms) => told.push(`${(err as Error).message} ${ms}`) },
  );
  assert.equal(out, "done");
  assert.deepEqual(clock.sleeps, [100, 200, 300, 300]);
  assert.deepEqual(told, ["busy 1 100", "busy 2 200", "busy 3 300", "busy 4 300"]);
});

test("retryWithBackoff: the last error after maxAttempts; an error it may not retry at once", async () => {
  const clock = fakeClock();
  let tries = 0;
  await assert.rejects(
    retryWithBackoff(() => Promise.reject(transient(++tries)), { ...retry, maxAttempts: 3, clock }),
    /busy 3/,
  );
  assert.deepEqual(clock.sleeps, [100, 200]);
  const fatal = fakeClock();
  await assert.rejects(
    retryWithBackoff(() => Promise.reject(new Error("denied")), { ...retry, maxAttempts: 3, clock: fatal }),
    /denied/,
  );
  assert.deepEqual(fatal.sleeps, []);
});

test("retryWithBackoff: a retry without a bound, or with nonsensical timings, is refused before any try", async () => {
  let tries = 0;
  const attempt = async () => void tries++;
  for (const bad of [
    {},
    { maxAttempts: 0 },
    { maxAttempts: 3, initialDelayMs: 0 },
    { timeoutMs: 1_000, initialDelayMs: 500, maxDelayMs: 100 },
  ]) {
    await assert.rejects(retryWithBackoff(attempt, { ...retry, ...bad, clock: fakeClock() }), RangeError);
  }
  assert.equal(tries, 0);
});

test("formatMinutes", () => {
  assert.equal(formatMinutes(45 * 60_000), "45 min");
  assert.equal(formatMinutes(90_000), "1.5 min");
});
