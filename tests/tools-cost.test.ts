import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import type { RecordedResource } from "../tools/offline/mocks";
import type { StackRun } from "../tools/offline/run-stack";
import { assumptionsFrom } from "../tools/plan/cost/assumptions";
import type { CostEstimate } from "../tools/plan/cost/estimate";
import {
  estimateCost,
  hourly,
  requireAllPriced,
  subtotals,
  sumRows,
  unpricedTypes,
} from "../tools/plan/cost/estimate";
import { PRICES_FILE, loadPriceTable, parsePriceTable } from "../tools/plan/cost/prices";
import { costSummary, costTotalsTable, range } from "../tools/plan/cost/table";
import { renderMarkdown } from "../tools/plan/report";
import { skipPolicies } from "../tools/plan/policy/evaluate";
import { stackDir } from "../tools/stacks";
import { devDeployment, planStack, quietPlan } from "./helpers/deployment";
import { PROD_REPLACEMENTS } from "./helpers/prod-config";

const table = loadPriceTable();
const prices = table.regions["us-east-1"]!;
const usd = (id: string) => {
  const p = prices[id];
  assert.ok(p, `price ${id} exists`);
  return p.usd;
};
const close = (a: number, b: number, what: string) =>
  assert.ok(Math.abs(a - b) < 1e-9, `${what}: ${a} ≠ ${b}`);
const types = (runs: readonly StackRun[]) =>
  runs.flatMap((r) => r.resources.filter((x) => x.custom).map((x) => x.type));

test("the price table is dated, sourced and validated; a malformed entry is an error naming it", () => {
  assert.match(table.retrieved, /^\d{4}-\d{2}-\d{2}$/);
  for (const [id, price] of Object.entries(prices)) assert.match(price.source, /^https:\/\//, id);
  const raw = JSON.parse(readFileSync(PRICES_FILE, "utf8")) as {
    regions: Record<string, Record<string, object>>;
  };
  raw.regions["us-east-1"]!["aws.eks.cluster"] = { usd: "0.10", per: "cluster-hour", checked: true };
  assert.throws(
    () => parsePriceTable(raw),
    (err: Error) => {
      assert.match(err.message, /regions\.us-east-1\.aws\.eks\.cluster\.usd/);
      assert.match(err.message, /regions\.us-east-1\.aws\.eks\.cluster\.source/);
      return true;
    },
  );
});

test("every resource type the dev plan registers has a price or a no-cost entry", async () => {
  const plan = await devDeployment();
  assert.deepEqual(unpricedTypes(types(plan.stacks.map((s) => s.run)), table), []);
  requireAllPriced(plan.cost);
  assert.ok(plan.cost.rows.length >= 20, `rows: ${plan.cost.rows.length}`);
});

test(
  "the prod plan, when a prod profile exists, is fully priced too",
  { skip: !existsSync(path.join(stackDir("aws-resources"), "Pulumi.prod.yaml")) },
  async () => {
    const plan = await quietPlan({ stack: "prod", overrides: PROD_REPLACEMENTS, evaluate: skipPolicies });
    requireAllPriced(plan.cost);
  },
);

const fakeRun = (resources: Partial<RecordedResource>[]): StackRun =>
  ({
    project: "aws-resources",
    resources: resources.map((r) => ({ custom: true, urn: `urn:${r.name}`, inputs: {}, ...r })),
    outputs: {},
    secretOutputNames: [],
  }) as unknown as StackRun;

test("a billable resource type without a price fails, naming the type", () => {
  const run = fakeRun([
    { type: "aws:ec2/vpc:Vpc", name: "vpc" },
    { type: "aws:rds/instance:Instance", name: "db" },
  ]);
  const estimate = estimateCost([run], table, "us-east-1", assumptionsFrom({}));
  assert.deepEqual(unpricedTypes(types([run]), table), ["aws:rds/instance:Instance"]);
  assert.throws(() => requireAllPriced(estimate), /aws:rds\/instance:Instance \(aws-resources: db\)/);
  // A known type with a size the table cannot price is named as well.
  const big = fakeRun([
    { type: "aws:ec2/instance:Instance", name: "huge", inputs: { instanceType: "x2idn.large" } },
  ]);
  assert.throws(
    () => requireAllPriced(estimateCost([big], table, "us-east-1", assumptionsFrom({}))),
    /aws:ec2\/instance:Instance \(aws-resources: huge\): no EC2 price for instance type x2idn\.large/,
  );
});

function assertTotalsAddUp(cost: CostEstimate): void {
  let min = 0;
  let max = 0;
  for (const r of cost.rows) [min, max] = [min + r.perHour, max + r.perHourMax];
  const total = sumRows(cost.rows);
  close(total.min, min, "total min");
  close(total.max, max, "total max");
  const { stacks, providers } = subtotals(cost);
  close(
    stacks.reduce((n, s) => n + s.perHour.min, 0),
    min,
    "stacks add up",
  );
  close(
    providers.reduce((n, p) => n + p.perHour.max, 0),
    max,
    "providers add up",
  );
  const last = costTotalsTable(cost).rows.at(-1)!;
  assert.equal(last[0], "Total");
  assert.equal(last[2], range({ min, max }, 2, 24), "the Total row is the sum of the rows, per day");
}

test("the dev totals are the sum of the rows, per stack and per provider", async () => {
  const cost = (await devDeployment()).cost;
  assertTotalsAddUp(cost);
  assert.deepEqual(
    subtotals(cost).providers.map((p) => p.label),
    ["AWS", "Confluent Cloud"],
  );
  const flink = cost.rows.find((r) => r.priceId === "confluent.flink.cfu");
  assert.ok(flink);
  close(flink.perHourMax, 10 * usd("confluent.flink.cfu"), "Flink at the flinkMaxCfu cap");
  assert.ok(flink.perHour < flink.perHourMax, "idle Flink costs less than the cap");
});

test("more OpenSearch nodes raise the total by exactly their node and storage price", async () => {
  const dev = await devDeployment();
  const base = dev.cost.rows.filter((r) => r.stack === "aws-resources");
  const six = await planStack(dev, { stack: "aws-resources", override: { opensearchInstanceCount: 6 } });
  assertTotalsAddUp(six.cost);
  const gp3PerHour = hourly(3 * 10, prices["aws.opensearch.gp3"]!, table.hoursPerMonth);
  close(
    sumRows(six.cost.rows).min - sumRows(base).min,
    3 * usd("aws.opensearch.t3.small.search") + gp3PerHour,
    "three more t3.small.search nodes with 10 GiB each",
  );
});

test("usage assumptions are config keys: more NAT traffic costs exactly its per-GB price", async () => {
  const dev = await devDeployment();
  const run = await planStack(dev, { stack: "aws-resources", override: { costNatGbPerDay: 25 } });
  const row = run.cost.rows.find((r) => r.priceId === "aws.vpc.natGatewayData");
  assert.ok(row);
  close(row.perHour, (25 / 24) * usd("aws.vpc.natGatewayData"), "25 GB/day");
  assert.match(row.assumption ?? "", /25 GB\/day/);
});

test("the report and the summary carry the cost table with the date of its prices", async () => {
  const plan = await devDeployment();
  const runs = plan.stacks.map((s) => s.run);
  const md = renderMarkdown(
    { stack: "dev", runs, findings: [], estimate: plan.estimate, cost: plan.cost },
    "graph TD",
  );
  assert.match(md, /## Estimated running cost/);
  assert.ok(md.includes(`dated ${table.retrieved}`));
  assert.match(costSummary(plan.cost), /per 30-day month/);
});

test("rules read the resources' inputs: any connector class, Flink's idle floor, LoadBalancer services", () => {
  const run = fakeRun([
    {
      type: "confluentcloud:index/connector:Connector",
      name: "alerts",
      inputs: { configNonsensitive: { "connector.class": "LambdaSink", "tasks.max": "2" } },
    },
    { type: "confluentcloud:index/flinkComputePool:FlinkComputePool", name: "pool", inputs: { maxCfu: 20 } },
    ...["CREATE TABLE t (a INT)", "INSERT INTO t SELECT 1", "EXECUTE STATEMENT SET BEGIN END"].map(
      (sql, i) => ({
        type: "confluentcloud:index/flinkStatement:FlinkStatement",
        name: `s${i}`,
        inputs: { statement: sql },
      }),
    ),
    { type: "kubernetes:core/v1:Service", name: "lb", inputs: { spec: { type: "LoadBalancer" } } },
  ]);
  const cost = estimateCost(
    [run],
    table,
    "us-east-1",
    assumptionsFrom({ "connector:costConnectorGbPerDay": "3" }),
  );
  const task = cost.rows.find((r) => r.item === "LambdaSink tasks");
  assert.ok(task);
  close(task.perHour, 2 * usd("confluent.connect.task"), "two LambdaSink tasks");
  const throughput = cost.rows.find((r) => r.item === "LambdaSink throughput");
  close(throughput?.perHour ?? 0, (3 / 24) * usd("confluent.connect.throughput"), "3 GB/day");
  const flink = cost.rows.find((r) => r.priceId === "confluent.flink.cfu");
  assert.ok(flink);
  close(flink.perHour, 2 * usd("confluent.flink.cfu"), "one CFU per running statement, DDL excluded");
  close(flink.perHourMax, 20 * usd("confluent.flink.cfu"), "maxCfu 20");
  assert.deepEqual(
    cost.unpriced.map((u) => [u.type, u.name]),
    [["kubernetes:core/v1:Service", "lb"]],
  );
});

test("snapshots are priced: the Oracle volume in full plus a day's change per kept snapshot, Redshift a day's change per retained day", async () => {
  const dev = await devDeployment();
  const run = await planStack(dev, {
    stack: "aws-resources",
    override: { oracleSnapshotsKept: 10, costSnapshotChangeGbPerDay: 2, redshiftSnapshotRetentionDays: 5 },
  });
  const month = table.hoursPerMonth;
  const ebs = run.cost.rows.find((r) => r.priceId === "aws.ebs.snapshot");
  assert.ok(ebs);
  close(ebs.perHour, ((50 + 10 * 2) * usd("aws.ebs.snapshot")) / month, "50 GiB + 10 × 2 GB");
  const redshift = run.cost.rows.find((r) => r.priceId === "aws.redshift.backupStorage");
  close(redshift?.perHour ?? 0, (5 * 2 * usd("aws.redshift.backupStorage")) / month, "5 days × 2 GB");
  const metrics = run.cost.rows.filter((r) => r.priceId === "aws.cloudwatch.customMetric");
  assert.equal(metrics.length, 2, "the host's two capacity metrics");
});
