import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import { RedshiftDataClient } from "@aws-sdk/client-redshift-data";
import type { FetchLike } from "../../lib/opensearch-api";
import { createOpenSearchClient } from "../../lib/opensearch-api";
import { type Clock, pollUntil, systemClock } from "../../lib/readiness";
import { awsResourcesContract, connectorContract, processingContract } from "../../lib/contracts";
import { FRAUD_KINDS } from "../../stacks/processing/fraud-rules";
import { z } from "zod";
import type { LogsSend } from "./alerts";
import { alertLogged, alertsSkipReason } from "./alerts";
import type { Decoded } from "./inputs";
import { OutputsError, decodeOutputs, pick } from "./inputs";
import type { OutputsSource } from "./load";
import { NO_AWS, hasAwsCredentials, loadOutputs } from "./load";
import type { RedshiftSend } from "./redshift";
import { accountParameters, countsByAccount, runQuery, transactionsPerAccountSql } from "./redshift";
import { disposableClock } from "./clock";
import { runVerify } from "./run";
import { defaultTimeoutSeconds, stackWindowMinutes } from "./timeout";
import type { HttpFetch } from "./webapp";
import { createWebappClient } from "./webapp";

/** `fraud-infra verify`: decodes the outputs, wires the real clients, runs the check. */

export const VERIFY_NEEDS = {
  "aws-resources": pick(awsResourcesContract, [
    "awsRegion",
    "webappUrl",
    "opensearchEndpoint",
    "opensearchMasterUser",
    "opensearchMasterPassword",
    "redshiftClusterIdentifier",
    "redshiftDatabase",
    "redshiftAdminUser",
  ]),
  connector: pick(connectorContract, ["authUserTable", "userTransactionTable"]),
  // The alert function's name is optional: deployments from before alerts existed lack it.
  processing: pick(processingContract, ["opensearchIndex"]).extend({
    alertFunctionName: z.string().optional(),
  }),
};
export type VerifyInputs = Decoded<typeof VERIFY_NEEDS>;

export interface VerifyCommandOptions extends OutputsSource {
  readonly timeoutSeconds?: number;
  readonly write?: (line: string) => void;
  // Injected in tests; the defaults are the real network, clock and AWS SDK clients.
  readonly fetch?: HttpFetch;
  readonly opensearchFetch?: FetchLike;
  readonly clock?: Clock;
  readonly awsCredentials?: boolean;
  readonly redshiftSend?: RedshiftSend;
  readonly logsSend?: LogsSend;
  readonly pollIntervalMs?: number;
  readonly trafficIntervalMs?: number;
  /** How long Redshift and the alert logs get after the flags. @default 120000 */
  readonly followUpWaitMs?: number;
}

export async function verifyCommand(o: VerifyCommandOptions): Promise<number> {
  const write = o.write ?? ((line: string) => process.stdout.write(line + "\n"));
  let inputs: VerifyInputs;
  try {
    inputs = decodeOutputs(await loadOutputs(o), VERIFY_NEEDS);
  } catch (err) {
    if (!(err instanceof OutputsError)) throw err;
    write(`✗ ${err.message}`);
    return 1;
  }
  const aws = inputs["aws-resources"];
  const clock = o.clock ?? systemClock;
  const timeoutSeconds = o.timeoutSeconds ?? defaultTimeoutSeconds(stackWindowMinutes(o.stack));
  const awsCredentials = o.awsCredentials ?? hasAwsCredentials();
  const followUpWaitMs = o.followUpWaitMs ?? 120_000;
  let webapp;
  try {
    webapp = createWebappClient({ webappUrl: aws.webappUrl, ...(o.fetch ? { fetch: o.fetch } : {}) });
  } catch (err) {
    write(`✗ ${(err as Error).message}`);
    return 1;
  }
  const requestClock = disposableClock();
  const opensearch = createOpenSearchClient({
    endpoint: aws.opensearchEndpoint,
    username: aws.opensearchMasterUser,
    password: aws.opensearchMasterPassword,
    fetch: o.opensearchFetch ?? (fetch as unknown as FetchLike),
    // The client's own timeouts need real time, whatever clock paces the run.
    clock: requestClock,
    timeoutMs: 15_000,
    maxAttempts: 2,
  });
  const redshiftSend =
    o.redshiftSend ??
    ((c) => new RedshiftDataClient({ region: aws.awsRegion }).send(c as never) as Promise<unknown>);
  const logsSend =
    o.logsSend ?? ((c) => new CloudWatchLogsClient({ region: aws.awsRegion }).send(c) as Promise<unknown>);
  const startedAt = Date.now();

  const redshift = async (accounts: readonly string[]): Promise<string[]> => {
    if (!awsCredentials) return [`skipped Redshift: ${NO_AWS}`];
    const tables = {
      users: inputs.connector.authUserTable,
      transactions: inputs.connector.userTransactionTable,
    };
    const target = {
      clusterIdentifier: aws.redshiftClusterIdentifier,
      database: aws.redshiftDatabase,
      dbUser: aws.redshiftAdminUser,
    };
    let counts = new Map<string, number>();
    const missing = () => accounts.filter((a) => !((counts.get(a) ?? 0) > 0));
    try {
      await pollUntil({
        description: `the verify accounts' transactions in Redshift table ${tables.transactions}`,
        timeoutMs: followUpWaitMs,
        initialDelayMs: 15_000,
        maxDelayMs: 15_000,
        clock,
        check: async () => {
          const sql = transactionsPerAccountSql(tables, accounts.length);
          counts = countsByAccount(
            await runQuery(redshiftSend, target, sql, accountParameters(accounts), clock),
          );
          const m = missing();
          return m.length === 0
            ? { state: "ready" }
            : { state: "waiting", status: `no rows for ${m.join(", ")}` };
        },
      });
      const per = accounts.map((a) => `${a}: ${counts.get(a)}`).join(", ");
      return [`✓ Redshift: the transactions reached public.${tables.transactions} (${per})`];
    } catch (err) {
      const m = missing();
      return m.length > 0 && (err as Error).name === "ReadinessTimeoutError"
        ? [`✗ Redshift: no transactions of ${m.join(", ")} in public.${tables.transactions} yet`]
        : [`✗ Redshift check failed: ${(err as Error).message}`];
    }
  };

  const alerts = async (accounts: readonly string[]): Promise<string[]> => {
    const fn = inputs.processing.alertFunctionName;
    const skip = alertsSkipReason(fn, awsCredentials);
    if (skip || !fn) return [`alerts: not checked — ${skip}`];
    const seen = new Set<string>();
    try {
      await pollUntil({
        description: `alert function ${fn} invocations`,
        timeoutMs: followUpWaitMs,
        initialDelayMs: 10_000,
        maxDelayMs: 10_000,
        clock,
        check: async () => {
          for (const a of accounts)
            if (!seen.has(a) && (await alertLogged(logsSend, fn, a, startedAt))) seen.add(a);
          return seen.size === accounts.length
            ? { state: "ready" }
            : { state: "waiting", status: `${seen.size} seen` };
        },
      });
    } catch (err) {
      if ((err as Error).name !== "ReadinessTimeoutError") {
        return [`alerts: not checked — reading ${fn}'s logs failed: ${(err as Error).message}`];
      }
    }
    return [
      `Alert function ${fn} invoked for: ` +
        accounts.map((a) => `${a} ${seen.has(a) ? "yes" : "no"}`).join(", "),
    ];
  };

  try {
    return await runVerify({
      kinds: FRAUD_KINDS,
      webapp,
      opensearch,
      opensearchEndpoint: aws.opensearchEndpoint,
      opensearchUser: aws.opensearchMasterUser,
      index: inputs.processing.opensearchIndex,
      clock,
      write,
      timeoutSeconds,
      ...(o.pollIntervalMs !== undefined ? { pollIntervalMs: o.pollIntervalMs } : {}),
      ...(o.trafficIntervalMs !== undefined ? { trafficIntervalMs: o.trafficIntervalMs } : {}),
      followUps: [redshift, alerts],
    });
  } finally {
    requestClock.dispose();
  }
}
