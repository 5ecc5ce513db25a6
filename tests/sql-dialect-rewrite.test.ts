import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { PGlite } from "@electric-sql/pglite";
import { connectorSourceTables } from "./helpers/sql-engine";
import { FLINK_FUNCTIONS } from "./helpers/flink-functions";
import { describeFlinkTable, flinkToPostgres } from "./helpers/flink-to-postgres";
import { REDSHIFT_FUNCTIONS, redshiftToPostgres } from "./helpers/redshift-to-postgres";

// The test-only rewrites that let the rules and views run on embedded Postgres: every mapping is
// executed here on its own, against the result the source dialect defines.

let db: PGlite;
before(async () => {
  db = new PGlite();
  await db.exec("SET TimeZone = 'UTC'; CREATE TABLE t (x bigint, s text, at timestamptz)");
});
after(async () => {
  await db.close();
});

const one = async (pg: string): Promise<unknown> => {
  const row = (await db.query<Record<string, unknown>>(pg)).rows[0] ?? {};
  return Object.values(row)[0];
};
const flink = (expr: string) => one(flinkToPostgres(`SELECT ${expr} AS v`));
const redshift = (expr: string) => one(redshiftToPostgres(`SELECT ${expr} AS v`));
const iso = (v: unknown) => (v instanceof Date ? v.toISOString() : v);

test("Flink functions: each maps to a Postgres expression with Flink's result", async () => {
  await db.exec("DELETE FROM t; INSERT INTO t VALUES (1, 'a', NULL), (5, NULL, NULL), (3, 'c', NULL)");
  const cases: [string, unknown][] = [
    ["(SELECT COUNT(*) FROM t)", 3],
    ["(SELECT SUM(x) FROM t)", "9"], // numeric where Flink has BIGINT: the same value
    ["(SELECT MAX(x) FROM t)", 5],
    ["(SELECT MIN(x) FROM t)", 1],
    ["COALESCE(NULL, 'b')", "b"],
    ["NULLIF('a', 'a')", null],
    ["CONCAT_WS(',', 'a', CAST(NULL AS STRING), 'b')", "a,b"],
    ["LOWER('AbC')", "abc"],
    ["UPPER('AbC')", "ABC"],
    ["(SELECT MAX(r) FROM (SELECT ROW_NUMBER() OVER (ORDER BY x) AS r FROM t) AS n)", 3],
    ["(SELECT MAX(p) FROM (SELECT LAG(x) OVER (ORDER BY x) AS p FROM t) AS n)", 3],
    ["(SELECT MAX(p) FROM (SELECT LEAD(x) OVER (ORDER BY x) AS p FROM t) AS n)", 5],
    ["CONCAT('a', CAST(NULL AS STRING))", null],
    ["CONCAT('a', 1, 'b')", "a1b"],
    ["SPLIT_INDEX('10.64.1.2', '.', 1)", "64"],
    ["SPLIT_INDEX('10.64.1.2', '.', 4)", null],
    ["SPLIT_INDEX('a..b', '.', 1)", ""],
    ["REGEXP('10.64.1.2', '^(?:10[.](?:64|65)[.][0-9]+[.][0-9]+)$')", true],
    ["REGEXP('110.64.1.2', '^(?:10[.](?:64|65)[.][0-9]+[.][0-9]+)$')", false],
    ["REGEXP(CAST(NULL AS STRING), '^1')", null],
    ["TO_TIMESTAMP_LTZ(1772442000123, 3)", "2026-03-02T09:00:00.123Z"],
    ["TO_TIMESTAMP_LTZ(1772442000, 0)", "2026-03-02T09:00:00.000Z"],
  ];
  for (const [expr, want] of cases) assert.equal(iso(await flink(expr)), want, expr);
  const tested = cases.map(([e]) => e).join(" ");
  for (const name of Object.keys(FLINK_FUNCTIONS))
    assert.ok(tested.includes(`${name}(`), `${name} is tested`);
});

test("Flink types and casts map to the Postgres types holding the same values", async () => {
  const cases: [string, string][] = [
    ["STRING", "text"],
    ["BOOLEAN", "boolean"],
    ["TINYINT", "smallint"],
    ["BIGINT", "bigint"],
    ["FLOAT", "real"],
    ["DOUBLE", "double precision"],
    ["DECIMAL(12, 2)", "numeric(12, 2)"],
    ["DECIMAL", "numeric(10, 0)"],
    ["VARCHAR(5)", "varchar(5)"],
    ["TIMESTAMP(3)", "timestamp(3)"],
    ["TIMESTAMP_LTZ(3)", "timestamptz(3)"],
    ["TIMESTAMP(3) WITH LOCAL TIME ZONE", "timestamptz(3)"],
  ];
  for (const [type, pg] of cases) {
    assert.equal(flinkToPostgres(`SELECT CAST(x AS ${type}) FROM t`), `SELECT CAST(x AS ${pg}) FROM t`);
    await db.query(`SELECT CAST(NULL AS ${pg})`);
  }
  assert.equal(await flink("CAST(7 / 2 AS DOUBLE)"), 3, "integer division, as in Flink");
  assert.equal(await flink("CAST(1.005 AS DECIMAL(12, 2))"), "1.01");
  for (const bad of ["ARRAY<INT>", "MAP<STRING, INT>", "TIMESTAMP WITH TIME ZONE", "INTERVAL DAY"]) {
    assert.throws(() => flinkToPostgres(`SELECT CAST(x AS ${bad}) FROM t`), /Flink type/, bad);
  }
});

test("identifiers: backticks become double quotes, $rowtime is a column, strings and comments are untouched", () => {
  assert.equal(
    flinkToPostgres("SELECT `a``b`, `$rowtime`, $rowtime, '`x`' -- `y`\nFROM `t`"),
    `SELECT "a\`b", "$rowtime", "$rowtime", '\`x\`' -- \`y\`\nFROM "t"`,
  );
  assert.throws(() => flinkToPostgres('SELECT "a" FROM t'), /double-quoted/);
  // Flink names are case-sensitive: a qualified column keeps its case (Postgres would fold it).
  assert.equal(flinkToPostgres("SELECT u.EMAIL, u.x FROM t AS u"), 'SELECT u."EMAIL", u."x" FROM t AS u');
});

test("an event-time OVER over a trailing range runs as Postgres's RANGE frame, its lower edge included; window table functions are refused", async () => {
  await db.exec(
    "DELETE FROM t; INSERT INTO t VALUES (1, 'a', '2026-03-02 09:00:00+00'), (2, 'a', '2026-03-02 09:10:00+00'), (4, 'a', '2026-03-02 09:10:00.001+00')",
  );
  const counts = (
    await db.query<{ x: number; c: string; total: string }>(
      flinkToPostgres(
        "SELECT x, COUNT(*) OVER w AS c, SUM(x) OVER w AS total FROM t WINDOW w AS (PARTITION BY s ORDER BY `at` RANGE BETWEEN INTERVAL '10' MINUTE PRECEDING AND CURRENT ROW) ORDER BY x",
      ),
    )
  ).rows.map((r) => `${r.x}:${r.c}:${r.total}`);
  // 09:10:00 still sees 09:00:00 (exactly 10 minutes before); 09:10:00.001 no longer does.
  assert.deepEqual(counts, ["1:1:1", "2:2:3", "4:2:6"]);
  for (const tvf of [
    "HOP(TABLE t, DESCRIPTOR(at), INTERVAL '1' MINUTE, INTERVAL '5' MINUTE)",
    "TUMBLE(TABLE t, DESCRIPTOR(at), INTERVAL '10' MINUTE)",
  ]) {
    assert.throws(
      () => flinkToPostgres(`SELECT * FROM TABLE(${tvf})`),
      /DESCRIPTOR|Flink function TABLE/,
      tvf,
    );
  }
});

test("a temporal join's FOR SYSTEM_TIME AS OF <time attribute> is dropped; any other form is refused", async () => {
  const sql = flinkToPostgres(
    "SELECT a.x FROM t AS a JOIN t FOR SYSTEM_TIME AS OF a.`at` AS b ON a.x = b.x WHERE a.x = 1",
  );
  assert.equal(sql, `SELECT a."x" FROM t AS a JOIN t AS b ON a."x" = b."x" WHERE a."x" = 1`);
  assert.deepEqual((await db.query(sql)).rows, [{ x: 1 }]);
  assert.throws(() =>
    flinkToPostgres("SELECT 1 FROM t JOIN t FOR SYSTEM_TIME AS OF PROCTIME() AS b ON TRUE"),
  );
});

test("hints that change nothing in a batch run (state TTL, source start) are dropped; others refused", async () => {
  const accepted = flinkToPostgres(
    "SELECT /*+ STATE_TTL('u' = '0') */ x FROM t /*+ OPTIONS('scan.startup.mode' = 'latest-offset') */ AS u",
  );
  assert.doesNotMatch(accepted, /\/\*/);
  await db.query(accepted);
  for (const hint of ["OPTIONS('scan.startup.mode' = 'x', 'value.format' = 'json')", "BROADCAST(t)"]) {
    assert.throws(() => flinkToPostgres(`SELECT /*+ ${hint} */ x FROM t`), /SQL hint/, hint);
  }
});

test("Flink syntax the rewrite does not know is refused, naming it", () => {
  const refused: [string, RegExp][] = [
    ["SELECT AVG(x) FROM t", /Flink function AVG/],
    ["SELECT DATE_FORMAT(at, 'yyyy') FROM t", /Flink function DATE_FORMAT/],
    ["SELECT TRY_CAST(s AS INT) FROM t", /Flink function TRY_CAST/],
    ["SELECT x FROM t GROUP BY HOP(at, INTERVAL '1' MINUTE, INTERVAL '5' MINUTE), x", /Flink function HOP/],
    ["SELECT CURRENT_TIMESTAMP FROM t", /processing time/],
    ["SELECT PROCTIME() FROM t", /processing time/],
    ["SELECT * FROM t MATCH_RECOGNIZE (ORDER BY at)", /MATCH_RECOGNIZE/],
    ["SELECT * FROM t, LATERAL TABLE(f(s))", /LATERAL/],
    ["SELECT /*+ OPTIONS('a'='b') */ x FROM t", /SQL hint/],
    ["SELECT * FROM TABLE(f(1))", /Flink function TABLE/],
    ["SELECT x FROM t; SELECT x FROM t", /more than one statement/],
    ["INSERT OVERWRITE t SELECT * FROM t", /INSERT OVERWRITE/],
    ["ALTER TABLE t SET ('changelog.mode' = 'append')", /Flink statement "ALTER"/],
    ["EXECUTE STATEMENT SET BEGIN INSERT INTO t SELECT * FROM t; END", /Flink statement "EXECUTE"/],
    ["CREATE TABLE t (x INT METADATA FROM 'offset')", /metadata/],
    ["CREATE TABLE t (x INT) PARTITIONED BY (x)", /PARTITIONED/],
    ["CREATE TEMPORARY TABLE t (x INT)", /CREATE TEMPORARY/],
    ["CREATE VIEW v AS SELECT 1", /CREATE VIEW/],
  ];
  for (const [sql, message] of refused) assert.throws(() => flinkToPostgres(sql), message, sql);
});

test("the connector's CREATE TABLEs: physical columns, a computed event time, no Kafka options", async () => {
  const [users, transactions] = connectorSourceTables().map(describeFlinkTable);
  assert.deepEqual(users?.primaryKey, ["ID"]);
  assert.deepEqual(transactions?.watermark, "EVENT_TIME");
  assert.deepEqual(
    transactions?.columns.map((c) => [c.name, c.type ?? "computed"]),
    [
      ["ID", "bigint"],
      ["AMOUNT", "numeric(12, 2)"],
      ["RECEIVED_AT", "bigint"],
      ["IP_ADDRESS", "text"],
      ["ACCOUNT_ID", "bigint"],
      ["EVENT_TIME", "computed"],
    ],
  );
  await db.exec('DROP VIEW IF EXISTS user_transaction; DROP TABLE IF EXISTS "user_transaction$physical"');
  await db.exec(flinkToPostgres(connectorSourceTables()[1] ?? ""));
  // Microseconds → milliseconds (integer division), NULL → the epoch, as the Flink column computes.
  await db.exec(`INSERT INTO user_transaction ("ID", "RECEIVED_AT") VALUES (1, 1772442000123999), (1, NULL)`);
  const times = await db.query<{ t: Date }>(`SELECT "EVENT_TIME" AS t FROM user_transaction ORDER BY 1`);
  assert.deepEqual(
    times.rows.map((r) => r.t.toISOString()),
    ["1970-01-01T00:00:00.000Z", "2026-03-02T09:00:00.123Z"],
    "a NOT ENFORCED key is not enforced",
  );
});

test("Redshift: late binding dropped, GETDATE, DATEADD and NVL rewritten, known functions kept", async () => {
  assert.equal(
    redshiftToPostgres("CREATE OR REPLACE VIEW v AS SELECT 1 AS x\nWITH NO SCHEMA BINDING;"),
    "CREATE OR REPLACE VIEW v AS SELECT 1 AS x",
  );
  const now = await redshift("GETDATE()");
  assert.ok(now instanceof Date && now.getMilliseconds() === 0 && Math.abs(+now - Date.now()) < 600_000);
  const cases: [string, unknown][] = [
    ["DATEADD(day, 1, DATE '2026-03-02')", "2026-03-03T00:00:00.000Z"],
    ["DATEADD('minute', -5, TIMESTAMP '2026-03-02 09:00:00')", "2026-03-02T08:55:00.000Z"],
    ["NVL(NULL, 'b')", "b"],
    ["BTRIM('too_far,', ',')", "too_far"],
    ["SPLIT_PART('10.64.1.2', '.', 2)", "64"],
    ["CAST(DATE_TRUNC('day', TIMESTAMP '2026-03-02 09:10:11') AS DATE)", "2026-03-02T00:00:00.000Z"],
    ["TIMESTAMP 'epoch' + (1772442000123456 / 1000000) * INTERVAL '1 second'", "2026-03-02T09:00:00.000Z"],
    ["(SELECT COUNT(*) + SUM(x) + MAX(x) + MIN(x) FROM (SELECT 1 AS x) AS o)", 4],
    ["COALESCE(NULLIF(1, 1), 2)", 2],
  ];
  for (const [expr, want] of cases) assert.equal(iso(await redshift(expr)), want, expr);
  const tested = ["GETDATE()", ...cases.map(([e]) => e)].join(" ");
  for (const name of Object.keys(REDSHIFT_FUNCTIONS)) assert.ok(tested.includes(`${name}(`), name);
  for (const [sql, message] of [
    ["SELECT LISTAGG(x, ',') FROM t", /Redshift function LISTAGG/],
    ["SELECT DATEDIFF(day, at, at) FROM t", /Redshift function DATEDIFF/],
    ["SELECT DATEADD(quarter, 1, at) FROM t", /date part/],
    ["CREATE TABLE x (a INT) DISTKEY(a)", /DISTKEY/],
    ["SELECT SYSDATE", /SYSDATE/],
  ] as const) {
    assert.throws(() => redshiftToPostgres(sql), message, sql);
  }
});
