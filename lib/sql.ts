import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import * as path from "node:path";

/**
 * SQL files under `sql/` are templates with `{{name}}` placeholders. Every placeholder is filled
 * with a typed parameter that escapes or validates its value by construction, so a hostile config
 * value can never change the statement's structure.
 */

export const SQL_ROOT = path.resolve(__dirname, "..", "sql");

export type SqlParam =
  | { readonly kind: "ident"; readonly value: string }
  | { readonly kind: "string"; readonly value: string }
  | { readonly kind: "int"; readonly value: number }
  | { readonly kind: "decimal"; readonly value: number }
  | { readonly kind: "interval"; readonly value: string };

/** Thrown when a template and its parameters do not fit, or a value is unsafe. */
export class SqlTemplateError extends Error {
  override name = "SqlTemplateError";
}

const IDENT = /^[A-Za-z_][A-Za-z0-9_.$-]*$/;

/** An identifier (table, column, topic): validated, then back-quoted. */
export function ident(value: string): SqlParam {
  if (!IDENT.test(value) || value.length > 255) {
    throw new SqlTemplateError(
      `identifier ${JSON.stringify(value)} may contain only letters, digits, "_", ".", "-", "$" and must start with a letter or "_"`,
    );
  }
  return { kind: "ident", value };
}

/**
 * A string literal: single quotes doubled; control characters and backslashes refused. A backslash
 * is a plain character in Flink (standard SQL) but an escape in Redshift literals (its
 * QUOTE_LITERAL doubles backslashes), where a backslash before a doubled quote ends the literal
 * early; refusing it keeps one rendering safe in both dialects.
 */
export function sqlString(value: string): SqlParam {
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f]/.test(value)) {
    throw new SqlTemplateError(`string ${JSON.stringify(value)} contains control characters`);
  }
  if (value.includes("\\")) {
    throw new SqlTemplateError(
      `string ${JSON.stringify(value)} contains a backslash (an escape character in Redshift literals)`,
    );
  }
  return { kind: "string", value };
}

/** A whole number. */
export function sqlInt(value: number): SqlParam {
  if (!Number.isSafeInteger(value)) throw new SqlTemplateError(`${value} is not a whole number`);
  return { kind: "int", value };
}

/** A finite decimal number. */
export function sqlDecimal(value: number): SqlParam {
  if (!Number.isFinite(value)) throw new SqlTemplateError(`${value} is not a finite number`);
  return { kind: "decimal", value };
}

const UNIT_SECONDS = { SECOND: 1, MINUTE: 60, HOUR: 3600, DAY: 86_400 } as const;

/** `10 MINUTE` → its count, unit and length in seconds; any other form is refused. */
function parseInterval(value: string) {
  const m = /^([1-9][0-9]{0,5}) (SECOND|MINUTE|HOUR|DAY)$/.exec(value);
  if (!m) {
    throw new SqlTemplateError(
      `interval ${JSON.stringify(value)} must look like "10 MINUTE" (SECOND, MINUTE, HOUR or DAY)`,
    );
  }
  const n = Number(m[1]);
  const unit = m[2] as keyof typeof UNIT_SECONDS;
  return { n, unit, seconds: n * UNIT_SECONDS[unit] };
}

/** A Flink interval such as `10 MINUTE` / `1 HOUR` (rendered `INTERVAL '10' MINUTE`). */
export function sqlInterval(value: string): SqlParam {
  parseInterval(value);
  return { kind: "interval", value };
}

/** The length of a `sqlInterval` value such as `5 SECOND`, in seconds. */
export function intervalSeconds(value: string): number {
  return parseInterval(value).seconds;
}

/**
 * Flink reads `INTERVAL 'n' UNIT` with the SQL standard's default leading precision of 2, so it
 * refuses n above 99 (and takes no wider precision in expressions). A larger value is written as
 * days and a time of day, `INTERVAL 'd hh:mm:ss' DAY TO SECOND`, which it accepts everywhere up to
 * 99 days; values of 99 or less keep their short form (and their statements' hashes).
 */
function renderInterval(value: string): string {
  const { n, unit, seconds: total } = parseInterval(value);
  if (n <= 99) return `INTERVAL '${n}' ${unit}`;
  const days = Math.floor(total / 86_400);
  if (days > 99) throw new SqlTemplateError(`interval ${JSON.stringify(value)} is longer than 99 days`);
  const pad = (x: number) => String(x).padStart(2, "0");
  const time = [Math.floor(total / 3600) % 24, Math.floor(total / 60) % 60, total % 60].map(pad).join(":");
  return `INTERVAL '${days} ${time}' DAY TO SECOND`;
}

function renderParam(p: SqlParam): string {
  switch (p.kind) {
    case "ident":
      return "`" + p.value.replace(/`/g, "``") + "`";
    case "string":
      return "'" + p.value.replace(/'/g, "''") + "'";
    case "int":
      return String(p.value);
    case "decimal":
      return p.value.toFixed(2);
    case "interval":
      return renderInterval(p.value);
  }
}

const PLACEHOLDER = /\{\{\s*([a-zA-Z][a-zA-Z0-9_]*)\s*\}\}/g;

/** Fills `{{name}}` placeholders; a missing or unused parameter is an error naming it. */
export function renderSql(template: string, params: Readonly<Record<string, SqlParam>>): string {
  const used = new Set<string>();
  const out = template.replace(PLACEHOLDER, (_m, name: string) => {
    const p = params[name];
    if (!p) throw new SqlTemplateError(`template placeholder {{${name}}} has no parameter`);
    used.add(name);
    return renderParam(p);
  });
  const unused = Object.keys(params).filter((k) => !used.has(k));
  if (unused.length > 0)
    throw new SqlTemplateError(`parameters not used by the template: ${unused.join(", ")}`);
  return out.trim().replace(/;\s*$/, "");
}

/**
 * Drops whole-line `--` comments: they document the .sql files, but are not sent to Flink or
 * Redshift, and editing one must not change a statement's hash (that would replace a running
 * statement and replay its source topic).
 */
export function withoutCommentLines(sql: string): string {
  return sql
    .split("\n")
    .filter((line) => !/^\s*--/.test(line))
    .join("\n")
    .trim();
}

/** Reads `sql/<relative>` and renders it. */
export function renderSqlFile(relative: string, params: Readonly<Record<string, SqlParam>>): string {
  return renderSql(readFileSync(path.join(SQL_ROOT, relative), "utf8"), params);
}

/** First 8 hex characters of the SHA-256 of the rendered statement. */
function sqlHash(sql: string): string {
  return createHash("sha256").update(sql).digest("hex").slice(0, 8);
}

/**
 * A Flink statement name that changes whenever the SQL changes, so an edit replaces the statement
 * instead of failing to update a running one. Confluent statement names: lowercase letters,
 * digits and hyphens, at most 72 characters.
 */
export function statementName(base: string, sql: string): string {
  const clean = base
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^-+|-+$/g, "");
  return `${clean.slice(0, 63)}-${sqlHash(sql)}`;
}
