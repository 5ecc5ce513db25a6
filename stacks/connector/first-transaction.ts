import * as pulumi from "@pulumi/pulumi";
import type { CheckResult } from "../../lib/readiness";
import { pollUntil, systemClock } from "../../lib/readiness";

/**
 * The CDC connector creates a table's topic, and registers its schema, only with the table's first
 * row. The web app loads its 1,000 users at start-up but writes no transaction until someone uses it,
 * so on a fresh deployment `<prefix>.<SCHEMA>.USER_TRANSACTION` would not exist: the subjects gate
 * would time out and the user_transaction statements could never be created. `WebappFirstTransaction`
 * asks the web app, once, for one ordinary transaction — the request its "Stream Real Transactions"
 * switch makes (a normal amount from an allowed address, which no fraud rule flags).
 */

/** `http://<alb>/fraud-demo/` → `http://<alb>/create-real-transaction/` (the app's API is at the root). */
export function realTransactionUrl(webappUrl: string): string {
  if (!URL.canParse(webappUrl) || !/^https?:$/.test(new URL(webappUrl).protocol)) {
    throw new Error(
      `output 'webappUrl' of aws-resources (${JSON.stringify(webappUrl)}) is not an http(s) URL`,
    );
  }
  return new URL("/create-real-transaction/", webappUrl).toString();
}

/**
 * The web app's answer: 2xx is done; 5xx (the ALB before its target is healthy) and 429 mean "not
 * yet"; any other answer will not change by asking again.
 */
export function classifyTransactionAnswer(status: number): CheckResult {
  if (status >= 200 && status < 300) return { state: "ready" };
  if (status >= 500 || status === 429) return { state: "waiting", status: `HTTP ${status}` };
  return { state: "failed", status: `HTTP ${status}` };
}

interface FirstTransactionInputs {
  readonly url: string;
  readonly timeoutMinutes: number;
}

/** @internal exported for tests */
export const firstTransactionProvider: pulumi.dynamic.ResourceProvider<
  FirstTransactionInputs,
  FirstTransactionInputs
> = {
  async create(inputs) {
    await pollUntil({
      description: `one transaction from the web app (POST ${inputs.url})`,
      timeoutMs: inputs.timeoutMinutes * 60_000,
      initialDelayMs: 5_000,
      maxDelayMs: 30_000,
      clock: systemClock,
      check: async () => {
        try {
          const res = await fetch(inputs.url, { method: "POST", signal: AbortSignal.timeout(20_000) });
          return classifyTransactionAnswer(res.status);
        } catch (err) {
          // The ALB's DNS name resolves a few minutes after the Ingress reports it.
          return { state: "waiting", status: `request failed: ${(err as Error).message}` };
        }
      },
    });
    return { id: inputs.url, outs: inputs };
  },
  // The topic exists from the first transaction on: a new URL or timeout never asks again.
  async diff(_id, olds, news) {
    return { changes: olds.url !== news.url || olds.timeoutMinutes !== news.timeoutMinutes, replaces: [] };
  },
  async update(_id, _olds, news) {
    return { outs: news };
  },
};

export interface WebappFirstTransactionArgs {
  /** The web app's create-real-transaction endpoint (see `realTransactionUrl`). */
  readonly url: pulumi.Input<string>;
  /** How long to keep asking (the ALB may still be starting) before failing the deployment. */
  readonly timeoutMinutes: pulumi.Input<number>;
}

/** Completes once the web app has written one ordinary transaction. */
export class WebappFirstTransaction extends pulumi.dynamic.Resource {
  constructor(name: string, args: WebappFirstTransactionArgs, opts?: pulumi.CustomResourceOptions) {
    super(firstTransactionProvider, name, { ...args }, opts, "webapp", "FirstTransaction");
  }
}
