import assert from "node:assert/strict";
import ipaddr from "ipaddr.js";
import { before, test } from "node:test";
import type { EngineResponse } from "./java-engine";
import { runEngine } from "./java-engine";
import type { DeployedStatement } from "./deployment-statements";
import { deploymentStatements, VARIANTS } from "./deployment-statements";
import { CONFLUENT_ENVIRONMENT, engineStatements } from "./flink-statements";
import { sourceTableStatements } from "../../stacks/connector/flink-statements";
import { renderCreateFlaggedUser, renderFraudRules } from "../../stacks/processing/fraud-rules/sql";

// Every Flink statement the connector and processing stacks register, for dev, prod and dev with
// alerts, as the offline harness renders it, through Apache Flink's own parser and planner; then the
// renderers at the limits of their config, and a broken statement that must be refused.

const TABLES = { flaggedTable: "flagged_user", userTable: "auth_user", transactionTable: "user_transaction" };

/** The renderers at their limits: hostile-looking names, the largest thresholds, many blocked ranges. */
function extremes(): DeployedStatement[] {
  const source = sourceTableStatements({
    topicPrefix: "z-_9".padEnd(32, "_-"),
    schema: "S$#_9",
    buckets: 64,
  });
  const ranges = Array.from({ length: 64 }, (_, i) => {
    const bits = 8 + (i % 25);
    return `${ipaddr.IPv4.networkAddressFromCIDR(`${10 + i}.${i * 3}.${i}.1/${bits}`).toString()}/${bits}`;
  });
  const rules = renderFraudRules(
    {
      windowMinutes: 1440,
      maxWindowAmount: 1_000_000_000,
      maxWindowCount: 1_000_000,
      singleTransactionLimit: 1_000_000_000,
      blockedIpRanges: ranges,
    },
    TABLES,
  );
  return [
    ...source.map((s) => ({ project: "connector", resource: s.key, sql: s.sql, properties: {} })),
    {
      project: "processing",
      resource: "flagged-table",
      sql: renderCreateFlaggedUser(TABLES),
      properties: {},
    },
    { project: "processing", resource: "rules-job", sql: rules, properties: { "sql.state-ttl": "2880 min" } },
  ];
}

interface PlanResult {
  readonly variant: string;
  readonly key: string;
  readonly ok: boolean;
  readonly error?: string;
  readonly plan?: string;
}

const NEVER_CONNECTED = { bootstrapServers: "127.0.0.1:9" };
const rendered = new Map<string, DeployedStatement[]>();
let results: readonly PlanResult[] = [];
let versions: EngineResponse["versions"];

before(async () => {
  for (const v of VARIANTS) rendered.set(v.name, await deploymentStatements(v));
  const dev = rendered.get("dev") ?? [];
  rendered.set("extremes", extremes());
  // The dev deployment with one word too many in the rules job: Flink must refuse it.
  rendered.set(
    "broken",
    dev.map((s) =>
      s.resource.endsWith("rules-job") ? { ...s, sql: s.sql.replace("UNION ALL", "UNION ALL ALL") } : s,
    ),
  );
  const response = await runEngine<EngineResponse & { results: PlanResult[] }>("plan", {
    config: CONFLUENT_ENVIRONMENT,
    variants: [...rendered].map(([name, statements]) => ({
      name,
      statements: engineStatements(statements, NEVER_CONNECTED),
    })),
  });
  results = response.results;
  versions = response.versions;
});

const failures = (variant: string) =>
  results.filter((r) => r.variant === variant && !r.ok).map((r) => `${r.key}: ${r.error}`);

for (const v of VARIANTS) {
  test(`${v.name}: every statement parses and plans on Apache Flink`, () => {
    const mine = results.filter((r) => r.variant === v.name);
    const statements = rendered.get(v.name) ?? [];
    assert.ok(statements.length >= 5, `the ${v.name} deployment registers its statements`);
    assert.equal(mine.length, statements.length + 2, "the two CDC tables, then every statement");
    assert.deepEqual(failures(v.name), [], `Flink ${versions.flink} refused`);
  });
}

/** The optimized physical plan's operator lines, sink first. */
const physical = (plan: string): string[] =>
  (plan.split("== Optimized Physical Plan ==")[1] ?? "")
    .split("== Optimized Execution Plan ==")[0]!
    .split("\n")
    .filter((l) => l.trim().length > 0);

test("the renderers at their limits still give statements Flink plans", () => {
  assert.deepEqual(failures("extremes"), []);
  assert.equal(
    results.filter((r) => r.variant === "extremes").length,
    (rendered.get("extremes") ?? []).length + 2,
  );
});

test("the check can fail: a rules job with a stray word is refused by Flink's parser, naming the place", () => {
  const broken = failures("broken");
  assert.equal(broken.length, 1);
  assert.match(broken[0] ?? "", /rules-job: SQL parse failed/);
});

test("the alerts job exists only with alerts on, and everything it writes is insert-only", () => {
  assert.equal(results.filter((r) => /alert.*job$/.test(r.key) && r.variant === "dev").length, 0);
  const job = results.find((r) => r.variant === "dev with alerts" && /alert.*job$/.test(r.key));
  assert.ok(job?.plan, "the alerts job was planned");
  const lines = physical(job.plan);
  assert.match(lines[0] ?? "", /^Sink\(table=\[.*fraud_alert\]/);
  // From the sink down to the temporal join: the OVER and every projection see inserts only.
  const chain = lines.slice(1, lines.findIndex((l) => l.includes("TemporalJoin(")) + 1);
  assert.ok(chain.length >= 3, chain.join("\n"));
  for (const line of chain) assert.match(line, /changelogMode=\[I\]/, line);
});

test("the rules job updates flagged_user by its own key: no materializer, so no per-account history in state", () => {
  const job = results.find((r) => r.variant === "dev" && r.key.endsWith("fraud-rules-job"));
  assert.ok(job?.plan, "the rules job was planned");
  const sink = physical(job.plan)[0] ?? "";
  assert.match(sink, /^Sink\(table=\[.*flagged_user\]/);
  assert.doesNotMatch(sink, /upsertMaterialize=\[true\]/);
  assert.match(job.plan, /Deduplicate\(keep=\[LastRow\], key=\[account_id\], order=\[ROWTIME\]/);
  assert.match(
    job.plan,
    /OverAggregate\(partitionBy=\[ACCOUNT_ID\], orderBy=\[EVENT_TIME ASC\], window=\[ RANGE BETWEEN 600000 PRECEDING AND CURRENT ROW\]/,
  );
});

test("the adapter never touches a query: every INSERT reaches Flink as the stack rendered it", () => {
  for (const [name, statements] of rendered) {
    for (const s of statements.filter((x) => /^INSERT/i.test(x.sql))) {
      const sent = engineStatements([s], NEVER_CONNECTED).at(-1);
      assert.equal(sent?.sql, s.sql, `${name}: ${s.resource}`);
    }
  }
});
