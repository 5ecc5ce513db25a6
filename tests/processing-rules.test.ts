import assert from "node:assert/strict";
import { test } from "node:test";
import ipaddr from "ipaddr.js";
import { declaredDefaults, readProject } from "../tools/offline/project-config";
import { statementName } from "../lib/sql";
import { flinkSyntaxErrors } from "./helpers/flink-syntax";
import { sourceTableStatements, TRANSACTION_EVENT_TIME } from "../stacks/connector/flink-statements";
import { loadProcessingConfig } from "../stacks/processing/config";
import type { FraudThresholds, SimulatedTransaction } from "../stacks/processing/fraud-rules";
import {
  evaluateWindow,
  FRAUD_KINDS,
  hopSlideSeconds,
  reasonCoverage,
  renderCreateFlaggedUser,
  renderFraudRules,
  SOURCE_COLUMNS,
} from "../stacks/processing/fraud-rules";
import { blockedIpPredicate, compileBlockedRanges, matchesIp } from "../stacks/processing/ip-ranges";
import { APP_ALLOWED_IPS, APP_BLOCKED_IPS } from "./helpers/processing";

const defaults: FraudThresholds = loadProcessingConfig(declaredDefaults(readProject("processing")));
const tables = { flaggedTable: "flagged_user", userTable: "auth_user", transactionTable: "user_transaction" };

test("the table and the rules job parse as Flink SQL, with the defaults and with wide ranges", () => {
  assert.deepEqual(flinkSyntaxErrors(renderCreateFlaggedUser(tables)), []);
  assert.deepEqual(flinkSyntaxErrors(renderFraudRules(defaults, tables)), []);
  const wide = {
    ...defaults,
    blockedIpRanges: ["10.64.0.0/10", "91.121.0.0/16", "1.1.1.1/32", "172.16.0.0/20"],
  };
  assert.deepEqual(flinkSyntaxErrors(renderFraudRules(wide, tables)), []);
});

test("the parse check can fail: a broken rules job is reported", () => {
  const broken = renderFraudRules(defaults, tables).replace("GROUP BY", "GROUP");
  assert.notDeepEqual(flinkSyntaxErrors(broken), []);
});

test("the job windows with a hopping TVF over the transactions' event time and upserts into flagged_user", () => {
  const sql = renderFraudRules(defaults, tables);
  assert.match(
    sql,
    /HOP\(TABLE `user_transaction`, DESCRIPTOR\(`EVENT_TIME`\), INTERVAL '60' SECOND, INTERVAL '10' MINUTE\)/,
  );
  assert.doesNotMatch(sql, /\$rowtime/, "never the Kafka append time");
  assert.match(sql, /^INSERT INTO `flagged_user` \(/m);
  assert.match(sql, /JOIN `auth_user` AS u ON c\.`account_id` = u\.`ID`/);
  assert.match(sql, /GROUP BY `ACCOUNT_ID`, `window_start`, `window_end`, `window_time`/);
  const create = renderCreateFlaggedUser(tables);
  assert.match(create, /PRIMARY KEY \(`account_id`\) NOT ENFORCED/);
  assert.match(create, /'changelog\.mode' = 'upsert'/);
  assert.match(create, /'value\.format' = 'avro-registry'/);
  assert.match(create, /'key\.format' = 'avro-registry'/);
});

test("the rules window on the very column the connector's user_transaction puts its watermark on", () => {
  assert.equal(SOURCE_COLUMNS.transactionTime, TRANSACTION_EVENT_TIME);
  const create = sourceTableStatements({ topicPrefix: "fd", schema: "SAMPLE", buckets: 6 }).find(
    (s) => s.key === "create-user-transaction",
  );
  const column = "`" + TRANSACTION_EVENT_TIME + "`";
  const watermarks = [...(create?.sql ?? "").matchAll(/WATERMARK FOR (\S+) AS /g)].map((m) => m[1]);
  assert.deepEqual(watermarks, [column], "one watermark, on the event-time column");
  const windowed = [...renderFraudRules(defaults, tables).matchAll(/DESCRIPTOR\(([^)]*)\)/g)].map(
    (m) => m[1],
  );
  assert.deepEqual(windowed, [column]);
});

test("windows hop by a tenth of their length, which always divides it", () => {
  for (const minutes of [1, 7, 10, 13, 60, 1440]) {
    const slide = hopSlideSeconds(minutes);
    assert.ok(Number.isInteger(slide) && slide > 0);
    assert.equal((minutes * 60) % slide, 0);
    assert.equal((minutes * 60) / slide, 10);
  }
});

test("every fraud kind the app generates maps to a rule whose check is in the rendered job", () => {
  const coverage = reasonCoverage(defaults);
  assert.deepEqual(Object.keys(coverage).sort(), [...FRAUD_KINDS].sort());
  const sql = renderFraudRules(defaults, tables);
  for (const kind of FRAUD_KINDS) {
    assert.equal(coverage[kind].rule, kind);
    assert.ok(sql.includes(coverage[kind].check), `${kind}: ${coverage[kind].check} not in the job`);
    assert.match(sql, new RegExp(`CASE WHEN c\\.\`${kind}\` THEN '${kind}' END`), `${kind} is a reason`);
    assert.match(sql, new RegExp(`OR c\\.\`${kind}\`|WHERE c\\.\`${kind}\``), `${kind} flags the account`);
  }
  assert.equal(coverage.too_many_count.check, "w.`transaction_count` > 10 AS `too_many_count`");
  assert.equal(coverage.too_many_amount.check, "w.`total_amount` > 1000.00 AS `too_many_amount`");
  assert.equal(coverage.too_large.check, "w.`max_amount` >= 1000.00 AS `too_large`");
  assert.match(coverage.too_far.check, /`IP_ADDRESS` IN \('1\.1\.1\.1', '1\.0\.0\.1', /);
});

test("a threshold change changes the rendered job and so its statement name; the table stays", () => {
  const name = (t: FraudThresholds) => statementName("fd-dev-a1b2-fraud-rules", renderFraudRules(t, tables));
  const base = name(defaults);
  const changed = [
    { ...defaults, maxWindowCount: 11 },
    { ...defaults, maxWindowAmount: 1500 },
    { ...defaults, singleTransactionLimit: 900 },
    { ...defaults, windowMinutes: 5 },
    { ...defaults, blockedIpRanges: [...defaults.blockedIpRanges, "10.0.0.0/8"] },
  ].map(name);
  for (const n of changed) assert.notEqual(n, base);
  assert.equal(new Set(changed).size, changed.length);
  assert.equal(name({ ...defaults }), base, "same thresholds, same name");
  assert.match(base, /^fd-dev-a1b2-fraud-rules-[0-9a-f]{8}$/);
});

// ---- the simulator: the rules against what the web app generates (webapp.md) ----

const normalIp = APP_ALLOWED_IPS[0] ?? "8.8.8.8";
const tx = (amount: number, ip = normalIp): SimulatedTransaction => ({ amount, ip });
const times = (n: number, t: SimulatedTransaction) => Array.from({ length: n }, () => t);

test("the app's four frauds are each flagged with their own reason; normal traffic is not", () => {
  assert.deepEqual(evaluateWindow(times(11, tx(25)), defaults), ["too_many_count"]);
  assert.deepEqual(evaluateWindow([tx(600), tx(450)], defaults), ["too_many_amount"]);
  // A single large transaction is also a window total above 1000: both reasons, truthfully.
  assert.deepEqual(evaluateWindow([tx(1020)], defaults), ["too_many_amount", "too_large"]);
  assert.deepEqual(evaluateWindow([tx(1000)], defaults), ["too_large"]);
  assert.deepEqual(evaluateWindow([tx(12.5, "1.1.1.1")], defaults), ["too_far"]);
  // Normal traffic: up to 10 transactions of at most 50 from allowed addresses.
  assert.deepEqual(evaluateWindow(times(10, tx(50)), defaults), []);
  for (const ip of APP_ALLOWED_IPS) assert.deepEqual(evaluateWindow([tx(0.25, ip)], defaults), []);
  assert.deepEqual(evaluateWindow([], defaults), []);
});

test("every blocked address of the app is too_far; reasons combine in the job's order", () => {
  for (const ip of APP_BLOCKED_IPS) assert.deepEqual(evaluateWindow([tx(10, ip)], defaults), ["too_far"], ip);
  assert.deepEqual(evaluateWindow([...times(11, tx(100)), tx(1000, "223.5.5.5")], defaults), [
    "too_many_count",
    "too_many_amount",
    "too_large",
    "too_far",
  ]);
});

test("thresholds are boundaries: count and amount strictly above, single limit inclusive", () => {
  assert.deepEqual(evaluateWindow(times(10, tx(1)), defaults), []);
  assert.deepEqual(evaluateWindow([tx(500), tx(500)], defaults), []);
  assert.deepEqual(evaluateWindow([tx(999.99)], defaults), []);
  assert.deepEqual(evaluateWindow([tx(1000)], defaults), ["too_large"]);
});

// ---- the generated IP predicate ----

test("/32s become one IN list; wider ranges compare octet text, in both dialects", () => {
  assert.equal(
    blockedIpPredicate(["1.1.1.1/32", "1.0.0.1/32"], "IP_ADDRESS"),
    "(`IP_ADDRESS` IN ('1.1.1.1', '1.0.0.1'))",
  );
  assert.equal(blockedIpPredicate(["91.121.0.0/16"], "IP_ADDRESS"), "(`IP_ADDRESS` LIKE '91.121.%')");
  assert.equal(
    blockedIpPredicate(["10.64.0.0/14"], "IP_ADDRESS"),
    "((`IP_ADDRESS` LIKE '10.%' AND SPLIT_INDEX(`IP_ADDRESS`, '.', 1) IN ('64', '65', '66', '67')))",
  );
  assert.equal(
    blockedIpPredicate(["10.64.0.0/14"], "ip_address", "redshift"),
    "((ip_address LIKE '10.%' AND SPLIT_PART(ip_address, '.', 2) IN ('64', '65', '66', '67')))",
  );
  assert.equal(blockedIpPredicate([], "IP_ADDRESS"), "FALSE");
});

test("hostile ranges and column names never reach the SQL", () => {
  for (const hostile of ["1.1.1.1/32' OR '1'='1", "1.1.1.1/32); DROP TABLE x;--", "1.1.1.1", "0.0.0.0/0"]) {
    assert.throws(() => blockedIpPredicate([hostile], "IP_ADDRESS"), /blocked IP range/, hostile);
  }
  assert.throws(() => blockedIpPredicate(["1.1.1.1/32"], "IP`) OR (1=1"), /identifier/);
  assert.throws(() => blockedIpPredicate(["1.1.1.1/32"], "ip; drop", "redshift"), /lowercase identifier/);
});

test("property: the predicate's string semantics equal CIDR membership for random addresses and ranges", () => {
  let seed = 42;
  const rand = (n: number) => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed % n;
  };
  const seen = { in: 0, out: 0 };
  for (let round = 0; round < 300; round++) {
    const bits = 8 + rand(25);
    const base = ipaddr.fromByteArray([rand(256), rand(256), rand(256), rand(256)]);
    const network = ipaddr.IPv4.networkAddressFromCIDR(`${base.toString()}/${bits}`).toString();
    const cidr = `${network}/${bits}`;
    const range = ipaddr.IPv4.parseCIDR(cidr);
    const matchers = compileBlockedRanges([cidr]);
    for (let i = 0; i < 20; i++) {
      // Half near the range (same leading octets), half anywhere.
      const bytes = i % 2 === 0 ? [...range[0].octets] : [rand(256), rand(256), rand(256), rand(256)];
      bytes[Math.min(3, Math.floor(bits / 8))] = rand(256);
      if (i % 4 === 0) bytes[3] = rand(256);
      const ip = ipaddr.fromByteArray(bytes).toString();
      const inside = ipaddr.IPv4.parse(ip).match(range);
      assert.equal(matchesIp(ip, matchers), inside, `${ip} in ${cidr}`);
      seen[inside ? "in" : "out"] += 1;
    }
  }
  assert.ok(seen.in > 500 && seen.out > 500, `both outcomes exercised: ${JSON.stringify(seen)}`);
  const all = compileBlockedRanges(["10.0.0.0/8"]);
  assert.equal(matchesIp("2001:db8::1", all), false, "IPv6 text never matches");
  assert.equal(matchesIp("110.1.2.3", all), false, "a longer first octet is not a prefix match");
});
