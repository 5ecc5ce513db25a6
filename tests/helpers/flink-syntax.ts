import { FlinkSQL } from "dt-sql-parser";

/**
 * Flink SQL syntax checks for the tests: the open-source Flink grammar of dt-sql-parser, after
 * rewriting the Confluent-only syntax it rejects. What runs on Confluent Cloud is the original text.
 */

/**
 * `DISTRIBUTED BY [HASH](cols) INTO n BUCKETS` is dropped and the `$rowtime` system column is
 * renamed: both are Confluent Cloud extensions the open-source grammar does not know.
 */
export function toOpenSourceFlink(sql: string): string {
  return sql
    .replace(/DISTRIBUTED\s+BY\s+(HASH\s*)?\([^)]*\)\s*INTO\s+\d+\s+BUCKETS/gi, "")
    .replace(/`?\$rowtime`?/g, "`rowtime_`");
}

export interface SqlProblem {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

let parser: FlinkSQL | undefined;

/** Parses one statement with the Flink SQL grammar; returns its syntax errors. */
export function flinkSyntaxErrors(sql: string): SqlProblem[] {
  parser ??= new FlinkSQL();
  return parser
    .validate(toOpenSourceFlink(sql))
    .map((e) => ({ line: e.startLine, column: e.startColumn, message: e.message }));
}
