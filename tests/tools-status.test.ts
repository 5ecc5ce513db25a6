import assert from "node:assert/strict";
import { test } from "node:test";
import type { GetMetricDataCommand } from "@aws-sdk/client-cloudwatch";
import type { GetParameterCommand } from "@aws-sdk/client-ssm";
import { CAPACITY_LOOKBACK_SECONDS } from "../tools/status/adapters";
import type { FetchLike } from "../lib/opensearch-api";
import type { Answer } from "../tools/status/checks";
import {
  capacityRow,
  connectorRow,
  oracleReadyRow,
  statementRow,
  statusExit,
  skipped,
} from "../tools/status/checks";
import type { StatusCommandOptions } from "../tools/status/command";
import { statusCommand } from "../tools/status/command";
import type { RedshiftCommand } from "../tools/verify/redshift";
import { fakeClock } from "./helpers/fake-clock";
import { workspaceOf } from "./helpers/loopback";

/**
 * `fraud-infra status` against fakes: Confluent's Connect and Flink APIs and the web app through
 * an injected fetch, OpenSearch through the client's injected fetch, SSM and the Redshift Data
 * API through injected clients. The decisions are tested directly below.
 */

const OUTPUTS = {
  "aws-resources": {
    awsRegion: "eu-west-1",
    webappUrl: "http://webapp.test/fraud-demo/",
    oracleReadyParameter: "/fd/dev/oracle/ready",
    oracleInstanceId: "i-0abc",
    opensearchEndpoint: "search.test",
    opensearchMasterUser: "admin",
    opensearchMasterPassword: "pw",
    redshiftClusterIdentifier: "fd-dev",
    redshiftDatabase: "fraud",
    redshiftAdminUser: "admin",
  },
  connector: {
    organizationId: "org-1",
    environmentId: "env-1",
    kafkaClusterId: "lkc-1",
    flinkRestEndpoint: "https://flink.test",
    flinkApiKey: "FLINKKEY",
    flinkApiSecret: "flink-secret",
    authUserTable: "auth_user",
    userTransactionTable: "user_transaction",
  },
  processing: {
    opensearchIndex: "flagged_user",
    fraudStatementNames: ["fd-flagged-user-table-1", "fd-fraud-rules-1"],
    sinkConnectorNames: ["fd-opensearch-sink", "fd-redshift-sink"],
  },
};

const json = (status: number, body: unknown) => new Response(JSON.stringify(body), { status });

const NOW = new Date("2026-12-02T10:00:00Z");
/** CloudWatch's answer with the host's latest figures (newest first, as ScanBy asks). */
const capacityAnswer =
  (dataVolume: number[], recoveryArea: number[], seen: GetMetricDataCommand[] = []) =>
  async (c: GetMetricDataCommand) => {
    seen.push(c);
    return {
      MetricDataResults: [
        { Id: "dataVolume", Values: dataVolume },
        { Id: "recoveryArea", Values: recoveryArea },
      ],
    };
  };

async function status(connectorStates: Record<string, string>, extra: Partial<StatusCommandOptions> = {}) {
  const seen: string[] = [];
  const fetchFake = (async (input: string | URL | Request, init?: RequestInit) => {
    const url = String(input);
    const auth = (init?.headers as Record<string, string> | undefined)?.authorization ?? "";
    seen.push(`${url} ${Buffer.from(auth.replace("Basic ", ""), "base64").toString()}`);
    const connector = /connectors\/([^/]+)\/status$/.exec(url)?.[1];
    if (connector) {
      const state = connectorStates[connector] ?? "RUNNING";
      const trace = state === "FAILED" ? "Connection to Redshift refused" : undefined;
      return json(200, { name: connector, connector: { state, trace }, tasks: [] });
    }
    if (url.includes("/statements/")) {
      const phase = url.endsWith("flagged-user-table-1") ? "COMPLETED" : "RUNNING";
      return json(200, { name: "x", status: { phase } });
    }
    if (url === "http://webapp.test/health/") return json(200, { status: "ok" });
    return json(404, {});
  }) as typeof fetch;
  const opensearchFetch: FetchLike = async (url) => ({
    status: url === "https://search.test/flagged_user/_count" ? 200 : 404,
    text: async () => JSON.stringify({ count: 4 }),
  });
  const ssmSend = async (c: GetParameterCommand) => {
    assert.equal(c.input.Name, "/fd/dev/oracle/ready");
    return { Parameter: { Value: "ready:i-0abc" } };
  };
  const redshiftSend = async (c: RedshiftCommand): Promise<unknown> => {
    if (c.constructor.name === "ExecuteStatementCommand") return { Id: "s" };
    if (c.constructor.name === "DescribeStatementCommand") return { Status: "FINISHED" };
    return { Records: [[{ longValue: 1000 }, { longValue: 57 }]] };
  };
  const lines: string[] = [];
  const code = await statusCommand({
    stack: "dev",
    workspace: workspaceOf(OUTPUTS),
    pulumiVersion: async () => "v3.200.0",
    write: (l) => lines.push(l),
    fetch: fetchFake,
    opensearchFetch,
    env: { CONFLUENT_CLOUD_API_KEY: "CLOUDKEY", CONFLUENT_CLOUD_API_SECRET: "cloud-secret" },
    awsCredentials: true,
    ssmSend,
    redshiftSend,
    cloudwatchSend: capacityAnswer([41, 40], [12]),
    now: () => NOW,
    clock: fakeClock(),
    confluentApi: "https://api.test",
    ...extra,
  });
  return { code, text: lines.join("\n"), seen };
}

test("status: everything healthy is exit 0, one row per check, each API asked with its own key", async () => {
  const r = await status({});
  assert.equal(r.code, 0, r.text);
  assert.match(r.text, /✓ +Oracle +\/fd\/dev\/oracle\/ready +ready:i-0abc/);
  assert.match(r.text, /✓ +Connector +fd-redshift-sink +RUNNING/);
  assert.match(r.text, /✓ +Flink statement +fd-flagged-user-table-1 +COMPLETED/);
  assert.match(r.text, /✓ +Flink statement +fd-fraud-rules-1 +RUNNING/);
  assert.match(r.text, /✓ +Web app +http:\/\/webapp\.test\/health\/ +healthy/);
  assert.match(r.text, /✓ +OpenSearch +flagged_user +4 documents/);
  assert.match(r.text, /✓ +Redshift +auth_user +1000 rows/);
  assert.match(r.text, /✓ +Redshift +user_transaction +57 rows/);
  assert.match(r.text, /✓ +Oracle capacity +data volume +41% used \(alarm above 80%\)/);
  assert.match(r.text, /✓ +Oracle capacity +fast recovery area +12% used \(alarm above 80%\)/);
  assert.ok(
    r.seen.includes(
      "https://api.test/connect/v1/environments/env-1/clusters/lkc-1/connectors/fd-opensearch-sink/status CLOUDKEY:cloud-secret",
    ),
  );
  assert.ok(
    r.seen.includes(
      "https://flink.test/sql/v1/organizations/org-1/environments/env-1/statements/fd-fraud-rules-1 FLINKKEY:flink-secret",
    ),
  );
  assert.doesNotMatch(r.text, /cloud-secret|flink-secret/);
});

test("status: one connector FAILED is exit 1, with its state and trace", async () => {
  const r = await status({ "fd-redshift-sink": "FAILED" });
  assert.equal(r.code, 1);
  assert.match(r.text, /✗ +Connector +fd-redshift-sink +FAILED +Connection to Redshift refused/);
  assert.match(r.text, /✓ +Connector +fd-opensearch-sink +RUNNING/);
});

test("status without AWS or Cloud credentials: those checks are skipped, not failed", async () => {
  const r = await status({}, { awsCredentials: false, env: {} });
  assert.equal(r.code, 0, r.text);
  assert.match(r.text, /- +Oracle +\/fd\/dev\/oracle\/ready +not checked +no AWS credentials/);
  assert.match(
    r.text,
    /- +Connector +fd-opensearch-sink +not checked +CONFLUENT_CLOUD_API_KEY\/SECRET are not set/,
  );
  assert.match(r.text, /- +Redshift +user_transaction +not checked/);
  assert.match(r.text, /- +Oracle capacity +fast recovery area +not checked +no AWS credentials/);
});

test("status: a nearly full recovery area is unhealthy, with both figures and the threshold", async () => {
  const seen: GetMetricDataCommand[] = [];
  const r = await status({}, { cloudwatchSend: capacityAnswer([55], [86, 79], seen) });
  assert.equal(r.code, 1, r.text);
  assert.match(r.text, /✗ +Oracle capacity +fast recovery area +86% used \(alarm above 80%\) +nearly full/);
  assert.match(r.text, /✓ +Oracle capacity +data volume +55% used \(alarm above 80%\)/);
  // The host's own metrics, newest first, over the look-back window ending now.
  const input = seen[0]!.input;
  assert.equal(input.EndTime?.getTime(), NOW.getTime());
  assert.equal(NOW.getTime() - input.StartTime!.getTime(), CAPACITY_LOOKBACK_SECONDS * 1000);
  assert.equal(input.ScanBy, "TimestampDescending");
  for (const q of input.MetricDataQueries ?? []) {
    assert.equal(q.MetricStat?.Metric?.Namespace, "FraudInfra/Oracle");
    assert.deepEqual(q.MetricStat?.Metric?.Dimensions, [{ Name: "InstanceId", Value: "i-0abc" }]);
  }
});

test("status: a host that stopped publishing, or a refused CloudWatch call, is unhealthy", async () => {
  const silent = await status({}, { cloudwatchSend: capacityAnswer([], []) });
  assert.equal(silent.code, 1);
  assert.match(silent.text, /✗ +Oracle capacity +data volume +no data +nothing published lately/);
  const refused = await status(
    {},
    {
      cloudwatchSend: async () => {
        throw new Error("User is not authorized to perform: cloudwatch:GetMetricData");
      },
    },
  );
  assert.equal(refused.code, 1);
  assert.match(refused.text, /✗ +Oracle capacity +fast recovery area +error +User is not authorized/);
});

test("decisions: capacity at the threshold is still healthy, one point above is not", () => {
  assert.equal(capacityRow("recoveryArea", 80).health, "ok");
  assert.equal(capacityRow("recoveryArea", 81).health, "unhealthy");
  assert.equal(capacityRow("dataVolume", 0).state, "0% used (alarm above 80%)");
});

test("decisions: ready signal, connector states, statement phases, HTTP problems", () => {
  assert.equal(oracleReadyRow("/p", "i-new", "ready:i-new").health, "ok");
  const stale = oracleReadyRow("/p", "i-new", "ready:i-old");
  assert.equal(stale.health, "unhealthy");
  assert.match(stale.detail ?? "", /from host i-old, not i-new/);
  assert.equal(oracleReadyRow("/p", "i-1", undefined, { name: "ParameterNotFound" }).health, "unhealthy");
  const answer = (state: string): Answer => ({ status: 200, body: { connector: { state }, tasks: [] } });
  assert.equal(connectorRow("c", answer("RUNNING")).health, "ok");
  for (const state of ["PROVISIONING", "PAUSED", "DEGRADED", "FAILED"]) {
    assert.equal(connectorRow("c", answer(state)).health, "unhealthy", state);
  }
  assert.match(connectorRow("c", { status: 401 }).detail ?? "", /CONFLUENT_CLOUD_API_KEY/);
  assert.equal(connectorRow("c", { status: 0, error: "ECONNREFUSED" }).state, "unreachable");
  const phase = (p: string, detail?: string): Answer => ({
    status: 200,
    body: { status: { phase: p, detail } },
  });
  assert.equal(statementRow("s", phase("RUNNING")).health, "ok");
  assert.equal(statementRow("s", phase("COMPLETED")).health, "ok");
  const failed = statementRow("s", phase("FAILED", "Table 'x' not found"));
  assert.equal(failed.health, "unhealthy");
  assert.equal(failed.detail, "Table 'x' not found");
  for (const p of ["PENDING", "FAILING", "STOPPED", "DELETING"])
    assert.equal(statementRow("s", phase(p)).health, "unhealthy");
  assert.equal(statementRow("s", { status: 404 }).state, "not found");
  assert.equal(statusExit([skipped("a", "b", "why")]), 0);
  assert.equal(statusExit([skipped("a", "b", "why"), failed]), 1);
});
