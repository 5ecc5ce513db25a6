import { CloudWatchLogsClient } from "@aws-sdk/client-cloudwatch-logs";
import type { FetchLike } from "../../lib/opensearch-api";
import { type Clock, systemClock } from "../../lib/readiness";
import { awsResourcesContract, connectorContract, processingContract } from "../../lib/contracts";
import { FRAUD_KINDS } from "../../stacks/processing/fraud-rules/sql";
import { z } from "zod";
import type { LogsSend } from "./alerts";
import { alertsInvoked } from "./alerts";
import type { Decoded } from "./inputs";
import { pick } from "./inputs";
import type { OutputsSource } from "./load";
import { NO_AWS, hasAwsCredentials, neededOutputs } from "./load";
import type { RedshiftSend } from "./redshift";
import { lazyRedshiftSend, redshiftReached, redshiftTarget } from "./redshift";
import { disposableClock } from "./clock";
import { outputsOpenSearchClient, runVerify } from "./run";
import { defaultTimeoutSeconds } from "./timeout";
import type { ThroughRunnerOptions } from "./through-runner";
import { RUNNER_NEEDS, throughRunner } from "./through-runner";
import type { HttpFetch } from "./webapp";
import { createWebappClient } from "./webapp";

/** `fraud-infra verify`: decodes the outputs, wires the real clients, runs the check. */

const VERIFY_NEEDS = {
  "aws-resources": pick(awsResourcesContract, [
    "awsRegion",
    "webappUrl",
    "opensearchEndpoint",
    "opensearchMasterUser",
    "opensearchMasterPassword",
    "redshiftClusterIdentifier",
    "redshiftDatabase",
    "redshiftAdminUser",
  ]).extend(RUNNER_NEEDS),
  connector: pick(connectorContract, ["authUserTable", "userTransactionTable"]),
  // The alert function's name is optional: deployments from before alerts existed lack it.
  processing: pick(processingContract, ["opensearchIndex"]).extend({
    alertFunctionName: z.string().optional(),
  }),
};
export type VerifyInputs = Decoded<typeof VERIFY_NEEDS>;

export interface VerifyCommandOptions extends OutputsSource, ThroughRunnerOptions {
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
  const inputs: VerifyInputs | undefined = await neededOutputs(o, VERIFY_NEEDS, write);
  if (!inputs) return 1;
  const aws = inputs["aws-resources"];
  const delegated = await throughRunner("verify", o, aws, write);
  if (delegated !== undefined) return delegated;
  const clock = o.clock ?? systemClock;
  const timeoutSeconds = o.timeoutSeconds ?? defaultTimeoutSeconds();
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
  const opensearch = outputsOpenSearchClient(aws, {
    ...(o.opensearchFetch ? { fetch: o.opensearchFetch } : {}),
    clock: requestClock,
    maxAttempts: 2,
  });
  let logs: CloudWatchLogsClient | undefined;
  const redshiftSend: RedshiftSend = o.redshiftSend ?? lazyRedshiftSend(aws.awsRegion);
  const logsSend: LogsSend =
    o.logsSend ?? ((c) => (logs ??= new CloudWatchLogsClient({ region: aws.awsRegion })).send(c));
  const startedAt = Date.now();

  const redshift = (accounts: readonly string[]) =>
    awsCredentials
      ? redshiftReached({
          send: redshiftSend,
          target: redshiftTarget(aws),
          tables: {
            users: inputs.connector.authUserTable,
            transactions: inputs.connector.userTransactionTable,
          },
          accounts,
          clock,
          waitMs: followUpWaitMs,
        })
      : Promise.resolve([`skipped Redshift: ${NO_AWS}`]);
  const alerts = (accounts: readonly string[]) =>
    alertsInvoked({
      send: logsSend,
      functionName: inputs.processing.alertFunctionName,
      awsCredentials,
      accounts,
      since: startedAt,
      clock,
      waitMs: followUpWaitMs,
    });

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
