import { PGlite } from "@electric-sql/pglite";
import { sourceTableStatements } from "../../stacks/connector/flink-statements";
import type { FlinkTable } from "./flink-ddl-to-postgres";
import { describeFlinkTable, flinkToPostgres } from "./flink-to-postgres";
import { redshiftToPostgres } from "./redshift-to-postgres";
import { pgIdent } from "./sql-tokens";

/**
 * Executes the repo's own rendered SQL on an embedded Postgres (PGlite, WASM): Flink statements
 * through flink-to-postgres.ts, Redshift views through redshift-to-postgres.ts, over rows of the
 * connector's source tables. Start one engine per test file (start-up takes about a second);
 * every run starts from fresh schemas.
 */

export type Row = Readonly<Record<string, unknown>>;

/** Rows of the connector's source tables, under the column names their Flink tables declare. */
export interface SourceRows {
  readonly auth_user: readonly Row[];
  readonly user_transaction: readonly Row[];
}

/** The connector stack's source tables, from its own rendered CREATE TABLE statements. */
export function connectorSourceTables(): string[] {
  return sourceTableStatements({ topicPrefix: "fd", schema: "SAMPLE", buckets: 6 })
    .filter((s) => s.key.startsWith("create-"))
    .map((s) => s.sql);
}

const physicalColumns = (t: FlinkTable) => t.columns.filter((c) => c.computed === undefined);

let sharedEngine: Promise<SqlEngine> | undefined;

export class SqlEngine {
  private constructor(private readonly db: PGlite) {}

  private static async start(): Promise<SqlEngine> {
    const db = new PGlite();
    // Window starts are wall-clock times in the session time zone, UTC as on Confluent Cloud.
    await db.exec("SET TimeZone = 'UTC'");
    return new SqlEngine(db);
  }

  /**
   * One engine per process, started on first use: every run drops and recreates its schema, and a
   * PGlite start costs seconds of CPU, which test files sharing a process then pay once.
   */
  static shared(): Promise<SqlEngine> {
    sharedEngine ??= SqlEngine.start();
    return sharedEngine;
  }

  async query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.db.query<T>(sql, params)).rows;
  }

  /**
   * Loads `rows` into the connector's source tables (created from their own Flink DDL in a fresh
   * `flink` schema), then rewrites and runs `statements`, rendered Flink SQL, in order.
   */
  async runFlink(statements: readonly string[], rows: SourceRows): Promise<void> {
    await this.db.exec("DROP SCHEMA IF EXISTS flink CASCADE; CREATE SCHEMA flink; SET search_path TO flink");
    for (const sql of connectorSourceTables()) {
      const table = describeFlinkTable(sql);
      await this.db.exec(flinkToPostgres(sql));
      const allowed = [...physicalColumns(table).map((c) => c.name), "$rowtime"];
      await this.insert(pgIdent(table.name), allowed, sourceRows(rows, table.name), pgIdent);
    }
    for (const sql of statements) await this.exec(flinkToPostgres(sql), sql);
  }

  /** Loads `rows` as `runFlink` does, then rewrites and runs one rendered Flink SELECT. */
  async queryFlink<T = Record<string, unknown>>(select: string, rows: SourceRows): Promise<T[]> {
    await this.runFlink([], rows);
    return this.query<T>(flinkToPostgres(select));
  }

  /**
   * Loads `rows` into the tables the Redshift sink creates from the same topics (their physical
   * columns, lower-case, in `public`), then rewrites and runs the rendered Redshift `statements`.
   */
  async runRedshift(statements: readonly string[], rows: SourceRows): Promise<void> {
    await this.db.exec(
      "DROP SCHEMA IF EXISTS fraud CASCADE; DROP SCHEMA IF EXISTS public CASCADE; CREATE SCHEMA public; SET search_path TO public",
    );
    for (const sql of connectorSourceTables()) {
      const table = describeFlinkTable(sql);
      const columns = physicalColumns(table);
      const defs = columns.map((c) => `${pgIdent(c.name.toLowerCase())} ${c.type}`);
      await this.db.exec(`CREATE TABLE public.${pgIdent(table.name)} (${defs.join(", ")})`);
      const lower = (name: string) => pgIdent(name.toLowerCase());
      const physical = sourceRows(rows, table.name).map((r) => withoutKey(r, "$rowtime"));
      await this.insert(
        `public.${pgIdent(table.name)}`,
        columns.map((c) => c.name),
        physical,
        lower,
      );
    }
    for (const sql of statements) await this.exec(redshiftToPostgres(sql), sql);
  }

  private async exec(pg: string, original: string): Promise<void> {
    try {
      await this.db.exec(pg);
    } catch (e) {
      throw new Error(`${String(e)}\n-- statement as rendered:\n${original}\n-- as run:\n${pg}`, {
        cause: e,
      });
    }
  }

  private async insert(
    table: string,
    allowed: readonly string[],
    rows: readonly Row[],
    column: (name: string) => string,
  ): Promise<void> {
    for (const row of rows) {
      const unknown = Object.keys(row).filter((k) => !allowed.includes(k));
      if (unknown.length > 0) throw new Error(`${table} has no column ${unknown.join(", ")}: ${allowed}`);
    }
    for (let at = 0; at < rows.length; at += 500) {
      const chunk = rows.slice(at, at + 500);
      const names = [...new Set(chunk.flatMap((r) => Object.keys(r)))];
      const params: unknown[] = [];
      const value = (v: unknown) => (v === undefined ? "DEFAULT" : `$${params.push(v)}`);
      const tuples = chunk.map((r) => `(${names.map((n) => value(r[n])).join(", ")})`);
      await this.db.query(
        `INSERT INTO ${table} (${names.map(column).join(", ")}) VALUES ${tuples.join(", ")}`,
        params,
      );
    }
  }
}

function sourceRows(rows: SourceRows, table: string): readonly Row[] {
  if (table !== "auth_user" && table !== "user_transaction") throw new Error(`no rows for table ${table}`);
  return rows[table];
}

function withoutKey(row: Row, key: string): Row {
  return Object.fromEntries(Object.entries(row).filter(([k]) => k !== key));
}
