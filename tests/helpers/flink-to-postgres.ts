import type { Token } from "./sql-tokens";
import {
  callArguments,
  closingParen,
  isFunctionCall,
  isSignificant,
  isWord,
  nameOf,
  nextSignificant,
  pgIdent,
  significant,
  splitTopLevel,
  tokenize,
  UnsupportedSqlError,
} from "./sql-tokens";
import type { FlinkTable } from "./flink-ddl-to-postgres";
import { checkFlinkHint, FLINK_FUNCTIONS, FLINK_REFUSED } from "./flink-functions";
import { describeCreateTable, flinkTypeToPostgres, translateCreateTable } from "./flink-ddl-to-postgres";

/**
 * Rewrites one rendered Flink SQL statement (as the stacks send it to Confluent Cloud) into
 * Postgres, so tests can execute the statement's own text on an embedded Postgres (PGlite). Only
 * the Flink-only parts change: backticks, Flink types, the window table functions, Flink functions,
 * temporal-join clauses. Anything it does not know is refused with an error naming it, never
 * passed through: a silently mistranslated statement would make the tests prove nothing.
 *
 * Batch semantics: the result is what the streaming job has emitted once every window has closed
 * (no watermark, no late rows); an upsert table is a plain table receiving every emitted row.
 */

const STATEMENTS = new Set(["INSERT", "SELECT", "WITH", "CREATE"]);

/** Rewrites one Flink statement (CREATE TABLE, INSERT … SELECT, SELECT) into Postgres. */
export function flinkToPostgres(sql: string): string {
  const tokens = tokenize(sql.trim().replace(/;\s*$/, ""));
  const first = significant(tokens)[0];
  const verb = first?.text.toUpperCase() ?? "";
  if (!first || first.kind !== "word" || !STATEMENTS.has(verb)) {
    throw new UnsupportedSqlError(`Flink statement ${JSON.stringify(verb || sql.slice(0, 20))}`);
  }
  if (verb === "CREATE") return translateCreateTable(tokens, translateTokens);
  return translateTokens(tokens);
}

/** The columns, key and watermark a Flink CREATE TABLE declares (types and expressions in Postgres). */
export function describeFlinkTable(sql: string): FlinkTable {
  return describeCreateTable(tokenize(sql), translateTokens);
}

/** Rewrites a Flink expression or query fragment (no statement keyword needed). */
export function translateTokens(tokens: readonly Token[]): string {
  let out = "";
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.kind === "comment" && t.text.startsWith("/*+")) {
      checkFlinkHint(t.text);
      out += " ";
      continue;
    }
    if (t.kind === "quoted") {
      if (t.text.startsWith('"')) throw new UnsupportedSqlError(`double-quoted text ${t.text}`);
      out += pgIdent(nameOf(t));
      continue;
    }
    if (t.kind === "punct" && (t.text === ";" || t.text === "=>")) {
      throw new UnsupportedSqlError(t.text === ";" ? "more than one statement" : "named arguments (=>)");
    }
    if (t.kind !== "word") {
      out += t.text;
      continue;
    }
    const word = t.text.toUpperCase();
    const open = nextSignificant(tokens, i + 1);
    const call = isWord(tokens, open, "(");
    const refused = FLINK_REFUSED[word];
    // ROW is refused as the value constructor `ROW(…)`; a bare ROW (`CURRENT ROW`, the end of an OVER
    // window's frame) reads in Postgres as in Flink.
    if (refused && (word !== "ROW" || call)) throw new UnsupportedSqlError(refused);
    // Flink names are case-sensitive; Postgres folds unquoted ones, so a qualified column keeps its case.
    if (t.text === "$rowtime" || (afterDot(tokens, i) && !call)) {
      out += pgIdent(t.text);
      continue;
    }
    if (word === "FOR" && isWord(tokens, open, "SYSTEM_TIME")) {
      i = skipSystemTime(tokens, open);
    } else if (word === "CAST" && call) {
      const close = closingParen(tokens, open);
      const parts = splitTopLevel(tokens.slice(open + 1, close), "AS");
      if (parts.length !== 2) throw new UnsupportedSqlError("CAST without exactly one AS <type>");
      const [expr, type] = parts as [Token[], Token[]];
      out += `CAST(${translateTokens(expr).trim()} AS ${flinkTypeToPostgres(type)})`;
      i = close;
    } else if (isFunctionCall(tokens, i)) {
      const rewrite = FLINK_FUNCTIONS[word];
      if (!rewrite) throw new UnsupportedSqlError(`Flink function ${word}`);
      const { args, close } = callArguments(tokens, open);
      out += rewrite(
        args.map((a) => translateTokens(a).trim()),
        word,
      );
      i = close;
    } else {
      out += t.text;
    }
  }
  return out;
}

function afterDot(tokens: readonly Token[], i: number): boolean {
  let k = i - 1;
  while (k >= 0 && !isSignificant(tokens[k] as Token)) k--;
  return tokens[k]?.kind === "punct" && tokens[k]?.text === ".";
}

/**
 * `FOR SYSTEM_TIME AS OF <time attribute>` (a temporal join) is dropped: the batch tables hold one
 * version per key, so the version as of any time is that one. Returns the index of its last token.
 */
function skipSystemTime(tokens: readonly Token[], systemTime: number): number {
  const as = nextSignificant(tokens, systemTime + 1);
  const of = nextSignificant(tokens, as + 1);
  if (!isWord(tokens, as, "AS") || !isWord(tokens, of, "OF")) {
    throw new UnsupportedSqlError("FOR SYSTEM_TIME without AS OF");
  }
  let i = nextSignificant(tokens, of + 1);
  const isName = (k: number) => tokens[k]?.kind === "word" || tokens[k]?.kind === "quoted";
  if (!isName(i)) throw new UnsupportedSqlError("FOR SYSTEM_TIME AS OF anything but a column");
  while (isWord(tokens, i + 1, ".") && isName(i + 2)) i += 2;
  if (isWord(tokens, nextSignificant(tokens, i + 1), "(")) {
    throw new UnsupportedSqlError("FOR SYSTEM_TIME AS OF anything but a column");
  }
  return tokens[i + 1]?.kind === "space" ? i + 1 : i;
}
