import {
  callArguments,
  isWord,
  joinTokens,
  significant,
  splitTopLevel,
  tokenize,
  UnsupportedSqlError,
  same,
} from "./sql-tokens";
import type { FunctionRewrite } from "./sql-tokens";

/**
 * The Flink functions, refused words and hints flink-to-postgres.ts knows. A Flink function is
 * listed only once its Postgres form is known to compute Flink's result; a test executes each.
 */

function arity(name: string, args: string[], n: number): void {
  if (args.length !== n)
    throw new UnsupportedSqlError(`Flink function ${name} with ${args.length} arguments`);
}

/** Flink function → Postgres expression. Each entry is executed on its own by a test. */
export const FLINK_FUNCTIONS: Readonly<Record<string, FunctionRewrite>> = {
  // Same name, same result for the types the rules use (both skip NULLs where Flink does).
  COUNT: same,
  SUM: same,
  MAX: same,
  MIN: same,
  COALESCE: same,
  NULLIF: same,
  CONCAT_WS: same,
  LOWER: same,
  UPPER: same,
  ROW_NUMBER: same,
  LAG: same,
  LEAD: same,
  // Flink's CONCAT is NULL when any argument is; Postgres's concat() skips NULLs, `||` does not.
  CONCAT: (args) => `(${args.map((a) => `CAST(${a} AS text)`).join(" || ")})`,
  // 0-based, NULL past the end (Postgres split_part is 1-based and returns '' there).
  SPLIT_INDEX: (args, name) => {
    arity(name, args, 3);
    const [s, d, i] = args as [string, string, string];
    return `(string_to_array(${s}, ${d}))[(${i}) + 1]`;
  },
  // Java's regular expressions and Postgres's advanced ones agree on what the rules use: anchors,
  // (?:…) groups, alternation and [.] classes; both give NULL for a NULL input.
  REGEXP: (args, name) => {
    arity(name, args, 2);
    const [s, pattern] = args as [string, string];
    return `(${s} ~ ${pattern})`;
  },
  // Epoch seconds (precision 0) or milliseconds (3) → an instant.
  TO_TIMESTAMP_LTZ: (args, name) => {
    arity(name, args, 2);
    const [n, precision] = args as [string, string];
    const unit = { "0": "second", "3": "millisecond" }[precision.trim()];
    if (!unit) throw new UnsupportedSqlError(`${name} with precision ${precision}`);
    return `(TIMESTAMPTZ 'epoch' + (${n}) * INTERVAL '1 ${unit}')`;
  },
};

/** Words that end a Flink-only construct this rewrite does not translate, with what it is. */
export const FLINK_REFUSED: Readonly<Record<string, string>> = {
  MATCH_RECOGNIZE: "MATCH_RECOGNIZE (pattern recognition)",
  LATERAL: "LATERAL TABLE (table function join)",
  UNNEST: "UNNEST (array expansion)",
  DESCRIPTOR: "DESCRIPTOR (a window table function)",
  PROCTIME: "PROCTIME() (processing time)",
  CURRENT_WATERMARK: "CURRENT_WATERMARK",
  CURRENT_TIMESTAMP: "CURRENT_TIMESTAMP (processing time)",
  LOCALTIMESTAMP: "LOCALTIMESTAMP (processing time)",
  CURRENT_DATE: "CURRENT_DATE (processing time)",
  NOW: "NOW() (processing time)",
  OVERWRITE: "INSERT OVERWRITE",
  ARRAY: "ARRAY values",
  MAP: "MAP values",
  MULTISET: "MULTISET values",
  ROW: "ROW values",
};

/**
 * Hints that do not change what a batch run computes are accepted (and dropped): `STATE_TTL` (state
 * expiry is not simulated) and `OPTIONS` setting only where the source starts reading (the batch
 * reads every row it is given: what arrives after the job starts). Any other hint is refused.
 */
export function checkFlinkHint(comment: string): void {
  for (const hint of splitTopLevel(tokenize(comment.slice(3, -2)), ",")) {
    const s = significant(hint);
    const name = s[0]?.text.toUpperCase();
    if (name === "STATE_TTL") continue;
    if (name === "OPTIONS" && isWord(s, 1, "(")) {
      const keys = callArguments(s, 1).args.map((a) => significant(a)[0]?.text ?? "");
      if (keys.every((k) => k.startsWith("'scan.startup."))) continue;
    }
    throw new UnsupportedSqlError(`SQL hint ${joinTokens(hint).trim()}`);
  }
}
