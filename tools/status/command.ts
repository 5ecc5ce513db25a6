import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { SSMClient } from "@aws-sdk/client-ssm";
import { ORACLE_CAPACITY_METRIC_KEYS, ORACLE_CAPACITY_METRICS } from "../../lib/oracle-capacity";
import { awsResourcesContract, connectorContract, processingContract } from "../../lib/contracts";
import type { FetchLike } from "../../lib/opensearch-api";
import { type Clock, systemClock } from "../../lib/readiness";
import type { Decoded } from "../verify/inputs";
import { pick } from "../verify/inputs";
import type { OutputsSource } from "../verify/load";
import { NO_AWS, hasAwsCredentials, neededOutputs } from "../verify/load";
import type { RedshiftSend } from "../verify/redshift";
import { lazyRedshiftSend, redshiftTarget } from "../verify/redshift";
import { disposableClock } from "../verify/clock";
import { openSearchProblem, outputsOpenSearchClient } from "../verify/run";
import type { HttpFetch } from "../verify/webapp";
import type { CloudWatchSend, SsmSend } from "./adapters";
import {
  CONFLUENT_API,
  latestCapacity,
  connectorStatusUrl,
  getJson,
  readParameter,
  redshiftCounts,
  statementUrl,
} from "./adapters";
import type { StatusRow } from "./checks";
import * as checks from "./checks";
import type { ThroughRunnerOptions } from "../verify/through-runner";
import { RUNNER_NEEDS, throughRunner } from "../verify/through-runner";

/** `fraud-infra status`: every health check at once, one table, exit 1 when anything is unhealthy. */

const STATUS_NEEDS = {
  "aws-resources": pick(awsResourcesContract, [
    "awsRegion",
    "webappUrl",
    "oracleReadyParameter",
    "oracleInstanceId",
    "opensearchEndpoint",
    "opensearchMasterUser",
    "opensearchMasterPassword",
    "redshiftClusterIdentifier",
    "redshiftDatabase",
    "redshiftAdminUser",
  ]).extend(RUNNER_NEEDS),
  connector: pick(connectorContract, [
    "organizationId",
    "environmentId",
    "kafkaClusterId",
    "flinkRestEndpoint",
    "flinkApiKey",
    "flinkApiSecret",
    "authUserTable",
    "userTransactionTable",
  ]),
  processing: pick(processingContract, ["opensearchIndex", "fraudStatementNames", "sinkConnectorNames"]),
};
type StatusInputs = Decoded<typeof STATUS_NEEDS>;

export interface StatusCommandOptions extends OutputsSource, ThroughRunnerOptions {
  readonly write?: (line: string) => void;
  // Injected in tests; the defaults are the real network, environment and AWS SDK clients.
  readonly fetch?: HttpFetch;
  readonly opensearchFetch?: FetchLike;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly confluentApi?: string;
  readonly awsCredentials?: boolean;
  readonly ssmSend?: SsmSend;
  readonly cloudwatchSend?: CloudWatchSend;
  /** Now, for the capacity figures' time window. */
  readonly now?: () => Date;
  readonly redshiftSend?: RedshiftSend;
  readonly clock?: Clock;
}

export async function statusCommand(o: StatusCommandOptions): Promise<number> {
  const write = o.write ?? ((line: string) => process.stdout.write(line + "\n"));
  const inputs: StatusInputs | undefined = await neededOutputs(o, STATUS_NEEDS, write);
  if (!inputs) return 1;
  const delegated = await throughRunner("status", o, inputs["aws-resources"], write);
  if (delegated !== undefined) return delegated;
  const requestClock = disposableClock();
  const rows = (await Promise.all(statusChecks(inputs, o, requestClock))).flat();
  requestClock.dispose();
  write(checks.statusTable(rows));
  const code = checks.statusExit(rows);
  write(
    code === 0 ? "✓ nothing unhealthy." : "✗ unhealthy: see the ✗ rows; docs/verify.md says what each means.",
  );
  return code;
}

function statusChecks(
  inputs: StatusInputs,
  o: StatusCommandOptions,
  requestClock: Clock,
): Promise<StatusRow[]>[] {
  const aws = inputs["aws-resources"];
  const connector = inputs.connector;
  const proc = inputs.processing;
  const http = o.fetch ?? fetch;
  const env = o.env ?? process.env;
  const awsCredentials = o.awsCredentials ?? hasAwsCredentials();
  const clock = o.clock ?? systemClock;
  const cloudKey = env.CONFLUENT_CLOUD_API_KEY && env.CONFLUENT_CLOUD_API_SECRET;

  const oracle = async () => {
    if (!awsCredentials) return [checks.skipped("Oracle", aws.oracleReadyParameter, NO_AWS)];
    const send = o.ssmSend ?? ((c) => new SSMClient({ region: aws.awsRegion }).send(c) as Promise<unknown>);
    const r = await readParameter(send, aws.oracleReadyParameter);
    return [checks.oracleReadyRow(aws.oracleReadyParameter, aws.oracleInstanceId, r.value, r.error)];
  };
  const capacity = async () => {
    const metrics = ORACLE_CAPACITY_METRIC_KEYS;
    if (!awsCredentials)
      return metrics.map((m) => checks.skipped("Oracle capacity", ORACLE_CAPACITY_METRICS[m].label, NO_AWS));
    const send =
      o.cloudwatchSend ??
      ((c) => new CloudWatchClient({ region: aws.awsRegion }).send(c) as Promise<unknown>);
    try {
      const latest = await latestCapacity(send, aws.oracleInstanceId, (o.now ?? (() => new Date()))());
      return metrics.map((m) => checks.capacityRow(m, latest[m]));
    } catch (err) {
      return metrics.map((m) => checks.capacityRow(m, undefined, (err as Error).message));
    }
  };
  const connectors = async () =>
    Promise.all(
      proc.sinkConnectorNames.map(async (name) => {
        if (!cloudKey) return checks.skipped("Connector", name, "CONFLUENT_CLOUD_API_KEY/SECRET are not set");
        const url = connectorStatusUrl(
          o.confluentApi ?? CONFLUENT_API,
          connector.environmentId,
          connector.kafkaClusterId,
          name,
        );
        const auth = { user: env.CONFLUENT_CLOUD_API_KEY!, password: env.CONFLUENT_CLOUD_API_SECRET! };
        return checks.connectorRow(name, await getJson(http, url, auth));
      }),
    );
  const statements = async () =>
    Promise.all(
      proc.fraudStatementNames.map(async (name) => {
        const url = statementUrl(
          connector.flinkRestEndpoint,
          connector.organizationId,
          connector.environmentId,
          name,
        );
        const auth = { user: connector.flinkApiKey, password: connector.flinkApiSecret };
        return checks.statementRow(name, await getJson(http, url, auth));
      }),
    );
  const webapp = async () => {
    if (!URL.canParse(aws.webappUrl))
      return [checks.webappRow(aws.webappUrl, { status: 0, error: "not a URL" })];
    const url = new URL("/health/", aws.webappUrl).toString();
    return [checks.webappRow(url, await getJson(http, url))];
  };
  const opensearch = async () => {
    const client = outputsOpenSearchClient(aws, {
      ...(o.opensearchFetch ? { fetch: o.opensearchFetch } : {}),
      clock: requestClock,
      maxAttempts: 1,
    });
    try {
      return [checks.opensearchRow(proc.opensearchIndex, await client.count(proc.opensearchIndex))];
    } catch (err) {
      const why = openSearchProblem(
        err,
        aws.opensearchMasterUser,
        aws.opensearchEndpoint,
        proc.opensearchIndex,
      );
      return [checks.opensearchRow(proc.opensearchIndex, undefined, why)];
    }
  };
  const redshift = async () => {
    const names = [connector.authUserTable, connector.userTransactionTable];
    if (!awsCredentials) return names.map((n) => checks.skipped("Redshift", n, NO_AWS));
    const send: RedshiftSend = o.redshiftSend ?? lazyRedshiftSend(aws.awsRegion);
    try {
      const n = await redshiftCounts(
        send,
        redshiftTarget(aws),
        { users: names[0]!, transactions: names[1]! },
        clock,
      );
      return [checks.redshiftRow(names[0]!, n.users), checks.redshiftRow(names[1]!, n.transactions)];
    } catch (err) {
      return [checks.redshiftRow(names.join(", "), undefined, (err as Error).message)];
    }
  };
  return [oracle(), capacity(), connectors(), statements(), webapp(), opensearch(), redshift()];
}
