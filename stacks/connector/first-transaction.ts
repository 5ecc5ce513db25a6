import type { FetchLike } from "../../lib/opensearch-api";
import type { CheckResult, Clock } from "../../lib/readiness";
import { pollUntil } from "../../lib/readiness";

/**
 * The CDC connector creates a table's topic, and registers its schema, only with the table's first
 * row. The web app loads its 1,000 users at start-up but writes no transaction until someone uses it,
 * so on a fresh deployment `<prefix>.<SCHEMA>.USER_TRANSACTION` would not exist: the subjects gate
 * would time out and the user_transaction statements could never be created. A Job in the EKS
 * cluster (first-transaction-main.ts) asks the web app's Service, once, for one ordinary transaction —
 * the request its "Stream Real Transactions" switch makes (a normal amount from an allowed address,
 * which no fraud rule flags). In-cluster, so neither the ALB's inbound rules nor the deployer's
 * address matter. This module is bundled into the Job: it must not import a Pulumi SDK.
 */

/** `http://<service>.<ns>.svc.cluster.local/` → `…/create-real-transaction/` (the app's API is at the root). */
export function realTransactionUrl(webappServiceUrl: string): string {
  if (!URL.canParse(webappServiceUrl) || !/^https?:$/.test(new URL(webappServiceUrl).protocol)) {
    throw new Error(
      `output 'webappServiceUrl' of aws-resources (${JSON.stringify(webappServiceUrl)}) is not an http(s) URL`,
    );
  }
  return new URL("/create-real-transaction/", webappServiceUrl).toString();
}

/**
 * The web app's answer: 2xx is done; 5xx (a pod not ready yet) and 429 mean "not yet"; any other
 * answer will not change by asking again.
 */
export function classifyTransactionAnswer(status: number): CheckResult {
  if (status >= 200 && status < 300) return { state: "ready" };
  if (status >= 500 || status === 429) return { state: "waiting", status: `HTTP ${status}` };
  return { state: "failed", status: `HTTP ${status}` };
}

export interface FirstTransactionOptions {
  readonly url: string;
  readonly timeoutMs: number;
  readonly fetch: FetchLike;
  readonly clock: Clock;
}

/** POSTs until the app answers 2xx (resolves) or a permanent answer or the deadline (rejects). */
export async function sendFirstTransaction(o: FirstTransactionOptions): Promise<void> {
  await pollUntil({
    description: `one transaction from the web app (POST ${o.url})`,
    timeoutMs: o.timeoutMs,
    initialDelayMs: 5_000,
    maxDelayMs: 30_000,
    clock: o.clock,
    check: async () => {
      try {
        const res = await o.fetch(o.url, {
          method: "POST",
          headers: {},
          signal: AbortSignal.timeout(20_000),
        });
        return classifyTransactionAnswer(res.status);
      } catch (err) {
        // A Service with no ready endpoint refuses connections until a pod is ready.
        return { state: "waiting", status: `request failed: ${(err as Error).message}` };
      }
    },
  });
}
