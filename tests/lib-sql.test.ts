import assert from "node:assert/strict";
import { test } from "node:test";
import {
  SqlTemplateError,
  ident,
  renderSql,
  sqlDecimal,
  sqlInt,
  sqlInterval,
  sqlString,
  statementName,
  withoutCommentLines,
} from "../lib/sql";

test("renders typed parameters with escaping", () => {
  const sql = renderSql("SELECT {{col}} FROM {{t}} WHERE note = {{note}} AND n > {{n}} AND a > {{a}};", {
    col: ident("after.ID"),
    t: ident("fd.SAMPLE.AUTH_USER"),
    note: sqlString("it's"),
    n: sqlInt(10),
    a: sqlDecimal(1000),
  });
  assert.equal(
    sql,
    "SELECT `after.ID` FROM `fd.SAMPLE.AUTH_USER` WHERE note = 'it''s' AND n > 10 AND a > 1000.00",
  );
});

test("hostile values cannot change the statement's structure", () => {
  assert.throws(() => ident("x`; DROP TABLE t; --"), SqlTemplateError);
  assert.throws(() => ident("1abc"), SqlTemplateError);
  assert.equal(renderSql("{{s}}", { s: sqlString("'; DROP TABLE t; --") }), "'''; DROP TABLE t; --'");
  assert.throws(() => sqlString("a\nb"), /control characters/);
  assert.throws(() => sqlInt(1.5), /whole number/);
  assert.throws(() => sqlDecimal(Number.NaN), /finite/);
  assert.throws(() => sqlInterval("10 MINUTE'; --"), /must look like/);
  assert.equal(renderSql("{{w}}", { w: sqlInterval("10 MINUTE") }), "INTERVAL '10' MINUTE");
});

test("intervals above 99 of their unit become days and a time of day, which Flink reads in any position", () => {
  const render = (v: string) => renderSql("{{w}}", { w: sqlInterval(v) });
  assert.equal(render("99 SECOND"), "INTERVAL '99' SECOND");
  assert.equal(render("100 SECOND"), "INTERVAL '0 00:01:40' DAY TO SECOND");
  assert.equal(render("8640 SECOND"), "INTERVAL '0 02:24:00' DAY TO SECOND");
  assert.equal(render("1440 MINUTE"), "INTERVAL '1 00:00:00' DAY TO SECOND");
  assert.equal(render("10080 MINUTE"), "INTERVAL '7 00:00:00' DAY TO SECOND");
  assert.equal(render("2399 HOUR"), "INTERVAL '99 23:00:00' DAY TO SECOND");
  assert.throws(() => render("2400 HOUR"), /longer than 99 days/);
});

test("a missing or unused parameter is an error naming it", () => {
  assert.throws(() => renderSql("{{a}} {{b}}", { a: sqlInt(1) }), /\{\{b\}\} has no parameter/);
  assert.throws(
    () => renderSql("{{a}}", { a: sqlInt(1), extra: sqlInt(2) }),
    /not used by the template: extra/,
  );
});

test("whole-line comments are not part of the statement (a comment edit never replaces a job)", () => {
  assert.equal(withoutCommentLines("-- a\nSELECT 1\n  -- b\nFROM t -- keep"), "SELECT 1\nFROM t -- keep");
});

test("statement names carry a hash that changes with the SQL", () => {
  const a = statementName("Create auth_user", "CREATE TABLE a (x INT)");
  const b = statementName("Create auth_user", "CREATE TABLE a (x BIGINT)");
  assert.match(a, /^create-auth-user-[0-9a-f]{8}$/);
  assert.notEqual(a, b);
  assert.ok(statementName("x".repeat(200), "s").length <= 72);
});
