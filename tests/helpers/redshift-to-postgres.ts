import type { Token } from "./sql-tokens";
import type { FunctionRewrite } from "./sql-tokens";
import {
  callArguments,
  isFunctionCall,
  isWord,
  nextSignificant,
  significant,
  tokenize,
  UnsupportedSqlError,
  same,
} from "./sql-tokens";

/**
 * Rewrites a rendered Redshift statement (the analysis views) into Postgres, which Redshift's
 * dialect descends from: only Redshift-only syntax changes, and every function call must be one
 * whose Postgres meaning is known here, so a function that differs is refused, not run.
 */

const DATE_PARTS = new Set(["second", "minute", "hour", "day", "week", "month", "year"]);

/** Redshift function → Postgres expression. Each entry is executed on its own by a test. */
export const REDSHIFT_FUNCTIONS: Readonly<Record<string, FunctionRewrite>> = {
  CAST: same,
  COUNT: same,
  SUM: same,
  MAX: same,
  MIN: same,
  COALESCE: same,
  NULLIF: same,
  DATE_TRUNC: same,
  BTRIM: same,
  SPLIT_PART: same,
  NVL: (args) => `COALESCE(${args.join(", ")})`,
  // The statement's start time in the session time zone (UTC), without fractional seconds.
  GETDATE: (args) => {
    if (args.length > 0) throw new UnsupportedSqlError("GETDATE with arguments");
    return "date_trunc('second', LOCALTIMESTAMP)";
  },
  // DATEADD(part, n, t): t moved by n parts, a TIMESTAMP (also for a DATE t).
  DATEADD: (args, name) => {
    const [part, n, t] = args;
    const unit = part?.replace(/^'(.*)'$/, "$1").toLowerCase() ?? "";
    if (args.length !== 3 || !DATE_PARTS.has(unit)) {
      throw new UnsupportedSqlError(
        `${name}(${args.join(", ")}): date part must be one of ${[...DATE_PARTS]}`,
      );
    }
    return `(${t} + (${n}) * INTERVAL '1 ${unit}')`;
  },
};

/** Redshift-only words with no Postgres meaning here. */
const REFUSED = ["DISTKEY", "SORTKEY", "DISTSTYLE", "ENCODE", "SYSDATE", "TOP", "APPROXIMATE"];

/**
 * Drops `WITH NO SCHEMA BINDING` (late binding): Postgres binds a view when it is created, so the
 * harness creates the tables first.
 */
function withoutSchemaBinding(tokens: Token[]): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const no = nextSignificant(tokens, i + 1);
    const schema = nextSignificant(tokens, no + 1);
    const binding = nextSignificant(tokens, schema + 1);
    if (
      isWord(tokens, i, "WITH") &&
      isWord(tokens, no, "NO") &&
      isWord(tokens, schema, "SCHEMA") &&
      isWord(tokens, binding, "BINDING")
    ) {
      i = binding;
      continue;
    }
    out.push(tokens[i] as Token);
  }
  return out;
}

function translate(tokens: readonly Token[]): string {
  let out = "";
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    const word = t.kind === "word" ? t.text.toUpperCase() : "";
    if (REFUSED.includes(word)) throw new UnsupportedSqlError(`Redshift ${word}`);
    if (!isFunctionCall(tokens, i)) {
      out += t.text;
      continue;
    }
    const rewrite = REDSHIFT_FUNCTIONS[word];
    if (!rewrite) throw new UnsupportedSqlError(`Redshift function ${word}`);
    const { args, close } = callArguments(tokens, nextSignificant(tokens, i + 1));
    out += rewrite(
      args.map((a) => translate(a).trim()),
      word,
    );
    i = close;
  }
  return out;
}

export function redshiftToPostgres(sql: string): string {
  const tokens = withoutSchemaBinding(tokenize(sql.trim().replace(/;\s*$/, "")));
  if (significant(tokens).some((t) => t.text === ";"))
    throw new UnsupportedSqlError("more than one statement");
  return translate(tokens).trim();
}
