import type { Token } from "../../tests/helpers/sql-tokens";
import {
  closingParen,
  isWord,
  joinTokens,
  nameOf,
  nextSignificant,
  significant,
  splitTopLevel,
  tokenize,
  UnsupportedSqlError,
} from "../../tests/helpers/sql-tokens";

/**
 * The one adapter between Confluent Cloud's Flink dialect and open-source Flink, for the engine tier.
 * It changes only table-level dialect: the options of `CREATE TABLE … WITH (…)` and `ALTER TABLE …
 * SET (…)`, the `$rowtime` system column and its default watermark, `DISTRIBUTED BY`, and the
 * informational primary key of an append table. Queries, hints, rules and joins pass through as they
 * are; an option or a statement property it does not know is refused, never guessed. docs/testing.md
 * lists each change and what only Confluent Cloud confirms.
 */

/** A Kafka topic a table maps to, with the topic configs its `kafka.*` options set. */
export interface TopicSpec {
  readonly name: string;
  readonly partitions: number;
  readonly config: Readonly<Record<string, string>>;
}

export interface AdaptedStatement {
  readonly sql: string;
  /** The topic a CREATE TABLE maps to (one partition: the engine tier's order is deterministic). */
  readonly topic?: TopicSpec;
}

export interface KafkaTarget {
  readonly bootstrapServers: string;
}

/**
 * Stands in for Confluent's default watermark on `$rowtime`, a histogram-based strategy open-source
 * Flink lacks. It only matters for a table that declares no watermark of its own and is read in event
 * time: `auth_user`, the versioned side of the alerts job's temporal join.
 */
export const DEFAULT_ROWTIME_WATERMARK = "`$rowtime` - INTERVAL '1' SECOND";

/** Confluent's `kafka.*` table options → the topic configs they set. */
const TOPIC_OPTIONS: Readonly<Record<string, string>> = {
  "kafka.cleanup-policy": "cleanup.policy",
  "kafka.retention.time": "retention.ms",
  "kafka.retention.size": "retention.bytes",
  "kafka.max-message-size": "max.message.bytes",
};

/** Confluent's Schema Registry formats → the open-source format with the same row shape. */
const FORMATS: Readonly<Record<string, string>> = {
  "avro-registry": "json",
  "json-registry": "json",
};

/** `changelog.mode` → the open-source Kafka connector that reads and writes that changelog. */
const CONNECTORS: Readonly<Record<string, string>> = {
  append: "kafka",
  upsert: "upsert-kafka",
};

/** Options that keep their meaning in open-source Flink. */
const KEPT_OPTIONS = new Set(["value.fields-include", "scan.startup.mode", "scan.bounded.mode"]);

/** Statement properties → the open-source configuration they stand for (undefined: dropped). */
const PROPERTIES: Readonly<Record<string, string | undefined>> = {
  "sql.state-ttl": "table.exec.state.ttl",
  "sql.local-time-zone": "table.local-time-zone",
  // Catalog and database select Confluent's environment and cluster; the engine tier has one of each.
  "sql.current-catalog": undefined,
  "sql.current-database": undefined,
};

type Options = Record<string, string>;

const literal = (value: string) => `'${value.replace(/'/g, "''")}'`;
const optionList = (options: Options) =>
  Object.entries(options)
    .map(([k, v]) => `  ${literal(k)} = ${literal(v)}`)
    .join(",\n");

function parseOptions(tokens: readonly Token[]): Options {
  const options: Options = {};
  for (const pair of splitTopLevel(tokens, ",")) {
    const parts = significant(pair);
    const [key, eq, value] = parts;
    if (parts.length !== 3 || key?.kind !== "string" || eq?.text !== "=" || value?.kind !== "string") {
      throw new UnsupportedSqlError(`table option ${JSON.stringify(joinTokens(pair).trim())}`);
    }
    options[nameOf({ kind: "quoted", text: key.text })] = nameOf({ kind: "quoted", text: value.text });
  }
  return options;
}

/** The open-source options (and topic configs) for Confluent table options. */
function translateOptions(
  confluent: Options,
  table: string,
  kafka: KafkaTarget,
  keyColumns: readonly string[],
): { options: Options; topicConfig: Record<string, string> } {
  const options: Options = {};
  const topicConfig: Record<string, string> = {};
  for (const [key, value] of Object.entries(confluent)) {
    if (key === "changelog.mode") {
      const connector = CONNECTORS[value];
      if (!connector) throw new UnsupportedSqlError(`'changelog.mode' = '${value}'`);
      options.connector = connector;
    } else if (key === "key.format" || key === "value.format") {
      const format = FORMATS[value];
      if (!format) throw new UnsupportedSqlError(`'${key}' = '${value}'`);
      options[key] = format;
    } else if (TOPIC_OPTIONS[key]) {
      topicConfig[TOPIC_OPTIONS[key]] = key === "kafka.retention.time" ? durationMs(value) : value;
    } else if (KEPT_OPTIONS.has(key)) {
      options[key] = value;
    } else {
      throw new UnsupportedSqlError(`table option '${key}'`);
    }
  }
  options.connector ??= "kafka";
  options.topic = table;
  options["properties.bootstrap.servers"] = kafka.bootstrapServers;
  if (options.connector === "kafka") {
    // Confluent reads a table from its beginning unless told otherwise; Kafka's default is the
    // consumer group's offsets.
    options["scan.startup.mode"] ??= "earliest-offset";
    if (options["key.format"] !== undefined) options["key.fields"] = keyColumns.join(";");
  }
  return { options, topicConfig };
}

/** A Confluent duration option (`7 d`, `1 h`, `0`, `-1`…) in milliseconds. */
function durationMs(value: string): string {
  const m = /^(-?\d+)\s*(ms|s|min|h|d)?$/.exec(value.trim());
  if (!m) throw new UnsupportedSqlError(`duration '${value}'`);
  const unit = { ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 }[m[2] ?? "ms"] as number;
  const n = Number(m[1]);
  return String(n < 0 ? -1 : n * unit);
}

/** Columns of `HASH(a, b)` / `(a, b)` or `PRIMARY KEY (a)` tokens, by name. */
const columnNames = (tokens: readonly Token[]): string[] =>
  significant(tokens)
    .filter((t) => t.kind === "word" || t.kind === "quoted")
    .filter((t) => !["HASH", "PRIMARY", "KEY", "NOT", "ENFORCED"].includes(t.text.toUpperCase()))
    .map(nameOf);

function adaptCreateTable(tokens: Token[], kafka: KafkaTarget): AdaptedStatement {
  let i = nextSignificant(tokens, 0);
  const expect = (word: string) => {
    if (!isWord(tokens, i, word)) throw new UnsupportedSqlError(`expected ${word} in CREATE TABLE`);
    i = nextSignificant(tokens, i + 1);
  };
  expect("CREATE");
  expect("TABLE");
  if (isWord(tokens, i, "IF")) {
    expect("IF");
    expect("NOT");
    expect("EXISTS");
  }
  const table = nameOf(tokens[i] as Token);
  const open = nextSignificant(tokens, i + 1);
  if (!isWord(tokens, open, "(")) throw new UnsupportedSqlError("CREATE TABLE without a column list");
  const close = closingParen(tokens, open);

  // The column list, element by element: the primary key is kept or dropped below.
  const elements = splitTopLevel(tokens.slice(open + 1, close), ",");
  const isPrimaryKey = (e: Token[]) => isWord(significant(e), 0, "PRIMARY");
  const primaryKey = elements.find(isPrimaryKey);
  const hasWatermark = elements.some((e) => isWord(significant(e), 0, "WATERMARK"));

  // Between the column list and WITH: nothing, or DISTRIBUTED BY … INTO n BUCKETS.
  let at = nextSignificant(tokens, close + 1);
  let distribution: string[] = [];
  if (isWord(tokens, at, "DISTRIBUTED")) {
    const into = tokens.findIndex((_t, k) => k > at && isWord(tokens, k, "INTO"));
    if (into < 0) throw new UnsupportedSqlError("DISTRIBUTED BY without INTO … BUCKETS");
    distribution = columnNames(tokens.slice(nextSignificant(tokens, at + 1) + 1, into));
    at = nextSignificant(tokens, into + 1);
    at = nextSignificant(tokens, at + 1);
    if (!isWord(tokens, at, "BUCKETS")) throw new UnsupportedSqlError("DISTRIBUTED BY without BUCKETS");
    at = nextSignificant(tokens, at + 1);
  }
  if (!isWord(tokens, at, "WITH")) throw new UnsupportedSqlError(`CREATE TABLE ${table} without WITH`);
  const optionsOpen = nextSignificant(tokens, at + 1);
  const optionsClose = closingParen(tokens, optionsOpen);
  const rest = significant(tokens.slice(optionsClose + 1)).filter((t) => t.text !== ";");
  if (rest.length > 0) throw new UnsupportedSqlError(`text after the WITH options of ${table}`);

  const keyColumns = distribution.length > 0 ? distribution : columnNames(primaryKey ?? []);
  const { options, topicConfig } = translateOptions(
    parseOptions(tokens.slice(optionsOpen + 1, optionsClose)),
    table,
    kafka,
    keyColumns,
  );
  // An append table's key is informational on Confluent; open-source Kafka refuses a primary key on
  // an insert-only format.
  const kept = elements.filter((e) => !(isPrimaryKey(e) && options.connector === "kafka"));
  const columns = [
    ...kept.map((e) => joinTokens(e).trim()),
    "`$rowtime` TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL",
    ...(hasWatermark ? [] : [`WATERMARK FOR \`$rowtime\` AS ${DEFAULT_ROWTIME_WATERMARK}`]),
  ];
  const head = joinTokens(tokens.slice(0, open)).trimEnd();
  const sql = `${head} (\n  ${columns.join(",\n  ")}\n) WITH (\n${optionList(options)}\n)`;
  return { sql, topic: { name: table, partitions: 1, config: topicConfig } };
}

function adaptAlterTableSet(tokens: Token[], kafka: KafkaTarget): AdaptedStatement {
  const words = significant(tokens);
  const set = words.findIndex((t) => t.kind === "word" && t.text.toUpperCase() === "SET");
  const table = words[2];
  if (set !== 3 || !table) throw new UnsupportedSqlError("ALTER TABLE other than ALTER TABLE t SET (…)");
  const open = tokens.indexOf(words[4] as Token);
  const close = closingParen(tokens, open);
  const name = nameOf(table);
  const { options, topicConfig } = translateOptions(
    parseOptions(tokens.slice(open + 1, close)),
    name,
    kafka,
    [],
  );
  if (Object.keys(topicConfig).length > 0) throw new UnsupportedSqlError(`topic options in ALTER ${name}`);
  const head = joinTokens(tokens.slice(0, open)).trimEnd();
  return { sql: `${head} (\n${optionList(options)}\n)` };
}

/** A rendered Confluent statement as open-source Flink runs it. */
export function adaptStatement(sql: string, kafka: KafkaTarget): AdaptedStatement {
  const tokens = tokenize(sql);
  const first = nextSignificant(tokens, 0);
  const second = nextSignificant(tokens, first + 1);
  if (isWord(tokens, first, "CREATE") && isWord(tokens, second, "TABLE")) {
    return adaptCreateTable(tokens, kafka);
  }
  if (isWord(tokens, first, "ALTER") && isWord(tokens, second, "TABLE")) {
    return adaptAlterTableSet(tokens, kafka);
  }
  if (isWord(tokens, first, "CREATE") || isWord(tokens, first, "ALTER") || isWord(tokens, first, "DROP")) {
    throw new UnsupportedSqlError(`statement ${JSON.stringify(sql.slice(0, 40))}`);
  }
  return { sql };
}

/** Confluent statement properties → open-source configuration; an unknown property is refused. */
export function adaptProperties(properties: Readonly<Record<string, string>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(properties)) {
    if (!(key in PROPERTIES)) throw new UnsupportedSqlError(`statement property '${key}'`);
    const target = PROPERTIES[key];
    if (target) out[target] = value;
  }
  return out;
}
