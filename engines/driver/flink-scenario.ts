import type { KafkaTarget, TopicSpec } from "./confluent-dialect";
import type { DeployedStatement } from "./deployment-statements";
import type { EngineResponse } from "./java-engine";
import { runEngine } from "./java-engine";
import { CONFLUENT_ENVIRONMENT, engineStatements } from "./flink-statements";
import { freePort } from "./free-port";
import { theOnly } from "../../tests/helpers/resources";

/**
 * A scenario on Flink and Kafka: the deployment's tables, the jobs to run, and steps that send
 * records, start and stop jobs, and wait for results (the Java side, FlinkScenario, only follows
 * them). Tests build the steps from the product's fixtures and assert on the records returned.
 */

export interface KafkaRecord {
  readonly key?: unknown;
  readonly value: unknown;
  /** Kafka record timestamp (ms); the broker's clock when absent. */
  readonly timestamp?: number;
}

export type Step =
  | { readonly op: "produce"; readonly topic: string; readonly records: readonly KafkaRecord[] }
  | {
      readonly op: "start";
      readonly job: string;
      readonly sql: string;
      readonly config: Readonly<Record<string, string>>;
      readonly settleMs?: number;
    }
  | { readonly op: "stop"; readonly job: string }
  | {
      readonly op: "await";
      readonly topic: string;
      readonly match?: Readonly<Record<string, unknown>>;
      readonly count?: number;
      readonly timeoutMs?: number;
    }
  | { readonly op: "quiet"; readonly topic: string; readonly ms: number }
  | { readonly op: "sleep"; readonly ms: number }
  | TrafficStep
  | { readonly op: "users"; readonly topic: string; readonly from: number; readonly to: number };

/** Load for the detection benchmark, generated on the Java side (TrafficGenerator). */
export interface TrafficStep {
  readonly op: "traffic";
  readonly topic: string;
  /** Transactions per second, and for how long. */
  readonly rate: number;
  readonly seconds: number;
  /** In real time, RECEIVED_AT the send time; else a backlog, RECEIVED_AT from `startMs` at `rate`. */
  readonly paced: boolean;
  readonly fraudEveryMs: number;
  readonly accounts: number;
  readonly firstFraudAccount: number;
  readonly startMs?: number;
  readonly firstId?: number;
  readonly seed: number;
}

export interface ReceivedRecord {
  readonly key: unknown;
  readonly value: Record<string, unknown> | null;
  readonly timestamp: number;
  /** When the scenario's reader got it (ms, the JVM's clock). */
  readonly receivedAt: number;
}

export interface ScenarioResponse extends EngineResponse {
  readonly topics: Readonly<Record<string, readonly ReceivedRecord[]>>;
  readonly steps: readonly { readonly op: string; readonly ms: number; readonly produced?: number[] }[];
}

/** A job of the deployment: its rendered INSERT and its mapped statement properties. */
export interface DeployedJob {
  readonly sql: string;
  readonly config: Readonly<Record<string, string>>;
}

export interface Deployment {
  readonly kafka: KafkaTarget;
  readonly kafkaPort: number;
  readonly topics: readonly TopicSpec[];
  readonly ddl: readonly string[];
  /** By resource name, e.g. `fraud-rules-job`. */
  readonly jobs: Readonly<Record<string, DeployedJob>>;
}

/** The deployment's tables (DDL and topics) and long-running jobs, as the engine tier runs them. */
export async function deployment(statements: readonly DeployedStatement[]): Promise<Deployment> {
  const kafkaPort = await freePort();
  const kafka = { bootstrapServers: `127.0.0.1:${kafkaPort}` };
  const adapted = engineStatements(statements, kafka);
  const jobs: Record<string, DeployedJob> = {};
  for (const s of adapted) if (/^INSERT/i.test(s.sql)) jobs[s.key] = { sql: s.sql, config: s.properties };
  return {
    kafka,
    kafkaPort,
    topics: adapted.flatMap((s) => (s.topic ? [s.topic] : [])),
    ddl: adapted.filter((s) => !/^INSERT/i.test(s.sql)).map((s) => s.sql),
    jobs,
  };
}

export type StartStep = Extract<Step, { op: "start" }>;

/** The start step of the deployment job whose resource name ends with `suffix`. */
export function startJob(
  d: Deployment,
  suffix: string,
  extra: Partial<Omit<StartStep, "op">> = {},
): StartStep {
  const name = theOnly(
    Object.keys(d.jobs).filter((k) => k.endsWith(suffix)),
    (k) => k,
    `job *${suffix}`,
  );
  const job = d.jobs[name] as DeployedJob;
  return { op: "start", job: name, sql: job.sql, ...extra, config: { ...job.config, ...extra.config } };
}

/** Runs `steps`; `watch` limits the topics whose records come back (all by default). */
export function runScenario(
  d: Deployment,
  steps: readonly Step[],
  watch?: readonly string[],
): Promise<ScenarioResponse> {
  return runEngine<ScenarioResponse>("run", {
    kafkaPort: d.kafkaPort,
    config: CONFLUENT_ENVIRONMENT,
    topics: d.topics,
    ddl: d.ddl,
    steps,
    ...(watch ? { watch } : {}),
  });
}

/** The values a topic received, tombstones left out. */
export function valuesOf(response: ScenarioResponse, topic: string): Record<string, unknown>[] {
  return (response.topics[topic] ?? []).flatMap((r) => (r.value ? [r.value] : []));
}
