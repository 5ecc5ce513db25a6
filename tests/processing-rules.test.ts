import assert from "node:assert/strict";
import { test } from "node:test";
import { declaredDefaults, readProject } from "../tools/offline/project-config";
import { statementName } from "../lib/sql";
import { sourceTableStatements, TRANSACTION_EVENT_TIME } from "../stacks/connector/flink-statements";
import { loadProcessingConfig } from "../stacks/processing/config";
import type { FraudThresholds } from "../stacks/processing/fraud-rules/sql";
import {
  renderCreateFlaggedUser,
  renderFraudRules,
  SOURCE_COLUMNS,
} from "../stacks/processing/fraud-rules/sql";
import { blockedIpPredicate } from "../stacks/processing/fraud-rules/ip-ranges";

const defaults: FraudThresholds = loadProcessingConfig(declaredDefaults(readProject("processing")));
const tables = { flaggedTable: "flagged_user", userTable: "auth_user", transactionTable: "user_transaction" };

test("the job judges each transaction alone and with its account's trailing window, keeps each account's latest, and upserts flagged_user", () => {
  const sql = renderFraudRules(defaults, tables);
  assert.match(
    sql,
    /WINDOW w AS \(PARTITION BY `ACCOUNT_ID` ORDER BY `EVENT_TIME` RANGE BETWEEN INTERVAL '10' MINUTE PRECEDING AND CURRENT ROW\)/,
  );
  assert.equal([...sql.matchAll(/ OVER w AS /g)].length, 4, "one OVER window for every aggregate");
  assert.equal([...sql.matchAll(/FROM `user_transaction` AS t/g)].length, 2, "alone and with its window");
  assert.match(sql, /UNION ALL/);
  assert.match(
    sql,
    /ROW_NUMBER\(\) OVER \(PARTITION BY `account_id` ORDER BY `event_time` DESC\) AS `latest`/,
  );
  assert.match(sql, /WHERE `latest` = 1\n\) AS c\nJOIN `auth_user` AS u ON c\.`account_id` = u\.`ID`/);
  assert.doesNotMatch(sql, /\$rowtime|HOP\(|GROUP BY/, "no Kafka append time, no window that must close");
  assert.match(sql, /^INSERT INTO `flagged_user` \(/m);
  const create = renderCreateFlaggedUser(tables);
  assert.match(create, /PRIMARY KEY \(`account_id`\) NOT ENFORCED/);
  assert.match(create, /'changelog\.mode' = 'upsert'/);
  assert.match(create, /'value\.format' = 'avro-registry'/);
  assert.match(create, /'key\.format' = 'avro-registry'/);
});

test("the rules order by the very column the connector's user_transaction puts its watermark on", () => {
  assert.equal(SOURCE_COLUMNS.transactionTime, TRANSACTION_EVENT_TIME);
  const create = sourceTableStatements({ topicPrefix: "fd", schema: "SAMPLE", buckets: 6 }).find(
    (s) => s.key === "create-user-transaction",
  );
  const column = "`" + TRANSACTION_EVENT_TIME + "`";
  const watermarks = [...(create?.sql ?? "").matchAll(/WATERMARK FOR (\S+) AS /g)].map((m) => m[1]);
  assert.deepEqual(watermarks, [column], "one watermark, on the event-time column");
  const ordered = [
    ...renderFraudRules(defaults, tables).matchAll(/PARTITION BY `ACCOUNT_ID` ORDER BY (\S+) RANGE/g),
  ].map((m) => m[1]);
  assert.deepEqual(ordered, [column]);
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

// ---- the generated IP predicate ----

test("Flink gets one anchored regular expression; Redshift compares octet text", () => {
  assert.equal(
    blockedIpPredicate(["1.1.1.1/32", "1.0.0.1/32"], "IP_ADDRESS"),
    "REGEXP(`IP_ADDRESS`, '^(?:1[.]1[.]1[.]1|1[.]0[.]0[.]1)$')",
  );
  const octet = "(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
  assert.equal(
    blockedIpPredicate(["91.121.0.0/16"], "IP_ADDRESS"),
    `REGEXP(\`IP_ADDRESS\`, '^(?:91[.]121[.]${octet}[.]${octet})$')`,
  );
  assert.equal(
    blockedIpPredicate(["10.64.0.0/14"], "IP_ADDRESS"),
    `REGEXP(\`IP_ADDRESS\`, '^(?:10[.](?:64|65|66|67)[.]${octet}[.]${octet})$')`,
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
