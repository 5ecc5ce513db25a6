import assert from "node:assert/strict";
import { before, test } from "node:test";
import type { StackRun } from "../tools/offline/run-stack";
import {
  sourceTableStatements,
  TRANSACTION_EVENT_TIME,
  WATERMARK_DELAY,
} from "../stacks/connector/flink-statements";
import { runStackUnderTest, sharedStackRun } from "./helpers/stack-under-test";

const DEFAULTS = { topicPrefix: "fd", schema: "SAMPLE", buckets: 6 };
const statements = sourceTableStatements(DEFAULTS);
const sql = (key: string, p = DEFAULTS) => sourceTableStatements(p).find((s) => s.key === key)?.sql ?? "";
const names = (p: typeof DEFAULTS) =>
  Object.fromEntries(sourceTableStatements(p).map((s) => [s.key, s.statementName]));

test("six statements, ALTER → CREATE → INSERT per table", () => {
  assert.deepEqual(
    statements.map((s) => `${s.key}<${s.after ?? ""}`),
    [
      "alter-auth-user-cdc<",
      "create-auth-user<alter-auth-user-cdc",
      "insert-auth-user<create-auth-user",
      "alter-user-transaction-cdc<",
      "create-user-transaction<alter-user-transaction-cdc",
      "insert-user-transaction<create-user-transaction",
    ],
  );
});

test("ALTER switches the CDC topic to append + avro-registry", () => {
  assert.equal(
    sql("alter-auth-user-cdc"),
    "ALTER TABLE `fd.SAMPLE.AUTH_USER` SET (\n  'changelog.mode' = 'append',\n  'value.format' = 'avro-registry'\n)",
  );
});

test("CREATE: primary key ID, hash-distributed into the configured buckets, Avro, exact money type", () => {
  const t = sql("create-user-transaction");
  assert.match(t, /^CREATE TABLE `user_transaction` \(/);
  assert.match(t, /`ID` BIGINT NOT NULL,/);
  assert.match(t, /`AMOUNT` DECIMAL\(12, 2\),/);
  assert.match(t, /PRIMARY KEY \(`ID`\) NOT ENFORCED/);
  assert.match(t, /DISTRIBUTED BY HASH\(`ID`\) INTO 6 BUCKETS/);
  assert.match(t, /'changelog.mode' = 'append'/);
  assert.match(t, /'key.format' = 'avro-registry'/);
  assert.match(t, /'value.format' = 'avro-registry'/);
  assert.match(t, /'value.fields-include' = 'all'/);
  const u = sql("create-auth-user");
  assert.match(u, /'changelog.mode' = 'upsert'/);
  for (const col of ["ID", "LAST_LOGIN", "IS_SUPERUSER", "USERNAME", "FIRST_NAME", "LAST_NAME", "EMAIL"]) {
    assert.match(u, new RegExp("`" + col + "` "));
  }
  for (const col of ["IS_STAFF", "IS_ACTIVE", "DATE_JOINED"]) assert.match(u, new RegExp("`" + col + "` "));
  assert.doesNotMatch(u, /PASSWORD/, "the password hash is excluded at the source");
  assert.match(sql("create-auth-user", { ...DEFAULTS, buckets: 12 }), /INTO 12 BUCKETS/);
});

test("user_transaction: event time from RECEIVED_AT (epoch µs → ms), a short bounded watermark on it", () => {
  const t = sql("create-user-transaction");
  assert.equal(WATERMARK_DELAY, "5 SECOND");
  assert.match(t, /\n {2}`RECEIVED_AT` BIGINT,\n/, "the stored column stays epoch microseconds");
  assert.match(
    t,
    /\n {2}`EVENT_TIME` AS TO_TIMESTAMP_LTZ\(COALESCE\(`RECEIVED_AT`, 0\) \/ 1000, 3\),\n {2}WATERMARK FOR `EVENT_TIME` AS `EVENT_TIME` - INTERVAL '5' SECOND,\n {2}PRIMARY KEY/,
  );
  assert.equal(TRANSACTION_EVENT_TIME, "EVENT_TIME");
  assert.doesNotMatch(t, /\$rowtime/, "not the Kafka append time, which a replay restamps");
  assert.doesNotMatch(sql("create-auth-user"), /WATERMARK/, "users are joined, never windowed");
});

test("each INSERT fills exactly the physical columns of its table, in order (computed columns excluded)", () => {
  for (const table of ["auth-user", "user-transaction"]) {
    const physical = [...sql(`create-${table}`).matchAll(/^ {2}`(\w+)` (?!AS )[A-Z]/gm)].map((m) => m[1]);
    const computed = [...sql(`create-${table}`).matchAll(/^ {2}`(\w+)` AS /gm)].map((m) => m[1]);
    const inserted = [...sql(`insert-${table}`).matchAll(/ AS `(\w+)`,?$/gm)].map((m) => m[1]);
    assert.ok(physical.length >= 5, table);
    assert.deepEqual(inserted, physical, table);
    assert.deepEqual(computed, table === "user-transaction" ? ["EVENT_TIME"] : [], table);
  }
});

test("INSERT flattens `after` from the CDC topic into the table and skips deletes", () => {
  const i = sql("insert-user-transaction");
  assert.match(i, /^INSERT INTO `user_transaction`\nSELECT/);
  assert.match(i, /CAST\(`after`\.`AMOUNT` AS DECIMAL\(12, 2\)\) AS `AMOUNT`/);
  assert.match(i, /FROM `fd\.SAMPLE\.USER_TRANSACTION`\nWHERE `after` IS NOT NULL$/);
  assert.doesNotMatch(i, /--/, "template comments are not sent");
});

test("statement names: valid, carry the SQL hash, and change exactly when their SQL changes", () => {
  for (const s of statements) assert.match(s.statementName, /^[a-z0-9][a-z0-9-]{0,71}$/);
  const base = names(DEFAULTS);
  const buckets = names({ ...DEFAULTS, buckets: 12 });
  assert.notEqual(buckets["create-auth-user"], base["create-auth-user"]);
  assert.notEqual(buckets["create-user-transaction"], base["create-user-transaction"]);
  assert.equal(
    buckets["insert-auth-user"],
    base["insert-auth-user"],
    "a bucket change leaves the INSERT alone",
  );
  assert.equal(buckets["alter-auth-user-cdc"], base["alter-auth-user-cdc"]);
  const prefix = names({ ...DEFAULTS, topicPrefix: "cdc" });
  for (const key of [
    "alter-auth-user-cdc",
    "insert-auth-user",
    "alter-user-transaction-cdc",
    "insert-user-transaction",
  ]) {
    assert.notEqual(prefix[key], base[key], key);
  }
  assert.equal(prefix["create-auth-user"], base["create-auth-user"]);
  assert.deepEqual(names(DEFAULTS), base, "rendering is deterministic");
});

// ---- under mocks -------------------------------------------------------------------------------

let run: StackRun;
before(async () => {
  run = await sharedStackRun("connector");
});

const flinkStatements = (r: StackRun) =>
  r.resources.filter((x) => x.type === "confluentcloud:index/flinkStatement:FlinkStatement");

test("statements run as the statements account with the Flink key, in the environment's catalog and database", () => {
  const out = run.outputs as Record<string, string>;
  const stmts = flinkStatements(run);
  assert.deepEqual(
    stmts.map((s) => s.inputs.statementName).sort(),
    statements.map((s) => s.statementName).sort(),
  );
  for (const s of stmts) {
    const expected = statements.find((x) => x.statementName === s.inputs.statementName);
    assert.equal(s.inputs.statement, expected?.sql);
    assert.deepEqual(s.inputs.organization, { id: out.organizationId });
    assert.deepEqual(s.inputs.environment, { id: out.environmentId });
    assert.deepEqual(s.inputs.computePool, { id: out.flinkComputePoolId });
    assert.deepEqual(s.inputs.principal, { id: out.flinkStatementServiceAccountId });
    assert.equal(s.inputs.restEndpoint, out.flinkRestEndpoint);
    assert.deepEqual(s.inputs.credentials, { key: out.flinkApiKey, secret: out.flinkApiSecret });
    assert.ok(
      s.secretInputPaths.some((p) => p.startsWith("credentials")),
      `${s.name} credentials are secret`,
    );
    assert.ok(!JSON.stringify(s.maskedInputs).includes(String(out.flinkApiSecret)));
    assert.deepEqual(s.inputs.properties, {
      "sql.current-catalog": out.environmentName,
      "sql.current-database": out.kafkaClusterName,
    });
  }
});

test("ordering: gate → ALTER → CREATE → INSERT, and the gate waits for the connector", () => {
  const urn = (suffix: string) =>
    run.resources.find((r) => r.name === `flink-source-tables-${suffix}`)?.urn ?? "?";
  const deps = (suffix: string) =>
    run.resources.find((r) => r.name === `flink-source-tables-${suffix}`)?.dependencyUrns ?? [];
  for (const t of ["auth-user", "user-transaction"]) {
    assert.ok(deps(`alter-${t}-cdc`).includes(urn("cdc-subjects")));
    assert.ok(deps(`create-${t}`).includes(urn(`alter-${t}-cdc`)));
    assert.ok(deps(`insert-${t}`).includes(urn(`create-${t}`)));
    assert.ok(deps(`insert-${t}`).includes(urn("cdc-subjects")));
  }
  const connector = run.resources.find((r) => r.type === "confluentcloud:index/connector:Connector");
  assert.ok(connector && deps("cdc-subjects").includes(connector.urn));
  // The statements account's role bindings exist before any statement runs.
  const stmtSa = (run.outputs as Record<string, string>).flinkStatementServiceAccountId;
  const bindings = run.resources.filter((r) => r.inputs.principal === `User:${stmtSa}`);
  assert.equal(bindings.length, 21);
  for (const b of bindings) assert.ok(deps("alter-auth-user-cdc").includes(b.urn), b.name);
});

test("the subjects gate waits for both CDC value subjects with the app's Schema Registry key, secret kept secret", () => {
  const out = run.outputs as Record<string, string>;
  const gate = run.resources.find((r) => r.type === "pulumi-nodejs:dynamic/readiness:SchemaSubjectsGate");
  assert.ok(gate);
  assert.deepEqual(gate.inputs.subjects, ["fd.SAMPLE.AUTH_USER-value", "fd.SAMPLE.USER_TRANSACTION-value"]);
  assert.equal(gate.inputs.endpoint, out.schemaRegistryEndpoint);
  assert.equal(gate.inputs.timeoutMinutes, 15);
  const srKey = run.resources.find((r) => r.name === "access-schema-registry-api-key");
  assert.ok(srKey && gate.dependencyUrns.includes(srKey.urn));
  assert.ok(gate.secretInputPaths.includes("apiSecret"));
  assert.equal(gate.maskedInputs.apiSecret, "[secret]");
  assert.deepEqual(gate.additionalSecretOutputs, ["apiSecret"]);
});

test("a bucket change under mocks replaces exactly the CREATE statements", async () => {
  const more = await runStackUnderTest("connector", {
    overrides: { tableBuckets: 12, schemaReadyTimeoutMinutes: 30 },
  });
  const before = Object.fromEntries(flinkStatements(run).map((s) => [s.name, s.inputs.statementName]));
  const after = Object.fromEntries(flinkStatements(more).map((s) => [s.name, s.inputs.statementName]));
  const changed = Object.keys(before).filter((k) => before[k] !== after[k]);
  assert.deepEqual(changed, [
    "flink-source-tables-create-auth-user",
    "flink-source-tables-create-user-transaction",
  ]);
  const gate = more.resources.find((r) => r.type === "pulumi-nodejs:dynamic/readiness:SchemaSubjectsGate");
  assert.equal(gate?.inputs.timeoutMinutes, 30);
});
