import assert from "node:assert/strict";
import { before, test } from "node:test";
import ipaddr from "ipaddr.js";
import type { FraudThresholds } from "../stacks/processing/fraud-rules/sql";
import { renderFlaggedTransactions } from "../stacks/processing/fraud-rules/sql";
import { blockedIpPredicate } from "../stacks/processing/fraud-rules/ip-ranges";
import { flinkToPostgres } from "./helpers/flink-to-postgres";
import { redshiftToPostgres } from "./helpers/redshift-to-postgres";
import { devProcessingConfig } from "./helpers/processing";
import { SqlEngine } from "./helpers/sql-engine";
import type { FlaggedRow } from "./helpers/web-app-traffic";
import { T0, verdictMismatches, webAppTraffic } from "./helpers/web-app-traffic";

// The rules proper (each transaction judged with its account's trailing window, as the rules job and
// the alerts job both judge it), rendered with the dev stack's config and executed on embedded
// Postgres over what the web app generates (tests/helpers/flink-to-postgres.ts rewrites the
// Flink-only parts). What the streaming job adds around them (each transaction judged alone on
// arrival, the latest flag per account, the join with users) runs on Flink in the engine tier.

const dev: FraudThresholds = devProcessingConfig();
const source = { transactionTable: "user_transaction", start: "earliest" } as const;
const traffic = webAppTraffic();
let engine: SqlEngine;

before(async () => {
  engine = await SqlEngine.shared();
});

interface Flagged extends FlaggedRow {
  readonly event_time: Date;
  readonly total_amount: number;
  readonly transaction_count: number;
  readonly max_amount: number;
  readonly blocked_ip_count: number;
}

/** The flagged transactions of the rules as rendered (or `edit`ed), in each account's time order. */
async function flagged(
  t: FraudThresholds = dev,
  edit: (sql: string) => string = (s) => s,
): Promise<Flagged[]> {
  const select = edit(renderFlaggedTransactions(t, "with_window", source));
  return engine.queryFlink<Flagged>(
    `SELECT * FROM (${select}) AS f ORDER BY account_id, event_time`,
    traffic,
  );
}

/** Replaces `from` (which must occur exactly once) by `to`. */
const replaceOnce = (from: string, to: string) => (sql: string) => {
  assert.equal(sql.split(from).length, 2, `${from} occurs once in the rules`);
  return sql.replace(from, to);
};

const mismatches = (rows: readonly Flagged[]) => verdictMismatches(traffic, rows, { withUsers: false });

test("each fraud the app generates is flagged with exactly its reasons, on the transaction that commits it; ordinary traffic and the boundaries never", async () => {
  const rows = await flagged();
  assert.deepEqual(mismatches(rows), []);
  for (const a of traffic.accounts.filter((x) => x.expected.length > 0)) {
    const mine = rows.filter((r) => Number(r.account_id) === a.id);
    assert.equal(mine.length, a.flaggedTransactions ?? 1, `${a.id} (${a.what}): flagged transactions`);
  }
});

test("a flagged transaction carries its trailing window's aggregates, at its own time", async () => {
  const rows = await flagged();
  const [row, ...rest] = rows.filter((r) => Number(r.account_id) === 103);
  assert.equal(rest.length, 0);
  assert.ok(row);
  assert.equal(Number(row.total_amount), 1067.5);
  assert.equal(Number(row.transaction_count), 2);
  assert.equal(Number(row.max_amount), 612.4);
  assert.equal(Number(row.blocked_ip_count), 0);
  // The burst's second transaction, 90 ms after the first at 10:00:10.
  assert.equal(row.event_time.toISOString(), new Date(T0 + 60 * 60_000 + 10_090).toISOString());
  const far = rows.filter((r) => Number(r.account_id) === 140).at(-1);
  assert.equal(Number(far?.blocked_ip_count), 1);
  assert.equal(Number(far?.transaction_count), 12);
});

test("a changed threshold in the config changes who is flagged", async () => {
  const changed = [
    { ...dev, maxWindowCount: 11 },
    { ...dev, maxWindowAmount: 1100 },
    { ...dev, singleTransactionLimit: 1001 },
    { ...dev, windowMinutes: 60 },
    { ...dev, blockedIpRanges: ["1.1.1.1/32"] },
  ];
  for (const t of changed) {
    assert.notDeepEqual(mismatches(await flagged(t)), [], JSON.stringify(t));
  }
});

// Each edit of sql/processing/ a reviewer could miss fails the first test.
const EDITS: readonly [string, string][] = [
  ["h.`blocked` = 1 AS `too_far`", "h.`blocked` = 0 AS `too_far`"],
  ["h.`transaction_count` > 10", "h.`transaction_count` >= 10"],
  ["h.`total_amount` > 1000.00", "h.`total_amount` >= 1000.00"],
  ["h.`amount` >= 1000.00", "h.`amount` > 1000.00"],
  ["SUM(`AMOUNT`) OVER w", "MAX(`AMOUNT`) OVER w"],
  ["f.`too_many_amount` OR f.`too_large`", "f.`too_many_amount` AND f.`too_large`"],
  ["CASE WHEN f.`too_far` THEN 'too_far' END", "CASE WHEN f.`too_far` THEN 'too_large' END"],
  ["RANGE BETWEEN INTERVAL '10' MINUTE PRECEDING", "RANGE BETWEEN INTERVAL '60' MINUTE PRECEDING"],
  ["PARTITION BY `ACCOUNT_ID` ORDER BY", "ORDER BY"],
];

for (const [from, to] of EDITS) {
  test(`the executed rules catch an edit of the SQL: ${from} → ${to}`, async () => {
    assert.notDeepEqual(mismatches(await flagged(dev, replaceOnce(from, to))), []);
  });
}

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
