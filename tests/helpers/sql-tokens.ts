/**
 * A small SQL tokenizer for the dialect rewrites in this folder: enough to tell identifiers,
 * literals, comments and parentheses apart, so a rewrite never touches text inside a string or a
 * quoted name, and always sees whole, balanced argument lists.
 */

export type TokenKind = "space" | "comment" | "string" | "quoted" | "word" | "number" | "punct";

export interface Token {
  readonly kind: TokenKind;
  readonly text: string;
}

/** Thrown for SQL the rewrites do not understand; the message names the construct. */
export class UnsupportedSqlError extends Error {
  override name = "UnsupportedSqlError";
}

const PATTERNS: readonly [TokenKind, RegExp][] = [
  ["space", /\s+/y],
  ["comment", /--[^\n]*/y],
  ["comment", /\/\*[\s\S]*?\*\//y],
  ["string", /'(?:[^']|'')*'/y],
  ["quoted", /`(?:[^`]|``)*`/y],
  ["quoted", /"(?:[^"]|"")*"/y],
  ["word", /[A-Za-z_$][A-Za-z0-9_$]*/y],
  ["number", /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y],
  ["punct", /\|\||<=|>=|<>|!=|=>|::|[(),.;*+\-/%=<>[\]{}?:!|&^~@#]/y],
];

export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let at = 0;
  next: while (at < sql.length) {
    for (const [kind, re] of PATTERNS) {
      re.lastIndex = at;
      const m = re.exec(sql);
      if (m) {
        tokens.push({ kind, text: m[0] });
        at += m[0].length;
        continue next;
      }
    }
    throw new UnsupportedSqlError(`cannot tokenize SQL at ${JSON.stringify(sql.slice(at, at + 20))}`);
  }
  return tokens;
}

export const isSignificant = (t: Token): boolean => t.kind !== "space" && t.kind !== "comment";

/** Index of the next significant token at or after `from` (tokens.length when none). */
export function nextSignificant(tokens: readonly Token[], from: number): number {
  let i = from;
  while (i < tokens.length && !isSignificant(tokens[i] as Token)) i++;
  return i;
}

/** True when `tokens[i]` is the word `word` (case-insensitive) or the punctuation `word`. */
export function isWord(tokens: readonly Token[], i: number, word: string): boolean {
  const t = tokens[i];
  if (!t) return false;
  if (t.kind === "punct") return t.text === word;
  return t.kind === "word" && t.text.toUpperCase() === word;
}

/** Index of the `)` that closes the `(` at `open`. */
export function closingParen(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.kind !== "punct") continue;
    if (t.text === "(") depth++;
    if (t.text === ")" && --depth === 0) return i;
  }
  throw new UnsupportedSqlError("unbalanced parentheses");
}

/** Splits `tokens` at top-level occurrences of `separator` (a punctuation or word, case-insensitive). */
export function splitTopLevel(tokens: readonly Token[], separator: string): Token[][] {
  const parts: Token[][] = [[]];
  let depth = 0;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i] as Token;
    if (t.kind === "punct" && t.text === "(") depth++;
    if (t.kind === "punct" && t.text === ")") depth--;
    if (depth === 0 && isWord(tokens, i, separator)) parts.push([]);
    else (parts[parts.length - 1] as Token[]).push(t);
  }
  return parts;
}

export const significant = (tokens: readonly Token[]): Token[] => tokens.filter(isSignificant);

export const joinTokens = (tokens: readonly Token[]): string => tokens.map((t) => t.text).join("");

/** The name a quoted (`x` or "x") or plain word token stands for. */
export function nameOf(t: Token): string {
  if (t.kind === "word") return t.text;
  if (t.kind === "quoted") {
    const q = t.text[0] as string;
    return t.text
      .slice(1, -1)
      .split(q + q)
      .join(q);
  }
  throw new UnsupportedSqlError(`expected a name, found ${JSON.stringify(t.text)}`);
}

/** Words a `(` may follow without being a function call. */
const PAREN_KEYWORDS = new Set(
  "AS IN EXISTS VALUES OVER AND OR NOT ON FROM JOIN WHERE SELECT THEN ELSE WHEN FILTER BY USING ALL ANY SOME DISTINCT HAVING LIKE UNION EXCEPT INTERSECT WITH CASE IS".split(
    " ",
  ),
);

/** Tokens after which a word followed by `(` names a table or a type, not a function. */
const NOT_A_CALL_AFTER = new Set(["INTO", "TABLE", "VIEW", "AS", "::", "."]);

/** True when the word at `i` is a function name: `name(` in an expression. */
export function isFunctionCall(tokens: readonly Token[], i: number): boolean {
  const t = tokens[i];
  if (t?.kind !== "word" || PAREN_KEYWORDS.has(t.text.toUpperCase())) return false;
  if (!isWord(tokens, nextSignificant(tokens, i + 1), "(")) return false;
  let k = i - 1;
  while (k >= 0 && !isSignificant(tokens[k] as Token)) k--;
  return k < 0 || !NOT_A_CALL_AFTER.has((tokens[k] as Token).text.toUpperCase());
}

/** The arguments of the call whose `(` is at `open` (none for `f()`), and the index of its `)`. */
export function callArguments(tokens: readonly Token[], open: number): { args: Token[][]; close: number } {
  const close = closingParen(tokens, open);
  const inner = tokens.slice(open + 1, close);
  return { args: significant(inner).length === 0 ? [] : splitTopLevel(inner, ","), close };
}

/** A Postgres quoted identifier. */
export const pgIdent = (name: string): string => `"${name.replace(/"/g, '""')}"`;

/** How one function call is written in Postgres, from its arguments' text and its name. */
export type FunctionRewrite = (args: string[], name: string) => string;

/** A function Postgres has under the same name with the same meaning. */
export const same: FunctionRewrite = (args, name) => `${name}(${args.join(", ")})`;
