import ipaddr from "ipaddr.js";
import { ident, renderSql, sqlString } from "../../../lib/sql";
import type { SqlParam } from "../../../lib/sql";
import { checkCanonicalCidr } from "../../../lib/validators";

/**
 * Blocked IP ranges → a SQL predicate over the transaction's IP address text.
 *
 * The predicate is built only from the octets of parsed, validated CIDRs, and every literal goes
 * through lib/sql.ts's typed parameters, so a hostile config value can never reach the SQL text.
 * It compares strings, never casts: an IPv6 address or garbage simply does not match, and no
 * runtime CAST can fail inside a long-running job. A property test executes the predicate in both
 * dialects and checks it against ipaddr.js's CIDR membership.
 */

/** At most this many ranges: the predicate is inlined into a long-running Flink statement. */
export const MAX_BLOCKED_RANGES = 64;

/** An address matches when its text is one of `addresses` (all the /32 ranges, one IN list). */
export interface ExactMatcher {
  readonly kind: "exact";
  readonly addresses: readonly string[];
}

/**
 * An address matches when its first `octets.length` octets are `octets` (a LIKE 'a.b.%' test) and,
 * for a prefix that is not a multiple of 8, the next octet is one of `next.values`.
 */
export interface PrefixMatcher {
  readonly kind: "prefix";
  readonly octets: readonly number[];
  readonly next?: { readonly index: number; readonly values: readonly number[] };
}

export type IpMatcher = ExactMatcher | PrefixMatcher;

/** A blocked range: an IPv4 CIDR in canonical form, /8 to /32. Returns what is wrong, or undefined. */
export function checkBlockedCidr(value: string): string | undefined {
  if (!ipaddr.IPv4.isValidCIDR(value)) {
    return "must be an IPv4 CIDR such as 1.1.1.1/32 or 91.121.0.0/16 (the app's blocked addresses are IPv4)";
  }
  const [, bits] = ipaddr.IPv4.parseCIDR(value);
  if (bits < 8) {
    return `${value} would block (nearly) the whole internet and flag ordinary traffic; use /8 or narrower`;
  }
  return checkCanonicalCidr(value);
}

/** Compiles validated CIDRs into matchers: all /32s in one exact list, one prefix matcher per range. */
function compileBlockedRanges(cidrs: readonly string[]): IpMatcher[] {
  const exact: string[] = [];
  const prefixes: PrefixMatcher[] = [];
  for (const cidr of cidrs) {
    const problem = checkBlockedCidr(cidr);
    if (problem) throw new Error(`blocked IP range ${JSON.stringify(cidr)}: ${problem}`);
    const [addr, bits] = ipaddr.IPv4.parseCIDR(cidr);
    const octets = addr.octets;
    if (bits === 32) {
      exact.push(octets.join("."));
      continue;
    }
    const full = Math.floor(bits / 8);
    const rest = bits % 8;
    const fixed = octets.slice(0, full);
    if (rest === 0) {
      prefixes.push({ kind: "prefix", octets: fixed });
    } else {
      const size = 2 ** (8 - rest);
      const first = octets[full] ?? 0;
      const values = Array.from({ length: size }, (_, i) => first + i);
      prefixes.push({ kind: "prefix", octets: fixed, next: { index: full, values } });
    }
  }
  const unique = [...new Set(exact)];
  return [...(unique.length > 0 ? [{ kind: "exact" as const, addresses: unique }] : []), ...prefixes];
}

export type SqlDialect = "flink" | "redshift";

/** Renders `values` as `{{v0}}, {{v1}}, …` with typed string parameters. */
function stringList(values: readonly string[]): { template: string; params: Record<string, SqlParam> } {
  const params: Record<string, SqlParam> = {};
  const names = values.map((v, i) => {
    params[`v${i}`] = sqlString(v);
    return `{{v${i}}}`;
  });
  return { template: names.join(", "), params };
}

/**
 * One matcher as Redshift text comparisons on `column`, a plain lowercase name (the sink creates
 * lowercase columns and Redshift folds identifiers to lowercase).
 */
function redshiftMatcher(m: IpMatcher, column: string): string {
  if (!/^[a-z_][a-z0-9_]{0,126}$/.test(column)) {
    throw new Error(`Redshift column ${JSON.stringify(column)} must be a lowercase identifier`);
  }
  if (m.kind === "exact") {
    const list = stringList(m.addresses);
    return `${column} IN (${renderSql(list.template, list.params)})`;
  }
  const like = `${column} LIKE ${renderSql("{{prefix}}", { prefix: sqlString(`${m.octets.join(".")}.%`) })}`;
  if (!m.next) return like;
  const list = stringList(m.next.values.map(String));
  return `(${like} AND SPLIT_PART(${column}, '.', ${m.next.index + 1}) IN (${renderSql(list.template, list.params)}))`;
}

/** Any decimal octet, 0 to 255, without leading zeros. */
const ANY_OCTET = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";

/** One matcher as a regular expression over the whole address text (dots as `[.]`: no backslash). */
function matcherPattern(m: IpMatcher): string {
  if (m.kind === "exact") return m.addresses.map((a) => a.split(".").join("[.]")).join("|");
  const octets = m.octets.map(String);
  if (m.next) octets.push(`(?:${m.next.values.join("|")})`);
  while (octets.length < 4) octets.push(ANY_OCTET);
  return octets.join("[.]");
}

/**
 * The predicate "`column` is in one of the blocked ranges". In Flink it is one anchored regular
 * expression, `` REGEXP(`IP_ADDRESS`, '^(?:1[.]1[.]1[.]1|10[.](?:64|65|66|67)[.]…)$') ``: a single
 * call whatever the number of ranges, where the equivalent OR of LIKE and IN tests grew into a plan
 * and generated code that Flink could not handle at the maximum number of ranges. In Redshift it
 * stays text comparisons: `(ip IN ('1.1.1.1', …) OR (ip LIKE '10.%' AND SPLIT_PART(…) IN ('64', …)))`.
 * Either way the literals come only from validated octets. No ranges → `FALSE`.
 */
export function blockedIpPredicate(
  cidrs: readonly string[],
  column: string,
  dialect: SqlDialect = "flink",
): string {
  const matchers = compileBlockedRanges(cidrs);
  if (matchers.length === 0) return "FALSE";
  if (dialect === "flink") {
    const pattern = `^(?:${matchers.map(matcherPattern).join("|")})$`;
    return renderSql("REGEXP({{col}}, {{pattern}})", { col: ident(column), pattern: sqlString(pattern) });
  }
  return `(${matchers.map((m) => redshiftMatcher(m, column)).join(" OR ")})`;
}
