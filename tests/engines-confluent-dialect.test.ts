import assert from "node:assert/strict";
import { test } from "node:test";
import {
  adaptProperties,
  adaptStatement,
  DEFAULT_ROWTIME_WATERMARK,
} from "../engines/driver/confluent-dialect";
import { sourceTableStatements } from "../stacks/connector/flink-statements";
import { ALERTS_TABLE, renderCreateFraudAlerts } from "../stacks/processing/alerts/sql";
import { renderCreateFlaggedUser } from "../stacks/processing/fraud-rules/sql";

// The engine tier's one dialect adapter: table options, $rowtime and DISTRIBUTED BY change; nothing
// else does, and what it does not know it refuses.

const kafka = { bootstrapServers: "127.0.0.1:9092" };
const options = (sql: string) =>
  Object.fromEntries([...sql.matchAll(/'([^']+)' = '([^']*)'/g)].map((m) => [m[1], m[2]] as const));

test("an upsert table becomes upsert-kafka with JSON key and value, its key and $rowtime kept", () => {
  const a = adaptStatement(renderCreateFlaggedUser({ flaggedTable: "flagged_user" }), kafka);
  assert.deepEqual(options(a.sql.slice(a.sql.indexOf("WITH ("))), {
    "value.fields-include": "all",
    connector: "upsert-kafka",
    "key.format": "json",
    "value.format": "json",
    topic: "flagged_user",
    "properties.bootstrap.servers": "127.0.0.1:9092",
  });
  assert.match(a.sql, /PRIMARY KEY \(`account_id`\) NOT ENFORCED/);
  assert.match(a.sql, /`\$rowtime` TIMESTAMP_LTZ\(3\) METADATA FROM 'timestamp' VIRTUAL/);
  assert.ok(a.sql.includes(`WATERMARK FOR \`$rowtime\` AS ${DEFAULT_ROWTIME_WATERMARK}`));
  assert.deepEqual(a.topic, { name: "flagged_user", partitions: 1, config: { "cleanup.policy": "compact" } });
});

test("an append table becomes kafka from its beginning: its informational key goes, DISTRIBUTED BY names the key fields", () => {
  const create = sourceTableStatements({ topicPrefix: "fd", schema: "SAMPLE", buckets: 6 }).find(
    (s) => s.key === "create-user-transaction",
  );
  assert.ok(create);
  const a = adaptStatement(create.sql, kafka);
  assert.doesNotMatch(a.sql, /PRIMARY KEY|DISTRIBUTED|BUCKETS/);
  const o = options(a.sql.slice(a.sql.indexOf("WITH (")));
  assert.equal(o.connector, "kafka");
  assert.equal(o["key.fields"], "ID");
  assert.equal(o["scan.startup.mode"], "earliest-offset");
  // Its own watermark stays the only one; $rowtime is there as on Confluent, without a watermark.
  assert.equal([...a.sql.matchAll(/WATERMARK FOR/g)].length, 1);
  assert.match(a.sql, /WATERMARK FOR `EVENT_TIME` AS `EVENT_TIME` - INTERVAL '5' SECOND/);
  assert.match(a.sql, /`\$rowtime` TIMESTAMP_LTZ\(3\) METADATA/);
  assert.deepEqual(a.topic?.config, { "cleanup.policy": "delete" });
});

test("the alert feed's bucket column becomes its key; kafka.* options become topic configs", () => {
  const a = adaptStatement(renderCreateFraudAlerts({ alertsTable: ALERTS_TABLE }), kafka);
  assert.equal(options(a.sql)["key.fields"], "account_id");
  const t = adaptStatement(
    "CREATE TABLE t (x BIGINT) WITH ('changelog.mode' = 'append', 'kafka.retention.time' = '7 d', 'kafka.retention.size' = '-1', 'value.format' = 'avro-registry')",
    kafka,
  );
  assert.deepEqual(t.topic?.config, { "retention.ms": String(7 * 86_400_000), "retention.bytes": "-1" });
});

test("ALTER TABLE … SET maps the same options; queries, hints and joins pass through unchanged", () => {
  const alter = sourceTableStatements({ topicPrefix: "fd", schema: "SAMPLE", buckets: 6 }).find(
    (s) => s.key === "alter-auth-user-cdc",
  );
  assert.ok(alter);
  const a = adaptStatement(alter.sql, kafka);
  assert.match(a.sql, /^ALTER TABLE `fd\.SAMPLE\.AUTH_USER` SET \(/);
  assert.equal(options(a.sql)["value.format"], "json");
  assert.equal(a.topic, undefined);
  const query =
    "INSERT INTO t SELECT /*+ STATE_TTL('u' = '0') */ a.x FROM (SELECT * FROM s /*+ OPTIONS('scan.startup.mode' = 'latest-offset') */) AS a JOIN u ON a.x = u.x";
  assert.deepEqual(adaptStatement(query, kafka), { sql: query });
});

test("what the adapter does not know is refused, naming it", () => {
  const refused: [string, RegExp][] = [
    ["CREATE TABLE t (x INT) WITH ('changelog.mode' = 'retract')", /'changelog\.mode' = 'retract'/],
    [
      "CREATE TABLE t (x INT) WITH ('value.format' = 'protobuf-registry')",
      /'value\.format' = 'protobuf-registry'/,
    ],
    ["CREATE TABLE t (x INT) WITH ('kafka.consumer.isolation-level' = 'read-committed')", /kafka\.consumer/],
    ["CREATE TABLE t (x INT) WITH ('connector' = 'datagen')", /table option 'connector'/],
    ["CREATE TABLE t (x INT)", /without WITH/],
    ["CREATE TABLE t AS SELECT 1", /column list/],
    ["ALTER TABLE t ADD y INT", /ALTER TABLE t SET/],
    ["CREATE VIEW v AS SELECT 1", /statement/],
  ];
  for (const [sql, message] of refused) assert.throws(() => adaptStatement(sql, kafka), message, sql);
});

test("statement properties: the state TTL and time zone map to their options; catalog and database go; others are refused", () => {
  assert.deepEqual(
    adaptProperties({
      "sql.current-catalog": "env",
      "sql.current-database": "cluster",
      "sql.state-ttl": "60 min",
      "sql.local-time-zone": "UTC",
    }),
    { "table.exec.state.ttl": "60 min", "table.local-time-zone": "UTC" },
  );
  assert.throws(
    () => adaptProperties({ "sql.tables.scan.idle-timeout": "1 s" }),
    /'sql\.tables\.scan\.idle-timeout'/,
  );
});
