/**
 * `npm run bench:detection`: how fast the rules job flags fraud, on Apache Flink and Kafka on this
 * machine, for the current rules (the dev deployment's own statement) and the hopping-window rules
 * they replaced (windowed-rules.sql), measured the same way:
 * - detection latency per kind, p50 and p99: from the broker's append time of the transaction that
 *   completes a fraud (it enters Flink) to the append time of the first flagged_user record that
 *   carries its kind (the flag leaves Flink), under steady ordinary traffic in real time;
 * - throughput: a backlog of transactions with every kind mixed in, read from the start by a fresh
 *   job, divided by the time until the last fraud's flag.
 * Not a test: timings depend on the machine. Exit 1 when the current rules miss a target.
 *   node --import tsx engines/bench/detection.ts [--seconds N] [--rate N] [--backlog N]
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { prepareEngines } from "../driver/build";
import { deploymentStatements, VARIANTS } from "../driver/deployment-statements";
import type { Deployment, ReceivedRecord, Step, TrafficStep } from "../driver/flink-scenario";
import { deployment, runScenario, startJob } from "../driver/flink-scenario";
import { WATERMARK_DELAY } from "../../stacks/connector/flink-statements";
import { intervalSeconds, withoutCommentLines } from "../../lib/sql";
import type { FraudKind } from "../../stacks/processing/fraud-rules/sql";
import { FRAUD_KINDS } from "../../stacks/processing/fraud-rules/sql";

/** The detection targets on this machine. */
export const DETECTION_TARGETS = {
  /** p99 of the kinds one transaction commits on its own. */
  aloneP99Seconds: 1,
  /** p99 of the window kinds: the watermark delay and one second. */
  windowP99Seconds: intervalSeconds(WATERMARK_DELAY) + 1,
  transactionsPerSecond: 2000,
} as const;

const ACCOUNTS = 1000;
const FIRST_FRAUD_ACCOUNT = 1_000_000;

interface Fraud {
  readonly kind: FraudKind;
  readonly account: number;
  readonly appendedAt: number;
}

interface RuleSet {
  readonly name: string;
  /** The rules job's SQL in place of the deployment's own, as open-source Flink runs it. */
  readonly sql?: string;
}

const RULE_SETS: readonly RuleSet[] = [
  {
    name: "hopping windows (before)",
    sql: withoutCommentLines(readFileSync(path.join(__dirname, "windowed-rules.sql"), "utf8")),
  },
  { name: "each transaction on arrival (now)" },
];

/** The q-quantile (0..1) of `values`, nearest rank. */
export function quantile(values: readonly number[], q: number): number {
  if (values.length === 0) throw new Error("quantile of nothing");
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

/** Each fraud's latency: the first flag of its account carrying its kind, minus its append time. */
export function latencies(
  frauds: readonly Fraud[],
  flags: readonly ReceivedRecord[],
): Map<FraudKind, number[]> {
  const firstFlag = new Map<string, number>();
  for (const f of flags) {
    const v = f.value;
    if (!v) continue;
    for (const kind of String(v.reasons).split(",")) {
      const key = `${v.account_id}/${kind}`;
      if (!firstFlag.has(key)) firstFlag.set(key, f.timestamp);
    }
  }
  const out = new Map<FraudKind, number[]>(FRAUD_KINDS.map((k) => [k, []]));
  for (const f of frauds) {
    const at = firstFlag.get(`${f.account}/${f.kind}`);
    if (at !== undefined) out.get(f.kind)!.push((at - f.appendedAt) / 1000);
  }
  return out;
}

function withLogAppendTime(d: Deployment): Deployment {
  const stamped = new Set(["user_transaction", "flagged_user"]);
  return {
    ...d,
    topics: d.topics.map((t) =>
      stamped.has(t.name) ? { ...t, config: { ...t.config, "message.timestamp.type": "LogAppendTime" } } : t,
    ),
  };
}

function rulesJob(d: Deployment, rules: RuleSet): Step {
  const job = startJob(d, "fraud-rules-job");
  return rules.sql === undefined ? job : { ...job, sql: rules.sql };
}

async function measureLatency(d: Deployment, rules: RuleSet, seconds: number, rate: number) {
  const frauds = Math.ceil((seconds * 1000) / 200);
  const steps: Step[] = [
    { op: "users", topic: "auth_user", from: 1, to: ACCOUNTS },
    { op: "users", topic: "auth_user", from: FIRST_FRAUD_ACCOUNT, to: FIRST_FRAUD_ACCOUNT + frauds },
    rulesJob(d, rules),
    traffic({ rate, seconds, paced: true, fraudEveryMs: 200 }),
    // Ordinary traffic only, long enough for a 10-minute window hopping by a minute to close.
    traffic({ rate, seconds: 70, paced: true, fraudEveryMs: 1e9, firstId: 90_000_000 }),
    { op: "quiet", topic: "flagged_user", ms: 2_000 },
  ];
  const response = await runScenario(d, steps, ["flagged_user"]);
  const sent = response.steps.find((s) => s.op === "traffic") as
    { traffic?: { frauds: Fraud[] } } | undefined;
  if (!sent?.traffic) throw new Error("the traffic step answered nothing");
  return latencies(sent.traffic.frauds, response.topics.flagged_user ?? []);
}

async function measureThroughput(d: Deployment, rules: RuleSet, backlog: number) {
  const rate = 2000;
  const seconds = backlog / rate;
  const frauds = Math.ceil((seconds * 1000) / 50);
  const startMs = Date.UTC(2026, 0, 1);
  const steps: Step[] = [
    { op: "users", topic: "auth_user", from: 1, to: ACCOUNTS },
    { op: "users", topic: "auth_user", from: FIRST_FRAUD_ACCOUNT, to: FIRST_FRAUD_ACCOUNT + frauds },
    traffic({ rate, seconds, paced: false, fraudEveryMs: 50, startMs }),
    traffic({
      rate,
      seconds: 70,
      paced: false,
      fraudEveryMs: 1e9,
      startMs: startMs + seconds * 1000,
      firstId: 90_000_000,
    }),
    rulesJob(d, rules),
  ];
  const sentFrauds = frauds - 1;
  const last = FIRST_FRAUD_ACCOUNT + sentFrauds - 1;
  steps.push({ op: "await", topic: "flagged_user", match: { account_id: last }, timeoutMs: 600_000 });
  const response = await runScenario(d, steps, ["flagged_user"]);
  const ms = (op: string) => response.steps.filter((s) => s.op === op).reduce((n, s) => n + s.ms, 0);
  return (backlog + rate * 70) / (ms("await") / 1000);
}

function traffic(
  o: Pick<TrafficStep, "rate" | "seconds" | "paced" | "fraudEveryMs" | "startMs" | "firstId">,
): TrafficStep {
  return {
    op: "traffic",
    topic: "user_transaction",
    accounts: ACCOUNTS,
    firstFraudAccount: FIRST_FRAUD_ACCOUNT,
    seed: 7,
    ...o,
  };
}

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) || fallback : fallback;
};

async function main(): Promise<number> {
  const problem = prepareEngines((line) => process.stdout.write(`bench:detection: ${line}\n`));
  if (problem) throw new Error(problem);
  const seconds = arg("seconds", 60);
  const rate = arg("rate", 500);
  const backlog = arg("backlog", 200_000);
  const d = withLogAppendTime(await deployment(await deploymentStatements(VARIANTS[0]!)));
  process.stdout.write(
    `Detection benchmark: ${rate} ordinary tx/s for ${seconds} s, a fraud every 200 ms (each kind in turn), then ` +
      `70 s of ordinary traffic; throughput over a backlog of ${backlog} transactions\n\n`,
  );
  const rows: string[] = [];
  let ok = true;
  for (const rules of RULE_SETS) {
    const lat = await measureLatency(d, rules, seconds, rate);
    const tps = await measureThroughput(d, rules, backlog);
    for (const kind of FRAUD_KINDS) {
      const v = lat.get(kind) ?? [];
      const p50 = v.length ? quantile(v, 0.5).toFixed(2) : "-";
      const p99 = v.length ? quantile(v, 0.99).toFixed(2) : "-";
      rows.push(`| ${rules.name} | ${kind} | ${p50} s | ${p99} s | ${v.length} |`);
      if (rules === RULE_SETS.at(-1)) {
        const target =
          kind === "too_large" || kind === "too_far"
            ? DETECTION_TARGETS.aloneP99Seconds
            : DETECTION_TARGETS.windowP99Seconds;
        if (!v.length || quantile(v, 0.99) > target) ok = false;
      }
    }
    rows.push(`| ${rules.name} | throughput | ${Math.round(tps)} tx/s | | |`);
    if (rules === RULE_SETS.at(-1) && tps < DETECTION_TARGETS.transactionsPerSecond) ok = false;
  }
  process.stdout.write(
    ["| Rules | Kind | p50 | p99 | Frauds |", "|---|---|---|---|---|", ...rows].join("\n") + "\n",
  );
  process.stdout.write(
    `\ntargets (current rules): too_large, too_far p99 ≤ ${DETECTION_TARGETS.aloneP99Seconds} s; ` +
      `too_many_count, too_many_amount p99 ≤ ${DETECTION_TARGETS.windowP99Seconds} s; ` +
      `≥ ${DETECTION_TARGETS.transactionsPerSecond} tx/s: ${ok ? "OK" : "MISSED"}\n`,
  );
  return ok ? 0 : 1;
}

if (require.main === module) {
  main().then(
    (code) => process.exit(code),
    (err: unknown) => {
      process.stderr.write(`bench:detection: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exit(1);
    },
  );
}
