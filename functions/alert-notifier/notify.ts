import { alertLogLine } from "../../lib/alert-log";
import type { Clock } from "../../lib/readiness";
import { retryWithBackoff } from "../../lib/readiness";
import type { Alert } from "./alerts";
import { alertKey, bodyOf, parseRecord, subjectOf } from "./alerts";

/** Publishes one message; the handler backs it with SNS, tests with a fake. */
export type Publish = (message: { readonly subject: string; readonly body: string }) => Promise<void>;

export interface NotifyDeps {
  readonly publish: Publish;
  readonly dashboardUrl: string;
  /** Injected so tests run the backoff without waiting. */
  readonly clock: Clock;
  readonly log: (line: string) => void;
  /** Keys already published by this container (shared across invocations of a warm container). */
  readonly seen: SeenKeys;
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
}

export interface NotifyResult {
  readonly published: number;
  readonly duplicates: number;
  readonly skipped: number;
  readonly failed: number;
}

/** A bounded memory of published alert keys: the oldest is forgotten first. */
export class SeenKeys {
  private readonly keys = new Set<string>();
  constructor(private readonly capacity = 10_000) {}
  has(key: string): boolean {
    return this.keys.has(key);
  }
  add(key: string): void {
    this.keys.add(key);
    if (this.keys.size > this.capacity) {
      const oldest = this.keys.values().next().value;
      if (oldest !== undefined) this.keys.delete(oldest);
    }
  }
}

/** SNS throttling (and transient server errors) are retried; anything else is not. */
function isRetryable(err: unknown): boolean {
  const e = err as { name?: unknown; $metadata?: { httpStatusCode?: unknown } } | null;
  const name = typeof e?.name === "string" ? e.name : "";
  if (/Throttl|TooManyRequests|KMSThrottling/i.test(name)) return true;
  const status = e?.$metadata?.httpStatusCode;
  return typeof status === "number" && (status === 429 || status >= 500);
}

/** Backoff without jitter (each container publishes alone): base, 2×, 4× … capped at 5 s. */
async function publishWithRetry(alert: Alert, deps: NotifyDeps): Promise<void> {
  const message = { subject: subjectOf(alert), body: bodyOf(alert, deps.dashboardUrl) };
  await retryWithBackoff(() => deps.publish(message), {
    initialDelayMs: deps.baseDelayMs ?? 200,
    maxDelayMs: 5_000,
    maxAttempts: deps.maxAttempts ?? 5,
    clock: deps.clock,
    retryable: isRetryable,
    onRetry: (err, wait) =>
      deps.log(`alert ${alertKey(alert)}: ${(err as Error).name ?? "error"}, retrying in ${wait} ms`),
  });
}

/**
 * Publishes one message per alert of the batch. A malformed record is logged and skipped; a
 * duplicate (same account and window, already published by this container) is not published
 * again; a publish that still fails after its retries is logged, the rest of the batch still goes
 * out, and the handler then fails the invocation so the connector records the batch in its error
 * topic.
 */
export async function notify(entries: readonly unknown[], deps: NotifyDeps): Promise<NotifyResult> {
  let published = 0;
  let duplicates = 0;
  let skipped = 0;
  let failed = 0;
  for (const [i, entry] of entries.entries()) {
    const parsed = parseRecord(entry);
    if ("problem" in parsed) {
      skipped++;
      deps.log(`record ${i} skipped: ${parsed.problem}`);
      continue;
    }
    const key = alertKey(parsed.alert);
    if (deps.seen.has(key)) {
      duplicates++;
      continue;
    }
    try {
      await publishWithRetry(parsed.alert, deps);
      deps.seen.add(key);
      published++;
      deps.log(alertLogLine(parsed.alert));
    } catch (err) {
      failed++;
      deps.log(`alert ${key} not published: ${(err as Error).name ?? "error"}: ${(err as Error).message}`);
    }
  }
  return { published, duplicates, skipped, failed };
}
