import { classifyReadyParameter, classifySsmError } from "../../lib/readiness-gates";
import type { OracleCapacityMetric } from "../../lib/oracle-capacity";
import { CAPACITY_ALARM_PERCENT, ORACLE_CAPACITY_METRICS } from "../../lib/oracle-capacity";
import { textTable } from "../plan/format";

/**
 * The decisions behind `fraud-infra status`, pure so each is tested: what an answer from SSM,
 * the Confluent Cloud Connect API, the Flink REST API, the web app, OpenSearch or Redshift means
 * for the deployment's health. The calls themselves live in `adapters.ts`.
 */

/** `skipped`: the check could not run here (no credentials); it does not fail the status. */
export type Health = "ok" | "unhealthy" | "skipped";

export interface StatusRow {
  readonly component: string;
  readonly name: string;
  readonly state: string;
  readonly health: Health;
  readonly detail?: string;
}

/** An HTTP answer as the adapters hand it over (`status` 0: no answer, with `error`). */
export interface Answer {
  readonly status: number;
  readonly body?: unknown;
  readonly error?: string;
}

const row = (component: string, name: string, state: string, health: Health, detail?: string): StatusRow => ({
  component,
  name,
  state,
  health,
  ...(detail ? { detail } : {}),
});

export const skipped = (component: string, name: string, why: string) =>
  row(component, name, "not checked", "skipped", why);

function clip(text: string, max = 160): string {
  const one = text.replace(/\s+/g, " ").trim();
  return one.length > max ? `${one.slice(0, max)}…` : one;
}

/** An HTTP answer that is not a 200: unreachable, refused credentials, missing, or other. */
function httpProblem(component: string, name: string, a: Answer, keyHint: string): StatusRow {
  if (a.status === 0) return row(component, name, "unreachable", "unhealthy", a.error);
  if (a.status === 401 || a.status === 403)
    return row(component, name, `HTTP ${a.status}`, "unhealthy", keyHint);
  if (a.status === 404)
    return row(component, name, "not found", "unhealthy", "it does not exist (was it deleted?)");
  return row(component, name, `HTTP ${a.status}`, "unhealthy", clip(JSON.stringify(a.body ?? a.error ?? "")));
}

/** The Oracle host's ready parameter: `ready:<instance-id>` of the current host is healthy. */
export function oracleReadyRow(
  parameter: string,
  instanceId: string,
  value: string | undefined,
  err?: unknown,
): StatusRow {
  const c = err !== undefined ? classifySsmError(err) : classifyReadyParameter(value, instanceId);
  if (c.state === "ready") return row("Oracle", parameter, value ?? "ready", "ok");
  return row("Oracle", parameter, value ?? "unset", "unhealthy", c.status);
}

/**
 * A managed connector's status (`connector.state`): RUNNING is healthy; PROVISIONING, PAUSED,
 * DEGRADED and FAILED are not (https://docs.confluent.io/cloud/current/connectors/connector-statuses.html).
 */
export function connectorRow(name: string, a: Answer): StatusRow {
  if (a.status !== 200)
    return httpProblem(
      "Connector",
      name,
      a,
      "the Cloud API key (CONFLUENT_CLOUD_API_KEY/SECRET) was refused",
    );
  const body = a.body as {
    connector?: { state?: string; trace?: string };
    tasks?: { state?: string; trace?: string }[];
  };
  const state = body?.connector?.state ?? "unknown";
  if (state === "RUNNING") return row("Connector", name, state, "ok");
  const trace = [body?.connector?.trace, ...(body?.tasks ?? []).map((t) => t.trace)].find(Boolean);
  return row("Connector", name, state, "unhealthy", trace ? clip(trace) : undefined);
}

/**
 * A Flink statement's `status.phase`: a long-running job is healthy RUNNING, a DDL statement
 * COMPLETED; PENDING, FAILING, FAILED, STOPPED and DELETING are not.
 */
export function statementRow(name: string, a: Answer): StatusRow {
  if (a.status !== 200)
    return httpProblem("Flink statement", name, a, "the connector stack's Flink API key was refused");
  const status = (a.body as { status?: { phase?: string; detail?: string } })?.status;
  const phase = status?.phase ?? "unknown";
  if (phase === "RUNNING" || phase === "COMPLETED") return row("Flink statement", name, phase, "ok");
  return row("Flink statement", name, phase, "unhealthy", status?.detail ? clip(status.detail) : undefined);
}

export function webappRow(url: string, a: Answer): StatusRow {
  if (a.status === 200) return row("Web app", url, "healthy", "ok");
  if (a.status === 0) return row("Web app", url, "unreachable", "unhealthy", a.error);
  return row(
    "Web app",
    url,
    `HTTP ${a.status}`,
    "unhealthy",
    a.status === 500 ? "it cannot query Oracle" : undefined,
  );
}

/** The flagged-accounts index: any count is healthy; an index not created yet means nothing was flagged. */
export function opensearchRow(index: string, count: number | undefined, problem?: string): StatusRow {
  if (problem) return row("OpenSearch", index, "error", "unhealthy", problem);
  if (count === undefined)
    return row("OpenSearch", index, "no index yet", "ok", "no account has been flagged yet");
  return row("OpenSearch", index, `${count} documents`, "ok");
}

export function redshiftRow(table: string, count: number | undefined, problem?: string): StatusRow {
  if (problem) return row("Redshift", table, "error", "unhealthy", problem);
  return row("Redshift", table, `${count ?? 0} rows`, "ok");
}

/**
 * One capacity figure of the Oracle host, with the alarm's threshold: above it is unhealthy, as is a
 * host that stopped publishing (its housekeeping timer, which also deletes the archived logs, is not
 * running).
 */
export function capacityRow(
  metric: OracleCapacityMetric,
  percent: number | undefined,
  problem?: string,
): StatusRow {
  const name = ORACLE_CAPACITY_METRICS[metric].label;
  const limit = `alarm above ${CAPACITY_ALARM_PERCENT}%`;
  if (problem) return row("Oracle capacity", name, "error", "unhealthy", problem);
  if (percent === undefined)
    return row(
      "Oracle capacity",
      name,
      "no data",
      "unhealthy",
      "nothing published lately: check the housekeeping timer (journalctl -u oracle-housekeeping on the host)",
    );
  const state = `${percent}% used (${limit})`;
  if (percent > CAPACITY_ALARM_PERCENT)
    return row("Oracle capacity", name, state, "unhealthy", "nearly full: see docs/operations.md");
  return row("Oracle capacity", name, state, "ok");
}

export function statusTable(rows: readonly StatusRow[]): string {
  const mark: Record<Health, string> = { ok: "✓", unhealthy: "✗", skipped: "-" };
  return textTable(
    ["", "Component", "Name", "State", "Detail"],
    rows.map((r) => [mark[r.health], r.component, r.name, r.state, r.detail ?? ""]),
  );
}

/** Exit 1 when anything is unhealthy; skipped checks do not count. */
export function statusExit(rows: readonly StatusRow[]): 0 | 1 {
  return rows.some((r) => r.health === "unhealthy") ? 1 : 0;
}
