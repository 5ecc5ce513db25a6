/**
 * Backoff instead of fixed sleeps: retry an action, or poll a condition until it holds, fails, or a
 * deadline passes, pausing twice as long after each try. Pure apart from the injected clock, so every
 * timing path is tested without waiting (see tests/readiness.test.ts); programs use `systemClock`.
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

export interface BackoffOptions {
  /** Pause after the first failed try; each later pause doubles, up to `maxDelayMs`. */
  readonly initialDelayMs: number;
  readonly maxDelayMs: number;
  /** Tries in all, the first included. */
  readonly maxAttempts?: number;
  /**
   * Give up once this long has passed since the first try. The last pause ends at the deadline, so a
   * try happens there: a condition that holds just in time is still seen.
   */
  readonly timeoutMs?: number;
  readonly clock: Clock;
  /** Whether a failed try may be retried; any other error is thrown at once. */
  readonly retryable: (err: unknown) => boolean;
  /** Told of each failed try that is retried, and of the pause before the next one. */
  readonly onRetry?: (err: unknown, delayMs: number) => void;
}

/**
 * Runs `attempt` until it returns, throws what `retryable` refuses, or runs out of tries or time;
 * then throws its last error. At least one of `maxAttempts` and `timeoutMs` bounds it.
 */
export async function retryWithBackoff<T>(attempt: () => Promise<T>, opts: BackoffOptions): Promise<T> {
  const { initialDelayMs, maxDelayMs, maxAttempts = Infinity, timeoutMs = Infinity, clock } = opts;
  if (!(initialDelayMs > 0) || !(maxDelayMs >= initialDelayMs) || !(maxAttempts >= 1) || !(timeoutMs > 0)) {
    throw new RangeError(
      `retryWithBackoff: need 0 < initialDelayMs <= maxDelayMs, maxAttempts >= 1 and timeoutMs > 0 ` +
        `(got ${initialDelayMs}, ${maxDelayMs}, ${maxAttempts}, ${timeoutMs})`,
    );
  }
  if (maxAttempts === Infinity && timeoutMs === Infinity) {
    throw new RangeError("retryWithBackoff: give maxAttempts or timeoutMs, or it may never end");
  }
  const deadline = clock.now() + timeoutMs;
  let delay = initialDelayMs;
  for (let tries = 1; ; tries++) {
    try {
      return await attempt();
    } catch (err) {
      const remaining = deadline - clock.now();
      if (!opts.retryable(err) || tries >= maxAttempts || remaining <= 0) throw err;
      const pause = Math.min(delay, remaining);
      opts.onRetry?.(err, pause);
      await clock.sleep(pause);
      delay = Math.min(delay * 2, maxDelayMs);
    }
  }
}

/** `2700000` → `45 min`; `90000` → `1.5 min`. */
export function formatMinutes(ms: number): string {
  const minutes = ms / 60_000;
  return `${Number.isInteger(minutes) ? minutes : minutes.toFixed(1)} min`;
}

/** What `pollUntil` retries on: a check that says "not yet". */
const NOT_YET = "ReadinessNotYet";

/**
 * Checks, then sleeps `initialDelayMs`, `2×`, `4×` … (capped at `maxDelayMs`, and never past the
 * deadline) between checks. The last check happens at the deadline itself, so a condition that
 * becomes true just in time is still seen.
 */
export async function pollUntil(opts: PollOptions): Promise<PollOutcome> {
  const { description, check, timeoutMs, initialDelayMs, maxDelayMs, clock } = opts;
  const start = clock.now();
  let polls = 0;
  try {
    await retryWithBackoff(
      async () => {
        const result = await check();
        polls += 1;
        if (result.state === "failed") {
          throw readinessError(
            "ReadinessFailedError",
            `gave up waiting for ${description}: ${result.status}`,
          );
        }
        if (result.state === "waiting") throw Object.assign(new Error(result.status), { name: NOT_YET });
      },
      { initialDelayMs, maxDelayMs, timeoutMs, clock, retryable: (err) => (err as Error).name === NOT_YET },
    );
  } catch (err) {
    if ((err as Error).name !== NOT_YET) throw err;
    throw readinessError(
      "ReadinessTimeoutError",
      `timed out after ${formatMinutes(timeoutMs)} waiting for ${description} (last status: ${(err as Error).message})`,
    );
  }
  return { polls, elapsedMs: clock.now() - start };
}

/** The real clock, for gates that run during `pulumi up`. */
export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
