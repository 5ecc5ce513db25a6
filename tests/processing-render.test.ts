import assert from "node:assert/strict";
import { test } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import type { Contract, Upstream } from "../lib/stack-outputs";
import { awsResourcesContract, connectorContract } from "../lib/contracts";
import type { ProcessingUpstream } from "../stacks/processing/render";
import { renderProcessing } from "../stacks/processing/render";
import { devProcessingConfig } from "./helpers/processing";
import { syntheticAwsResources, syntheticConnector } from "./helpers/synthetic-upstream";

/** A contract's values as `readUpstream` hands them over: secret fields as secret Outputs. */
function upstreamView<C extends Contract>(contract: C, values: Record<string, unknown>): Upstream<C> {
  return Object.fromEntries(
    Object.entries(contract).map(([k, f]) => [k, f.secret ? pulumi.secret(values[k]) : values[k]]),
  ) as Upstream<C>;
}

const upstream = (
  aws: Record<string, unknown> = {},
  connector: Record<string, unknown> = {},
): ProcessingUpstream => ({
  aws: upstreamView(awsResourcesContract, { ...syntheticAwsResources, ...aws }),
  connector: upstreamView(connectorContract, { ...syntheticConnector, ...connector }),
});

const cfg = devProcessingConfig();

test("renderProcessing: the rules' statements are named after the prefix and their SQL, the job bounded by its state TTL", () => {
  const r = renderProcessing(cfg, upstream());
  assert.equal(r.namePrefix, "fd-dev-a1b2");
  assert.deepEqual(r.tables, {
    flaggedTable: "flagged_user",
    userTable: "auth_user",
    transactionTable: "user_transaction",
  });
  assert.match(r.rules.createTable.name, /^fd-dev-a1b2-flagged-user-table-[0-9a-f]{8}$/);
  assert.match(r.rules.createTable.sql, /^CREATE TABLE IF NOT EXISTS `flagged_user`/);
  assert.match(r.rules.job.name, /^fd-dev-a1b2-fraud-rules-[0-9a-f]{8}$/);
  assert.match(r.rules.job.sql, /^INSERT INTO `flagged_user`/);
  assert.deepEqual(r.rules.job.properties, { "sql.state-ttl": "60 min" });
  assert.notEqual(
    renderProcessing({ ...cfg, maxWindowCount: cfg.maxWindowCount + 1 }, upstream()).rules.job.name,
    r.rules.job.name,
    "another threshold is another statement",
  );
  assert.equal(
    r.dashboardUrl,
    `${syntheticAwsResources.opensearchDashboardsUrl}app/dashboards#/view/fraud-detection-dashboard`,
  );
});

test("renderProcessing: role bindings only for a least-privilege connector stack; alerts only with addresses", () => {
  const r = renderProcessing(cfg, upstream());
  assert.deepEqual(r.crns, {
    kafkaRbacCrn: syntheticConnector.kafkaRbacCrn,
    kafkaClusterId: syntheticConnector.kafkaClusterId,
    schemaRegistryCrn: syntheticConnector.schemaRegistryCrn,
  });
  assert.equal(r.flink.principalId, syntheticConnector.flinkStatementServiceAccountId);
  assert.equal(r.alerts, undefined);
  assert.equal(renderProcessing(cfg, upstream({}, { accessMode: "environment-admin" })).crns, undefined);
  const alerts = renderProcessing({ ...cfg, alertEmails: ["oncall@example.com"] }, upstream()).alerts;
  assert.equal(alerts?.alertsTable, "fraud_alert");
  assert.equal(alerts?.names.functionName, "fd-dev-a1b2-alert-notifier");
  assert.match(alerts?.job.name ?? "", /^fd-dev-a1b2-fraud-alerts-[0-9a-f]{8}$/);
});

test("renderProcessing: Confluent's egress CIDRs spread over Redshift's ingress groups, within the quota", () => {
  const r = renderProcessing(cfg, upstream());
  assert.deepEqual(
    r.redshiftIngress.flatMap((g) => g.cidrs),
    syntheticConnector.connectEgressCidrs,
  );
  for (const g of r.redshiftIngress) {
    assert.ok(
      (syntheticAwsResources.redshiftIngressSecurityGroupIds as string[]).includes(g.securityGroupId),
    );
  }
});

test("renderProcessing: upstreams in two regions, or tables the views do not expect, are refused", () => {
  assert.throws(
    () => renderProcessing(cfg, upstream({}, { region: "eu-west-1" })),
    /connector stack is in eu-west-1 but aws-resources in us-east-1/,
  );
  assert.throws(() => renderProcessing(cfg, upstream({}, { authUserTable: "users" })), /auth_user/);
});
