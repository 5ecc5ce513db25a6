import type { Clock } from "../../lib/readiness";

/**
 * Real time whose pending sleeps can be cancelled. The OpenSearch client races each request
 * against a `sleep(timeout)` it never cancels; once a command is done, `dispose` clears those
 * timers so the process exits at once instead of up to a request timeout later.
 */
export function disposableClock(): Clock & { dispose(): void } {
  const pending = new Set<NodeJS.Timeout>();
  return {
    now: () => Date.now(),
    sleep: (ms) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(timer);
          resolve();
        }, ms);
        pending.add(timer);
      }),
    dispose: () => {
      for (const timer of pending) clearTimeout(timer);
      pending.clear();
    },
  };
}
