import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import type { FetchLike } from "../lib/opensearch-api";
import { createOpenSearchClient } from "../lib/opensearch-api";
import { ident, renderSql, SqlTemplateError, sqlString } from "../lib/sql";
import { checkRestrictedCidr } from "../lib/validators";
import { domainAccessPolicy } from "../lib/opensearch-policy";
import type { OracleUserDataParams } from "../stacks/aws-resources/oracle/user-data";
import { nvmeDevicePath, renderOracleUserData, shellQuote } from "../stacks/aws-resources/oracle/user-data";
import { sourceTableStatements } from "../stacks/connector/flink-statements";
import { CDC_TABLES, oracleCdcConfig, tableIncludeList } from "../stacks/connector/oracle-cdc-config";
import { checkIndexName } from "../stacks/processing/config";
import {
  loadSavedObjects,
  renderIndexTemplate,
  renderSavedObjects,
  templateName,
} from "../stacks/processing/opensearch-setup/dashboard-content";
import { renderFraudRules } from "../stacks/processing/fraud-rules/sql";
import { checkBlockedCidr } from "../stacks/processing/fraud-rules/ip-ranges";
import { opensearchSinkConfig } from "../stacks/processing/sinks/sink-configs";
import { fakeClock } from "./helpers/fake-clock";

// Values that pass validation but are as hostile as validation allows, and generated strings beyond
// that: rendered into shell, SQL and JSON, they must stay data. Each property loop uses a fixed seed,
// so a failure names a reproducible input.

/** A small seeded PRNG (mulberry32): the same strings on every run. */
function prng(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  ..."'\"`$(){}[];|&<>\\/*?#!~%^=,:@+-_. \n\t\r",
  ..."aZ09é✓\u2028😀",
  "--",
  "/*",
  "*/",
  "\\'",
  "''",
  "${x}",
  "$(id)",
  "`id`",
  '"}',
  "'}",
  '","Effect":"Allow',
  "'; DROP TABLE x; --",
];

/** `count` strings of up to `maxPieces` hostile pieces each (the first one empty). */
function hostileStrings(seed: number, count: number, maxPieces = 12): string[] {
  const next = prng(seed);
  return Array.from({ length: count }, (_, n) =>
    Array.from(
      { length: n === 0 ? 0 : 1 + Math.floor(next() * maxPieces) },
      () => PIECES[Math.floor(next() * PIECES.length)]!,
    ).join(""),
  );
}

// ---------------------------------------------------------------- shell (Oracle user data)

/** The most unusual values each user-data validator accepts. */
const EDGE_PARAMS: OracleUserDataParams = {
  region: "ap-southeast-3",
  secretArn: "arn:aws-us-gov:secretsmanager:us-gov-west-1:123456789012:secret:a+b=c.d@e/f_g-h/..-AbCdEf",
  readyParameterName: "/-/._/../fd-dev_x.y/ready",
  dataVolumeId: "vol-0123456789abcdef0",
  image: `registry.example.com:5000/a__b/c--d/e.f:Tag_1.0-x@sha256:${"f".repeat(64)}`,
  publicIp: "255.255.255.255",
  recoveryAreaGiB: 1,
};
const VARIABLES = [
  "REGION",
  "SECRET_ARN",
  "READY_PARAMETER",
  "DATA_DEVICE",
  "ORACLE_IMAGE",
  "PUBLIC_IP",
  "FRA_GIB",
];

test("shellQuote: every generated string comes back from bash byte for byte, as one word", () => {
  const values = hostileStrings(7, 300);
  const out = execFileSync("bash", ["-c", `printf '%s\\0' ${values.map(shellQuote).join(" ")}`]);
  assert.deepEqual(out.toString("utf8").split("\0").slice(0, -1), values);
});

test("user data with the edge values accepted is valid bash whose assignments hold exactly those values", () => {
  const script = renderOracleUserData(EDGE_PARAMS);
  execFileSync("bash", ["-n"], { input: script });
  const assignments = script
    .split("\n")
    .filter((l) => VARIABLES.some((v) => l.startsWith(`${v}=`)))
    .join("\n");
  const printed = execFileSync("bash", [
    "-c",
    `${assignments}\nprintf '%s\\0' ${VARIABLES.map((v) => `"$${v}"`).join(" ")}`,
  ]);
  assert.deepEqual(printed.toString().split("\0").slice(0, -1), [
    EDGE_PARAMS.region,
    EDGE_PARAMS.secretArn,
    EDGE_PARAMS.readyParameterName,
    nvmeDevicePath(EDGE_PARAMS.dataVolumeId),
    EDGE_PARAMS.image,
    EDGE_PARAMS.publicIp,
    String(EDGE_PARAMS.recoveryAreaGiB),
  ]);
  // The rest of the script is constant: other values change the assignment lines only.
  const other = renderOracleUserData({ ...EDGE_PARAMS, region: "us-east-1", publicIp: "203.0.113.9" });
  const diff = script.split("\n").filter((l, i) => l !== other.split("\n")[i]);
  assert.deepEqual(diff, ["REGION='ap-southeast-3'", "PUBLIC_IP='255.255.255.255'"]);
});

type ShellContext = "top" | "dq" | "sq" | "cmd" | "paren";

/**
 * Where each expansion of `names` sits, scanning the script the way bash groups quotes: single
 * quotes, double quotes, `$( … )` (a fresh quoting context, also inside double quotes), plain
 * parentheses, comments and quoted-delimiter heredocs (whose bodies bash does not expand).
 */
function expansionContexts(
  script: string,
  names: readonly string[],
): { name: string; context: ShellContext }[] {
  const found: { name: string; context: ShellContext }[] = [];
  const lines = script.split("\n");
  const stack: ShellContext[] = ["top"];
  for (let n = 0; n < lines.length; n++) {
    const line = lines[n]!;
    for (let i = 0; i < line.length; i++) {
      const c = line[i]!;
      const top = stack[stack.length - 1]!;
      if (top === "sq") {
        if (c === "'") stack.pop();
        continue;
      }
      if (c === "\\") {
        i++;
        continue;
      }
      if (c === "$") {
        const m = /^\$\{?([A-Za-z_][A-Za-z0-9_]*)/.exec(line.slice(i));
        if (m && names.includes(m[1]!)) found.push({ name: m[1]!, context: top });
        if (line[i + 1] === "(") {
          stack.push("cmd");
          i++;
        }
        continue;
      }
      if (top === "dq") {
        if (c === '"') stack.pop();
        continue;
      }
      if (c === '"') stack.push("dq");
      else if (c === "'") stack.push("sq");
      else if (c === "(") stack.push("paren");
      else if (c === ")" && (top === "cmd" || top === "paren")) stack.pop();
      else if (c === "#" && (i === 0 || /\s/.test(line[i - 1]!))) break;
    }
    const heredoc = /<<'([A-Z_]+)'/.exec(line);
    if (heredoc) while (n + 1 < lines.length && lines[++n] !== heredoc[1]);
  }
  assert.deepEqual(stack, ["top"], "quotes and parentheses balance");
  return found;
}

test("the script expands every parameter variable only inside double quotes (no word splitting, no globbing)", () => {
  const uses = expansionContexts(renderOracleUserData(EDGE_PARAMS), VARIABLES);
  assert.deepEqual([...new Set(uses.map((u) => u.name))].sort(), [...VARIABLES].sort(), "each is used");
  assert.deepEqual(
    uses.filter((u) => u.context !== "dq"),
    [],
  );
  // The scanner can fail: an unquoted use is reported.
  assert.deepEqual(expansionContexts('x="$(f $REGION)"\necho "$REGION"', ["REGION"]), [
    { name: "REGION", context: "cmd" },
    { name: "REGION", context: "dq" },
  ]);
});

// ---------------------------------------------------------------- SQL

interface SqlToken {
  readonly kind: "string" | "ident" | "code";
  readonly text: string;
}

/** Splits SQL into string literals ('…', '' escapes), back-quoted identifiers and the rest. */
function sqlTokens(sql: string): SqlToken[] {
  const out: SqlToken[] = [];
  let code = "";
  for (let i = 0; i < sql.length; i++) {
    const q = sql[i]!;
    if (q !== "'" && q !== "`") {
      code += q;
      continue;
    }
    if (code) out.push({ kind: "code", text: code });
    code = "";
    let value = "";
    for (i++; ; i++) {
      assert.ok(i < sql.length, `unterminated ${q} in ${sql}`);
      if (sql[i] === q && sql[i + 1] === q) value += sql[i++];
      else if (sql[i] === q) break;
      else value += sql[i];
    }
    out.push({ kind: q === "'" ? "string" : "ident", text: value });
  }
  if (code) out.push({ kind: "code", text: code });
  return out;
}

/** The statement's structure: every literal and identifier replaced by a placeholder. */
const skeleton = (sql: string) =>
  sqlTokens(sql)
    .map((t) => (t.kind === "code" ? t.text : t.kind === "string" ? "'?'" : "`?`"))
    .join("");

test("sqlString: generated strings stay one literal with the original text, and the statement parses", () => {
  const all = hostileStrings(11, 60);
  // Refused: control characters, and backslashes (an escape in Redshift literals, so `\''` would end one).
  // eslint-disable-next-line no-control-regex
  const refused = all.filter((v) => /[\u0000-\u001f\\]/.test(v));
  for (const value of refused) assert.throws(() => sqlString(value), SqlTemplateError, JSON.stringify(value));
  const values = all.filter((v) => !refused.includes(v));
  assert.ok(
    values.length >= 20 && refused.length >= 10,
    `${values.length} accepted, ${refused.length} refused`,
  );
  for (const value of values) {
    const sql = renderSql("SELECT {{v}} AS {{c}} FROM {{t}}", {
      v: sqlString(value),
      c: ident("note"),
      t: ident("fd.SAMPLE.AUTH_USER"),
    });
    assert.deepEqual(sqlTokens(sql), [
      { kind: "code", text: "SELECT " },
      { kind: "string", text: value },
      { kind: "code", text: " AS " },
      { kind: "ident", text: "note" },
      { kind: "code", text: " FROM " },
      { kind: "ident", text: "fd.SAMPLE.AUTH_USER" },
    ]);
  }
});

test("connector Flink statements: hostile topic prefix and schema change identifiers only, never the structure", () => {
  const benign = sourceTableStatements({ topicPrefix: "fd", schema: "SAMPLE", buckets: 6 });
  const variants = [
    { topicPrefix: "z-_9".padEnd(32, "_-"), schema: "S$#_9", buckets: 6 },
    // Beyond what the contract accepts: cdcTopic and ident still keep it an identifier.
    { topicPrefix: "fd", schema: "SAMPLE`; DROP TABLE x; --'\"", buckets: 6 },
  ];
  for (const p of variants) {
    const statements = sourceTableStatements(p);
    assert.equal(statements.length, benign.length);
    statements.forEach((s, i) => {
      assert.equal(skeleton(s.sql), skeleton(benign[i]!.sql), s.key);
      for (const t of sqlTokens(s.sql).filter((t) => t.kind === "ident")) {
        assert.match(t.text, /^[A-Za-z_][A-Za-z0-9_.$-]*$/, `identifier ${t.text}`);
      }
    });
  }
});

test("fraud rules at the limits: 64 odd-sized blocked ranges, maximum thresholds; addresses only as literals", () => {
  const next = prng(3);
  const ranges = new Set<string>(["203.0.113.7/32", "198.51.100.255/32", "1.0.0.0/8", "100.64.0.0/10"]);
  while (ranges.size < 64) {
    const bits = 8 + Math.floor(next() * 25);
    const addr = Array.from({ length: 4 }, () => Math.floor(next() * 256));
    const mask = (o: number, i: number) =>
      o & ((0xff << (8 - Math.max(0, Math.min(8, bits - i * 8)))) & 0xff);
    const cidr = `${addr.map(mask).join(".")}/${bits}`;
    if (checkBlockedCidr(cidr) === undefined) ranges.add(cidr);
  }
  const sql = renderFraudRules(
    {
      windowMinutes: 1440,
      maxWindowAmount: 1_000_000_000,
      maxWindowCount: 1_000_000,
      singleTransactionLimit: 1_000_000_000,
      blockedIpRanges: [...ranges],
    },
    { flaggedTable: "flagged_user", userTable: "auth_user", transactionTable: "user_transaction" },
  );
  const tokens = sqlTokens(sql);
  const literals = tokens.filter((t) => t.kind === "string").map((t) => t.text);
  const exact = [...ranges].filter((r) => r.endsWith("/32")).map((r) => r.slice(0, -3));
  assert.ok(exact.length > 0);
  // The addresses live in the one regular expression, its dots as [.]: nothing but digits, the
  // pattern's own punctuation, and the statement's words, intervals and separators.
  const pattern = literals.find((l) => l.startsWith("^(?:"));
  assert.ok(pattern, "one anchored pattern");
  assert.equal(
    literals.filter((l) => l === pattern).length,
    2,
    "the same pattern on arrival and with the window",
  );
  for (const address of exact)
    assert.ok(pattern.includes(address.split(".").join("[.]")), `${address} in the pattern`);
  assert.match(pattern, /^\^\(\?:[0-9.[\]|?:()^$-]+\)\$$/);
  for (const literal of literals.filter((l) => l !== pattern)) {
    assert.match(literal, /^[0-9.%, ]+$|^[a-z_]+$|^\d+ \d\d:\d\d:\d\d$/, `literal ${literal}`);
  }
  const code = tokens.filter((t) => t.kind === "code").map((t) => t.text);
  for (const address of exact) {
    assert.ok(!code.some((c) => c.includes(address.split(".").join("[.]"))), `${address} outside quotes`);
  }
});

// ---------------------------------------------------------------- JSON

/** Index names OpenSearch accepts that are full of JSON, URL and shell metacharacters. */
function hostileIndexNames(): string[] {
  const generated = hostileStrings(5, 400, 6).map((s) => `x${s.toLowerCase()}`);
  return ["x'}{$(rm)&;=[]@!%^~", "x%2f..%2f_cluster", "x\u2028y", "x😀é", ...generated].filter(
    (s) => checkIndexName(s) === undefined,
  );
}

test("dashboards content: any index name the validator accepts stays a JSON string in every object", () => {
  const names = hostileIndexNames();
  assert.ok(names.length >= 50, `${names.length} names`);
  const original = loadSavedObjects();
  for (const index of names) {
    const lines = renderSavedObjects(index).trimEnd().split("\n");
    assert.equal(lines.length, original.length, "one line per object");
    const parsed = lines.map((l) => JSON.parse(l) as { type: string; attributes: Record<string, unknown> });
    const expected = original.map((o) =>
      o.type === "index-pattern"
        ? { ...o, attributes: { ...(o.attributes as Record<string, unknown>), title: index } }
        : o,
    );
    assert.deepEqual(parsed, expected);
    const template = JSON.parse(renderIndexTemplate(index)) as { index_patterns: unknown };
    assert.deepEqual(template.index_patterns, [index]);
    const sink = opensearchSinkConfig({
      name: "fd-dev-opensearch-sink",
      serviceAccountId: "sa-1",
      errorsTolerance: "all",
      topic: "flagged_user",
      index,
      endpoint: "search-x.us-east-1.es.amazonaws.com",
      user: "admin",
      password: "pw",
    });
    assert.equal(sink.nonsensitive["index1.name"], index);
  }
});

test("the index template's name stays one URL path segment of the template API", async () => {
  const urls: string[] = [];
  const fetch: FetchLike = async (url) => {
    urls.push(url);
    return { status: 200, text: async () => "{}" };
  };
  const client = createOpenSearchClient({
    endpoint: "search-x.us-east-1.es.amazonaws.com",
    username: "admin",
    password: "pw",
    fetch,
    clock: fakeClock(),
  });
  const names = hostileIndexNames().map(templateName);
  for (const name of names) await client.putIndexTemplate(name, {});
  assert.equal(urls.length, names.length);
  urls.forEach((url, i) => {
    const u = new URL(url);
    assert.equal(u.host, "search-x.us-east-1.es.amazonaws.com");
    assert.equal(u.search + u.hash, "");
    const segments = u.pathname.split("/");
    assert.deepEqual(segments.slice(0, 2), ["", "_index_template"]);
    assert.equal(segments.length, 3, url);
    assert.equal(decodeURIComponent(segments[2]!), names[i]);
  });
});

test("OpenSearch access policy: hostile ARNs and every accepted CIDR form stay JSON strings", () => {
  const cidrs = ["203.0.113.7/32", "10.0.0.0/9", "2001:db8::/33", "::ffff:203.0.113.7/128", "fd00::/48"];
  for (const c of cidrs) assert.equal(checkRestrictedCidr(c), undefined, c);
  for (const domainArn of hostileStrings(13, 100)) {
    const policy = JSON.parse(domainAccessPolicy({ domainArn, sourceCidrs: cidrs })) as unknown;
    assert.deepEqual(policy, {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "AllowListedSources",
          Effect: "Allow",
          Principal: { AWS: "*" },
          Action: "es:ESHttp*",
          Resource: `${domainArn}/*`,
          Condition: { IpAddress: { "aws:SourceIp": cidrs } },
        },
      ],
    });
  }
});

// ---------------------------------------------------------------- connector configs

test("CDC connector config: upstream values stay plain strings; the table filter matches exactly the tables", () => {
  for (const value of hostileStrings(17, 80).filter((v) => v !== "")) {
    const config = oracleCdcConfig(
      {
        oracleHost: value,
        oraclePort: 1521,
        oracleServiceName: value,
        oraclePdbName: value,
        oracleSchema: "SAMPLE",
        oracleOutboundServer: value,
        oracleXstreamUser: value,
        oracleXstreamPassword: "pw",
      },
      {
        connectorName: value,
        topicPrefix: "fd",
        snapshotMode: "initial",
        processorLicenses: 1,
        serviceAccountId: "sa-1",
      },
    );
    for (const key of [
      "name",
      "database.hostname",
      "database.user",
      "database.service.name",
      "database.pdb.name",
      "database.out.server.name",
    ]) {
      assert.equal(config.nonsensitive[key], value, key);
    }
    assert.deepEqual(Object.keys(config.sensitive), ["database.password"]);
  }
  // Schemas with regex metacharacters (Oracle allows $ and #): each entry matches its own table only.
  for (const schema of ["SAMPLE", "S$#_9", "A.B", "X+Y*Z?"]) {
    const entries = tableIncludeList(schema, CDC_TABLES).split(",");
    assert.equal(entries.length, CDC_TABLES.length, schema);
    entries.forEach((entry, i) => {
      const re = new RegExp(`^(?:${entry})$`);
      assert.ok(re.test(`${schema}.${CDC_TABLES[i]}`), entry);
      assert.ok(!re.test(`${schema}X${CDC_TABLES[i]}`), entry);
      assert.ok(!re.test(`OTHER.${CDC_TABLES[i]}`), entry);
    });
  }
});
