/**
 * Readiness gates instead of fixed sleeps: poll a condition with exponential backoff until it holds,
 * fails, or a deadline passes. Pure apart from the injected clock, so every timing path is tested
 * without waiting (see tests/readiness.test.ts); programs use `systemClock`.
 */

/** Time as the poller sees it. Tests inject a fake; real gates use `systemClock`. */
export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

/** What one check found: ready, not yet (with a status for the timeout message), or failed for good. */
export type CheckResult =
  | { readonly state: "ready" }
  | { readonly state: "waiting"; readonly status: string }
  | { readonly state: "failed"; readonly status: string };

export interface PollOptions {
  /** What is being waited for, e.g. "the Oracle ready signal in SSM parameter /fd/oracle/ready". */
  readonly description: string;
  /** One probe. It classifies its own errors: transient ones are `waiting`, permanent ones `failed`. */
  readonly check: () => Promise<CheckResult>;
  /** Give up after this long (measured from the first check). */
  readonly timeoutMs: number;
  /** Pause after the first unsuccessful check; each later pause doubles, up to `maxDelayMs`. */
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  readonly clock: Clock;
}

export interface PollOutcome {
  /** Number of checks made, the successful one included. */
  readonly polls: number;
  readonly elapsedMs: number;
}

/**
 * Error names: `ReadinessTimeoutError` (the condition did not hold before the deadline) and
 * `ReadinessFailedError` (a check reported a permanent failure). Plain `Error`s with a name rather
 * than subclasses, because this module runs inside dynamic providers, and Pulumi's closure
 * serialization drops the constructor arguments and fields of ES classes.
 */
export type ReadinessErrorName = "ReadinessTimeoutError" | "ReadinessFailedError";

function readinessError(name: ReadinessErrorName, message: string): Error {
  const err = new Error(message);
  err.name = name;
  return err;
}

/** `2700000` → `45 min`; `90000` → `1.5 min`. */
export function formatMinutes(ms: number): string {
  const minutes = ms / 60_000;
  return `${Number.isInteger(minutes) ? minutes : minutes.toFixed(1)} min`;
}

/**
 * Checks, then sleeps `initialDelayMs`, `2×`, `4×` … (capped at `maxDelayMs`, and never past the
 * deadline) between checks. The last check happens at the deadline itself, so a condition that
 * becomes true just in time is still seen.
 */
export async function pollUntil(opts: PollOptions): Promise<PollOutcome> {
  const { description, check, timeoutMs, initialDelayMs, maxDelayMs, clock } = opts;
  if (!(timeoutMs > 0) || !(initialDelayMs > 0) || !(maxDelayMs >= initialDelayMs)) {
    throw new RangeError(
      `pollUntil(${description}): need timeoutMs > 0 and 0 < initialDelayMs <= maxDelayMs ` +
        `(got ${timeoutMs}, ${initialDelayMs}, ${maxDelayMs})`,
    );
  }
  const start = clock.now();
  const deadline = start + timeoutMs;
  let delay = initialDelayMs;
  let polls = 0;
  for (;;) {
    const result = await check();
    polls += 1;
    if (result.state === "ready") return { polls, elapsedMs: clock.now() - start };
    if (result.state === "failed") {
      throw readinessError("ReadinessFailedError", `gave up waiting for ${description}: ${result.status}`);
    }
    const remaining = deadline - clock.now();
    if (remaining <= 0) {
      throw readinessError(
        "ReadinessTimeoutError",
        `timed out after ${formatMinutes(timeoutMs)} waiting for ${description} (last status: ${result.status})`,
      );
    }
    await clock.sleep(Math.min(delay, remaining));
    delay = Math.min(delay * 2, maxDelayMs);
  }
}

/** The real clock, for gates that run during `pulumi up`. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
