import type { CdcTable } from "../../stacks/connector/oracle-cdc-config";
import { webAppTraffic } from "../../tests/helpers/web-app-traffic";
import type { KafkaTarget, TopicSpec } from "./confluent-dialect";

/**
 * The CDC topics as the OracleXStreamSource connector writes them, which the connector stack's
 * statements ALTER and read: the table Confluent Cloud infers from each topic's Debezium envelope
 * (`before`, `after`, `source`, `op`), typed as the connector's settings make the Oracle columns
 * (decimal.handling.mode=precise: NUMBER(12,2) a DECIMAL; TIMESTAMP columns epoch microseconds;
 * Django's NUMBER(1) flags small integers). This is the world outside the product, so it is written
 * here in open-source Flink directly, and only a real connector confirms the inferred types.
 */

/** Columns of each captured table's `after` row (the password column is excluded at the source). */
export const CDC_ROWS = {
  AUTH_USER: [
    ["ID", "BIGINT"],
    ["LAST_LOGIN", "BIGINT"],
    ["IS_SUPERUSER", "TINYINT"],
    ["USERNAME", "STRING"],
    ["FIRST_NAME", "STRING"],
    ["LAST_NAME", "STRING"],
    ["EMAIL", "STRING"],
    ["IS_STAFF", "TINYINT"],
    ["IS_ACTIVE", "TINYINT"],
    ["DATE_JOINED", "BIGINT"],
  ],
  USER_TRANSACTION: [
    ["ID", "BIGINT"],
    ["AMOUNT", "DECIMAL(12, 2)"],
    ["RECEIVED_AT", "BIGINT"],
    ["IP_ADDRESS", "STRING"],
    ["ACCOUNT_ID", "BIGINT"],
  ],
} as const satisfies Record<CdcTable, readonly (readonly [string, string])[]>;

const quote = (name: string) => "`" + name.replace(/`/g, "``") + "`";

/** The CDC table of `topic` carrying Oracle table `table`, as open-source Flink DDL, and its topic. */
export function cdcTable(
  topic: string,
  table: CdcTable,
  kafka: KafkaTarget,
): { sql: string; topic: TopicSpec } {
  const row = `ROW<${CDC_ROWS[table].map(([n, t]) => `${quote(n)} ${t}`).join(", ")}>`;
  const sql = `CREATE TABLE ${quote(topic)} (
  \`before\` ${row},
  \`after\` ${row},
  \`source\` ROW<\`schema\` STRING, \`table\` STRING, \`scn\` STRING, \`ts_ms\` BIGINT>,
  \`op\` STRING,
  \`ts_ms\` BIGINT
) WITH (
  'connector' = 'kafka',
  'topic' = '${topic}',
  'properties.bootstrap.servers' = '${kafka.bootstrapServers}',
  'scan.startup.mode' = 'earliest-offset',
  'value.format' = 'json'
)`;
  return { sql, topic: { name: topic, partitions: 1, config: {} } };
}

/** One change event as the connector writes it: an insert (`op` c) or update (`op` u) of `after`. */
export function changeEvent(
  table: CdcTable,
  after: Readonly<Record<string, unknown>>,
  op: "c" | "u" | "r" = "c",
): { key: Record<string, unknown>; value: Record<string, unknown> } {
  const unknown = Object.keys(after).filter((k) => !CDC_ROWS[table].some(([n]) => n === k));
  if (unknown.length > 0) throw new Error(`${table} has no column ${unknown.join(", ")}`);
  return {
    key: { ID: after.ID },
    value: { before: null, after, source: { schema: "SAMPLE", table, scn: "0", ts_ms: 0 }, op, ts_ms: 0 },
  };
}

/**
 * A row of the connector stack's typed table (as tests/helpers/web-app-traffic.ts writes them) as
 * the `after` row of its change event: flags back to Oracle's 0/1, amounts as JSON numbers, and no
 * `$rowtime` (Kafka's own timestamp).
 */
export function afterRow(row: Readonly<Record<string, unknown>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(row)
      .filter(([k]) => k !== "$rowtime")
      .map(([k, v]) => [k, typeof v === "boolean" ? Number(v) : k === "AMOUNT" ? Number(v) : v] as const),
  );
}

let firstUser: Readonly<Record<string, unknown>> | undefined;

/** The change event that creates web-app user `id`: the app's first user, renamed user<id>. */
export function userChange(id: number): { key: Record<string, unknown>; value: Record<string, unknown> } {
  firstUser ??= webAppTraffic().auth_user[0]!;
  const first = firstUser;
  return changeEvent(
    "AUTH_USER",
    afterRow({ ...first, ID: id, USERNAME: `user${id}`, EMAIL: `user${id}@example.com` }),
  );
}

/** The change event of one transaction of `account` at `atMs` (epoch ms), from an ordinary address. */
export function transactionChange(
  id: number,
  account: number,
  atMs: number,
  amount: string,
): { key: Record<string, unknown>; value: Record<string, unknown> } {
  return changeEvent(
    "USER_TRANSACTION",
    afterRow({
      ID: id,
      AMOUNT: amount,
      RECEIVED_AT: atMs * 1000,
      IP_ADDRESS: "8.8.8.8",
      ACCOUNT_ID: account,
    }),
  );
}

/**
 * Transactions stamped `minutes` after `baseMs`, with ids counting up from `firstId` (a range of the
 * test's own, so its rows never meet another test's); 1000.00, the default, is too_large alone.
 */
export function transactionsAt(baseMs: number, firstId: number) {
  let id = firstId;
  return (account: number, minutes: number, amount = "1000.00") =>
    transactionChange(id++, account, baseMs + minutes * 60_000, amount);
}

/** A whole minute at least five ahead of now: transactions stamped after the users were written. */
export function minuteAhead(): number {
  return Math.ceil((Date.now() + 5 * 60_000) / 60_000) * 60_000;
}
