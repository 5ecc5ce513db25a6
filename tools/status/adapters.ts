import { GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import { GetParameterCommand } from "@aws-sdk/client-ssm";
import type { OracleCapacityMetric } from "../../lib/oracle-capacity";
import {
  CAPACITY_PUBLISH_SECONDS,
  ORACLE_CAPACITY_METRIC_KEYS,
  ORACLE_CAPACITY_METRICS,
  ORACLE_METRICS_NAMESPACE,
} from "../../lib/oracle-capacity";
import type { Clock } from "../../lib/readiness";
import type { RedshiftSend, RedshiftTarget, SinkTables } from "../verify/redshift";
import { cell, quoteIdent, runQuery } from "../verify/redshift";
import type { HttpFetch } from "../verify/webapp";
import type { Answer } from "./checks";

/**
 * The thin calls behind `fraud-infra status`. Only a real run confirms them against Confluent
 * Cloud and AWS; the tests drive them with fakes and test the decisions in `checks.ts`.
 * API references: Connect v1 status
 * (https://docs.confluent.io/cloud/current/api.html#tag/Status-(connectv1)) and the Flink SQL
 * statements API (https://docs.confluent.io/cloud/current/flink/operate-and-deploy/flink-rest-api.html).
 */

export const CONFLUENT_API = "https://api.confluent.cloud";

export function connectorStatusUrl(base: string, env: string, cluster: string, name: string): string {
  const seg = encodeURIComponent;
  return `${base}/connect/v1/environments/${seg(env)}/clusters/${seg(cluster)}/connectors/${seg(name)}/status`;
}

export function statementUrl(flinkRestEndpoint: string, org: string, env: string, name: string): string {
  const seg = encodeURIComponent;
  return (
    `${flinkRestEndpoint.replace(/\/+$/, "")}/sql/v1/organizations/${seg(org)}` +
    `/environments/${seg(env)}/statements/${seg(name)}`
  );
}

/** GET with optional basic auth; never throws (no answer is status 0 with the reason). */
export async function getJson(
  http: HttpFetch,
  url: string,
  auth?: { user: string; password: string },
  timeoutMs = 15_000,
): Promise<Answer> {
  const headers: Record<string, string> = { accept: "application/json" };
  if (auth)
    headers.authorization = `Basic ${Buffer.from(`${auth.user}:${auth.password}`).toString("base64")}`;
  try {
    const res = await http(url, { headers, signal: AbortSignal.timeout(timeoutMs) });
    const text = await res.text();
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // Not JSON: keep the text for the message.
    }
    return { status: res.status, body };
  } catch (err) {
    const why = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
    return { status: 0, error: `no answer from ${new URL(url).host}: ${why}` };
  }
}

export type SsmSend = (command: GetParameterCommand) => Promise<unknown>;

/** The parameter's value (undefined when unset), or the SDK error to classify. */
export async function readParameter(
  send: SsmSend,
  name: string,
): Promise<{ value?: string; error?: unknown }> {
  try {
    const out = (await send(new GetParameterCommand({ Name: name }))) as { Parameter?: { Value?: string } };
    return out.Parameter?.Value !== undefined ? { value: out.Parameter.Value } : {};
  } catch (error) {
    return { error };
  }
}

/** Rows in the two tables the Redshift sink writes, in one statement. */
export async function redshiftCounts(
  send: RedshiftSend,
  target: RedshiftTarget,
  tables: SinkTables,
  clock: Clock,
): Promise<{ users: number; transactions: number }> {
  const sql =
    `SELECT (SELECT COUNT(*) FROM public.${quoteIdent(tables.users)}), ` +
    `(SELECT COUNT(*) FROM public.${quoteIdent(tables.transactions)})`;
  const [first] = await runQuery(send, target, sql, {}, clock);
  return { users: Number(cell(first?.[0])), transactions: Number(cell(first?.[1])) };
}

export type CloudWatchSend = (command: GetMetricDataCommand) => Promise<unknown>;

/** How far back status looks for the host's figures: three publishing periods, so one late run is no gap. */
export const CAPACITY_LOOKBACK_SECONDS = 3 * CAPACITY_PUBLISH_SECONDS;

/**
 * The latest published value of each capacity metric of the Oracle host (undefined: none within the
 * look-back), in one GetMetricData call
 * (https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_GetMetricData.html).
 */
export async function latestCapacity(
  send: CloudWatchSend,
  instanceId: string,
  now: Date,
): Promise<Record<OracleCapacityMetric, number | undefined>> {
  const metrics = ORACLE_CAPACITY_METRIC_KEYS;
  const out = (await send(
    new GetMetricDataCommand({
      StartTime: new Date(now.getTime() - CAPACITY_LOOKBACK_SECONDS * 1000),
      EndTime: now,
      ScanBy: "TimestampDescending",
      MetricDataQueries: metrics.map((m) => ({
        Id: m,
        MetricStat: {
          Metric: {
            Namespace: ORACLE_METRICS_NAMESPACE,
            MetricName: ORACLE_CAPACITY_METRICS[m].name,
            Dimensions: [{ Name: "InstanceId", Value: instanceId }],
          },
          Period: CAPACITY_PUBLISH_SECONDS,
          Stat: "Maximum",
        },
      })),
    }),
  )) as { MetricDataResults?: { Id?: string; Values?: number[] }[] };
  const latest = (m: OracleCapacityMetric) => out.MetricDataResults?.find((r) => r.Id === m)?.Values?.[0];
  return Object.fromEntries(metrics.map((m) => [m, latest(m)])) as Record<
    OracleCapacityMetric,
    number | undefined
  >;
}
