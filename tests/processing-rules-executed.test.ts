import assert from "node:assert/strict";
import { before, test } from "node:test";
import ipaddr from "ipaddr.js";
import type { FraudThresholds } from "../stacks/processing/fraud-rules/sql";
import { renderCreateFlaggedUser, renderFraudRules } from "../stacks/processing/fraud-rules/sql";
import { blockedIpPredicate } from "../stacks/processing/fraud-rules/ip-ranges";
import { flinkToPostgres } from "./helpers/flink-to-postgres";
import { redshiftToPostgres } from "./helpers/redshift-to-postgres";
import { devProcessingConfig } from "./helpers/processing";
import { SqlEngine } from "./helpers/sql-engine";
import type { FlaggedRow } from "./helpers/web-app-traffic";
import { flaggedMismatches, T0, webAppTraffic } from "./helpers/web-app-traffic";

// The rules job's own SQL, rendered with the dev stack's config, executed on embedded Postgres over
// what the web app generates (tests/helpers/flink-to-postgres.ts rewrites the Flink-only parts).

const dev: FraudThresholds = devProcessingConfig();
const tables = { flaggedTable: "flagged_user", userTable: "auth_user", transactionTable: "user_transaction" };
const traffic = webAppTraffic();
let engine: SqlEngine;

before(async () => {
  engine = await SqlEngine.shared();
});

interface Flagged extends FlaggedRow {
  readonly user_name: string;
  readonly email: string;
  readonly total_amount: number;
  readonly transaction_count: number;
  readonly max_amount: number;
  readonly blocked_ip_count: number;
  readonly window_start: Date;
  readonly updated_at: Date;
}

/** Runs the rules job as rendered (or `edit`ed) and returns every row it emitted, in window order. */
async function runRules(
  t: FraudThresholds = dev,
  edit: (sql: string) => string = (s) => s,
): Promise<Flagged[]> {
  await engine.runFlink([renderCreateFlaggedUser(tables), edit(renderFraudRules(t, tables))], traffic);
  return engine.query<Flagged>("SELECT * FROM flagged_user ORDER BY account_id, updated_at");
}

/** Replaces `from` (which must occur exactly once) by `to`. */
const replaceOnce = (from: string, to: string) => (sql: string) => {
  assert.equal(sql.split(from).length, 2, `${from} occurs once in the job`);
  return sql.replace(from, to);
};

test("each fraud the app generates is flagged with exactly its reasons, in every window holding it; ordinary traffic never", async () => {
  const rows = await runRules();
  assert.deepEqual(flaggedMismatches(traffic, rows), []);
  const flagged = new Set(rows.map((r) => Number(r.account_id)));
  assert.equal(flagged.size, traffic.accounts.filter((a) => a.expected.length > 0).length);
});

test("a flagged row carries the window's aggregates, the user's name and email, and the window's last instant", async () => {
  const rows = (await runRules()).filter((r) => Number(r.account_id) === 103);
  const last = rows.at(-1);
  assert.ok(last);
  assert.equal(last.user_name, "user103");
  assert.equal(last.email, "user103@example.com");
  assert.equal(last.total_amount, 1067.5);
  assert.equal(Number(last.transaction_count), 2);
  assert.equal(last.max_amount, 612.4);
  assert.equal(Number(last.blocked_ip_count), 0);
  // The burst is at 10:00:10: windows start each minute from 09:51 to 10:00 and last 10 minutes.
  const starts = rows.map((r) => r.window_start.toISOString());
  assert.deepEqual(
    starts,
    Array.from({ length: 10 }, (_, i) => new Date(T0 + (51 + i) * 60_000).toISOString()),
  );
  assert.equal(last.updated_at.toISOString(), new Date(T0 + 70 * 60_000 - 1).toISOString());
  const far = (await engine.query<Flagged>("SELECT * FROM flagged_user WHERE account_id = 140")).at(0);
  assert.equal(Number(far?.blocked_ip_count), 1);
  assert.equal(Number(far?.transaction_count), 12);
});

test("a changed threshold in the config changes who is flagged", async () => {
  const changed = [
    { ...dev, maxWindowCount: 11 },
    { ...dev, maxWindowAmount: 1100 },
    { ...dev, singleTransactionLimit: 1001 },
    { ...dev, windowMinutes: 1 },
    { ...dev, blockedIpRanges: ["1.1.1.1/32"] },
  ];
  for (const t of changed) {
    assert.notDeepEqual(flaggedMismatches(traffic, await runRules(t)), [], JSON.stringify(t));
  }
});

// Each edit of sql/processing/insert_flagged_user.sql a reviewer could miss fails the first test.
const EDITS: readonly [string, string][] = [
  ["w.`blocked_ip_count` > 0", "w.`blocked_ip_count` > 1"],
  ["w.`transaction_count` > 10", "w.`transaction_count` >= 10"],
  ["w.`total_amount` > 1000.00", "w.`total_amount` >= 1000.00"],
  ["w.`max_amount` >= 1000.00", "w.`max_amount` > 1000.00"],
  ["CAST(MAX(`AMOUNT`) AS DOUBLE)", "CAST(MIN(`AMOUNT`) AS DOUBLE)"],
  ["c.`too_many_amount` OR c.`too_large`", "c.`too_many_amount` AND c.`too_large`"],
  ["CASE WHEN c.`too_far` THEN 'too_far' END", "CASE WHEN c.`too_far` THEN 'too_large' END"],
  ["JOIN `auth_user` AS u", "LEFT JOIN `auth_user` AS u"],
  ["INTERVAL '60' SECOND, INTERVAL '10' MINUTE", "INTERVAL '10' MINUTE, INTERVAL '10' MINUTE"],
];

for (const [from, to] of EDITS) {
  test(`the executed rules catch an edit of the SQL: ${from} → ${to}`, async () => {
    const problems = flaggedMismatches(traffic, await runRules(dev, replaceOnce(from, to)));
    assert.notDeepEqual(problems, []);
  });
}

test("the job also runs as a temporal join against auth_user, with the same flags", async () => {
  const temporal = replaceOnce(
    "JOIN `auth_user` AS u",
    "JOIN `auth_user` FOR SYSTEM_TIME AS OF c.`window_time` AS u",
  );
  assert.deepEqual(flaggedMismatches(traffic, await runRules(dev, temporal)), []);
});

test("property: the generated IP predicate, executed in both dialects, is CIDR membership", async () => {
  let seed = 42;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const cases: { n: number; cidr: string; ip: string; inside: boolean }[] = [
    { n: 0, cidr: "10.0.0.0/8", ip: "2001:db8::1", inside: false }, // IPv6 text never matches
    { n: 0, cidr: "10.0.0.0/8", ip: "110.1.2.3", inside: false }, // a longer first octet is no prefix
  ];
  for (let n = 1; n <= 300; n++) {
    const bits = 8 + rand(25);
    const base = ipaddr.fromByteArray([rand(256), rand(256), rand(256), rand(256)]);
    const cidr = `${ipaddr.IPv4.networkAddressFromCIDR(`${base.toString()}/${bits}`).toString()}/${bits}`;
    const range = ipaddr.IPv4.parseCIDR(cidr);
    for (let i = 0; i < 20; i++) {
      // Half near the range (same leading octets), half anywhere.
      const bytes = i % 2 === 0 ? [...range[0].octets] : [rand(256), rand(256), rand(256), rand(256)];
      bytes[Math.min(3, Math.floor(bits / 8))] = rand(256);
      if (i % 4 === 0) bytes[3] = rand(256);
      const ip = ipaddr.fromByteArray(bytes).toString();
      cases.push({ n, cidr, ip, inside: ipaddr.IPv4.parse(ip).match(range) });
    }
  }
  const values = cases.map((c) => `(${c.n}, '${c.ip}', '${c.ip}')`).join(", ");
  await engine.query(`CREATE TEMP TABLE ips (n int, "IP_ADDRESS" text, ip_address text)`);
  await engine.query(`INSERT INTO ips VALUES ${values}`);
  const cidrs = [...new Map(cases.map((c) => [c.n, c.cidr])).entries()];
  const flink = cidrs.map(
    ([n, cidr]) =>
      `SELECT n, \`IP_ADDRESS\` AS ip, ${blockedIpPredicate([cidr], "IP_ADDRESS")} AS hit FROM ips WHERE n = ${n}`,
  );
  const redshift = cidrs.map(
    ([n, cidr]) =>
      `SELECT n, ip_address AS ip, ${blockedIpPredicate([cidr], "ip_address", "redshift")} AS hit FROM ips WHERE n = ${n}`,
  );
  const want = cases.map((c) => `${c.n} ${c.ip} ${c.inside}`).sort();
  for (const pg of [
    flinkToPostgres(flink.join(" UNION ALL ")),
    redshiftToPostgres(redshift.join(" UNION ALL ")),
  ]) {
    const got = await engine.query<{ n: number; ip: string; hit: boolean }>(pg);
    assert.deepEqual(got.map((r) => `${r.n} ${r.ip} ${r.hit}`).sort(), want);
  }
  const inside = cases.filter((c) => c.inside).length;
  assert.ok(
    inside > 500 && cases.length - inside > 500,
    `both outcomes exercised: ${inside} of ${cases.length}`,
  );
});
