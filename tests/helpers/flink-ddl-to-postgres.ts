import type { Token } from "./sql-tokens";
import {
  closingParen,
  isWord,
  nameOf,
  nextSignificant,
  pgIdent,
  significant,
  splitTopLevel,
  UnsupportedSqlError,
} from "./sql-tokens";

/**
 * Flink CREATE TABLE → Postgres, for the dialect rewrite in flink-to-postgres.ts. The Kafka
 * options (WITH, DISTRIBUTED BY), the watermark and the NOT ENFORCED primary key have no batch
 * meaning and are dropped; every table gets Confluent's `$rowtime` system column (the Kafka append
 * time, loaded with the rows or stamped on insert). A table with computed columns becomes a plain
 * `<name>$physical` table under a view `<name>` that computes them, as Flink does on read: rows
 * are inserted into the view's physical columns.
 */

export interface FlinkColumn {
  readonly name: string;
  /** Postgres type of a physical column. */
  readonly type?: string;
  readonly notNull: boolean;
  /** Postgres expression of a computed column. */
  readonly computed?: string;
}

export interface FlinkTable {
  readonly name: string;
  readonly ifNotExists: boolean;
  readonly columns: readonly FlinkColumn[];
  readonly primaryKey: readonly string[];
  /** The column the watermark is declared on. */
  readonly watermark?: string;
}

type Translate = (tokens: readonly Token[]) => string;

const num = (tokens: readonly Token[]) => significant(tokens).filter((t) => t.kind === "number");

/** A Flink data type → the Postgres type holding the same values (Flink's default precisions). */
export function flinkTypeToPostgres(tokens: readonly Token[]): string {
  const s = significant(tokens);
  const words = s.filter((t) => t.kind === "word").map((t) => t.text.toUpperCase());
  const base = words[0] ?? "";
  const open = s.findIndex((t) => t.text === "(");
  const args = open < 0 ? [] : num(s.slice(open, s.findIndex((t) => t.text === ")") + 1)).map((t) => t.text);
  const rest = words.slice(1).join(" ");
  const p = (fallback: string) => args[0] ?? fallback;
  const plain = (pg: string) => {
    if (args.length > 0 || rest) throw new UnsupportedSqlError(`Flink type ${base} ${rest}`.trim());
    return pg;
  };
  switch (base) {
    case "STRING":
      return plain("text");
    case "BOOLEAN":
      return plain("boolean");
    case "TINYINT":
      return plain("smallint");
    case "SMALLINT":
    case "INT":
    case "INTEGER":
    case "BIGINT":
      return plain(base.toLowerCase());
    case "FLOAT":
      return plain("real");
    case "DOUBLE":
      if (rest !== "" && rest !== "PRECISION") break;
      return "double precision";
    case "DECIMAL":
    case "DEC":
    case "NUMERIC":
      return `numeric(${p("10")}, ${args[1] ?? "0"})`;
    case "VARCHAR":
    case "CHAR":
      return `${base.toLowerCase()}(${p("1")})`;
    case "BYTES":
      return plain("bytea");
    case "DATE":
      return plain("date");
    case "TIMESTAMP_LTZ":
      return `timestamptz(${p("6")})`;
    case "TIMESTAMP":
      if (rest === "WITH LOCAL TIME ZONE") return `timestamptz(${p("6")})`;
      if (rest === "" || rest === "WITHOUT TIME ZONE") return `timestamp(${p("6")})`;
      break;
  }
  throw new UnsupportedSqlError(`Flink type ${s.map((t) => t.text).join(" ")}`);
}

function parseColumn(entry: readonly Token[], translate: Translate, pk: string[]): FlinkColumn {
  const s = significant(entry);
  const name = nameOf(s[0] as Token);
  if (isWord(s, 1, "AS")) {
    const as = entry.findIndex((_t, i) => isWord(entry, i, "AS"));
    return { name, notNull: false, computed: translate(entry.slice(as + 1)).trim() };
  }
  const end = s.findIndex((t, i) => i > 0 && /^(NOT|METADATA|COMMENT|PRIMARY)$/i.test(t.text));
  const tail = s.slice(end < 0 ? s.length : end).map((t) => t.text.toUpperCase());
  let notNull = false;
  for (let i = 0; i < tail.length; i++) {
    const w = tail[i];
    if (w === "NOT" && tail[i + 1] === "NULL") [notNull, i] = [true, i + 1];
    else if (w === "COMMENT") i += 1;
    else if (w === "PRIMARY" && tail.slice(i + 1, i + 4).join(" ") === "KEY NOT ENFORCED") {
      pk.push(name);
      i += 3;
    } else throw new UnsupportedSqlError(`column ${name}: ${w} (metadata or unknown column option)`);
  }
  return { name, notNull, type: flinkTypeToPostgres(s.slice(1, end < 0 ? s.length : end)) };
}

function parseConstraint(entry: readonly Token[], pk: string[]): void {
  const s = significant(entry);
  const words = s.map((t) => t.text.toUpperCase());
  if (words.slice(-2).join(" ") !== "NOT ENFORCED") {
    throw new UnsupportedSqlError("a primary key that is not NOT ENFORCED");
  }
  const open = s.findIndex((t) => t.text === "(");
  pk.push(
    ...s
      .slice(open + 1, closingParen(s, open))
      .filter((t) => t.text !== ",")
      .map(nameOf),
  );
}

/** Parses `CREATE TABLE [IF NOT EXISTS] name (columns…) [DISTRIBUTED BY …] [WITH (…)]`. */
export function describeCreateTable(tokens: readonly Token[], translate: Translate): FlinkTable {
  let i = nextSignificant(tokens, nextSignificant(tokens, 0) + 1);
  if (!isWord(tokens, i, "TABLE")) throw new UnsupportedSqlError(`CREATE ${tokens[i]?.text ?? ""}`);
  i = nextSignificant(tokens, i + 1);
  const ifNotExists = isWord(tokens, i, "IF");
  if (ifNotExists)
    i = nextSignificant(tokens, nextSignificant(tokens, nextSignificant(tokens, i + 1) + 1) + 1);
  const name = nameOf(tokens[i] as Token);
  const open = nextSignificant(tokens, i + 1);
  if (!isWord(tokens, open, "(")) throw new UnsupportedSqlError(`CREATE TABLE ${name} without a column list`);
  const close = closingParen(tokens, open);
  const primaryKey: string[] = [];
  let watermark: string | undefined;
  const columns: FlinkColumn[] = [];
  for (const entry of splitTopLevel(tokens.slice(open + 1, close), ",")) {
    const first = significant(entry)[0]?.text.toUpperCase();
    if (first === "PRIMARY" || first === "CONSTRAINT") parseConstraint(entry, primaryKey);
    else if (first === "WATERMARK") watermark = nameOf(significant(entry)[2] as Token);
    else columns.push(parseColumn(entry, translate, primaryKey));
  }
  const tail = tokens.slice(close + 1);
  for (let k = nextSignificant(tail, 0); k < tail.length; k = nextSignificant(tail, k + 1)) {
    const word = tail[k]?.text.toUpperCase();
    if (word === "DISTRIBUTED") while (k < tail.length && !isWord(tail, k, "BUCKETS")) k++;
    else if (word === "WITH") k = closingParen(tail, nextSignificant(tail, k + 1));
    else if (word === "COMMENT") k = nextSignificant(tail, k + 1);
    else throw new UnsupportedSqlError(`CREATE TABLE ${name} … ${word ?? ""}`);
  }
  return { name, ifNotExists, columns, primaryKey, ...(watermark ? { watermark } : {}) };
}

const ROWTIME_COLUMN = '"$rowtime" timestamptz(3) NOT NULL DEFAULT clock_timestamp()';

/** The Postgres statements creating `table` (a table, or a physical table and a view). */
export function createTableStatements(table: FlinkTable): string {
  const physical = table.columns.filter((c) => c.computed === undefined);
  const columnDefs = physical.map((c) => `${pgIdent(c.name)} ${c.type}${c.notNull ? " NOT NULL" : ""}`);
  const create = (name: string) =>
    `CREATE TABLE ${table.ifNotExists ? "IF NOT EXISTS " : ""}${pgIdent(name)} ` +
    `(${[...columnDefs, ROWTIME_COLUMN].join(", ")})`;
  if (physical.length === table.columns.length) return create(table.name);
  const select = table.columns.map((c) =>
    c.computed === undefined ? pgIdent(c.name) : `${c.computed} AS ${pgIdent(c.name)}`,
  );
  return (
    `${create(`${table.name}$physical`)};\n` +
    `CREATE VIEW ${pgIdent(table.name)} AS SELECT ${[...select, '"$rowtime"'].join(", ")} ` +
    `FROM ${pgIdent(`${table.name}$physical`)}`
  );
}

export function translateCreateTable(tokens: readonly Token[], translate: Translate): string {
  return createTableStatements(describeCreateTable(tokens, translate));
}
