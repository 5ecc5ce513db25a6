import type { KafkaTarget, TopicSpec } from "./confluent-dialect";
import { adaptProperties, adaptStatement } from "./confluent-dialect";
import type { CdcTable } from "../../stacks/connector/oracle-cdc-config";
import { CDC_ROWS, cdcTable } from "./cdc-topics";
import type { DeployedStatement } from "./deployment-statements";

/**
 * A deployment's statements as the engine tier runs them: the CDC tables the connector would have
 * made first, then every statement in deployment order, table options adapted (confluent-dialect.ts)
 * and properties mapped; queries as rendered.
 */

export interface EngineStatement {
  readonly key: string;
  readonly sql: string;
  readonly properties: Readonly<Record<string, string>>;
  readonly topic?: TopicSpec;
}

/**
 * Confluent Cloud's environment defaults, in open-source terms: UTC sessions, one task per operator
 * here (the order of records is then the order they were sent), and idle partitions stop holding the
 * watermark back after a second (Confluent detects idleness progressively by default; a second keeps
 * the tests fast). Flink 2.3 also demands an `ON CONFLICT` clause where a query's upsert key differs
 * from its sink's primary key (FLIP-558); Confluent Cloud documents no such clause, so the engine tier
 * keeps the behaviour both had before: an insert-only input replaces by key, an updating one passes
 * the sink's upsert materializer.
 */
export const CONFLUENT_ENVIRONMENT: Readonly<Record<string, string>> = {
  "table.local-time-zone": "UTC",
  "parallelism.default": "1",
  "table.exec.source.idle-timeout": "1 s",
  "table.exec.sink.require-on-conflict": "false",
};

/** The CDC topics the statements ALTER, with the Oracle table each carries. */
export function cdcTopicsOf(statements: readonly DeployedStatement[]): { topic: string; table: CdcTable }[] {
  return statements.flatMap((s) => {
    const m = /^ALTER TABLE `([^`]+)`/.exec(s.sql);
    if (!m) return [];
    const topic = m[1] as string;
    const table = topic.slice(topic.lastIndexOf(".") + 1);
    if (!(table in CDC_ROWS)) throw new Error(`no CDC fixture for ${topic}`);
    return [{ topic, table: table as CdcTable }];
  });
}

export function engineStatements(
  statements: readonly DeployedStatement[],
  kafka: KafkaTarget,
): EngineStatement[] {
  const fixtures = cdcTopicsOf(statements).map(({ topic, table }) => {
    const t = cdcTable(topic, table, kafka);
    return { key: `cdc-table-${topic}`, sql: t.sql, properties: {}, topic: t.topic };
  });
  const adapted = statements.map((s) => {
    const a = adaptStatement(s.sql, kafka);
    return {
      key: s.resource,
      sql: a.sql,
      properties: adaptProperties(s.properties),
      ...(a.topic ? { topic: a.topic } : {}),
    };
  });
  return [...fixtures, ...adapted];
}
