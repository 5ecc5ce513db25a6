import assert from "node:assert/strict";
import { test } from "node:test";
import { z } from "zod";
import { ConfigError, bool, int, list, num, oneOf, parseConfig, qualify, str } from "../lib/config";
import { zRestrictedCidr } from "../lib/validators";

const schema = z.object({
  name: str(),
  count: int(1, 5),
  ratio: num(0.5, 2),
  enabled: bool(),
  cidrs: list(zRestrictedCidr()),
  mode: oneOf(["a", "b"]),
});
const good = { name: "x", count: "3", ratio: "1.5", enabled: "true", cidrs: '["10.1.0.0/16"]', mode: "a" };

function problemsOf(raw: Record<string, string | undefined>): string {
  try {
    parseConfig("proj", schema, raw);
  } catch (err) {
    assert.ok(err instanceof ConfigError);
    return err.message;
  }
  assert.fail("expected a ConfigError");
}

test("decodes Pulumi's string config into typed values", () => {
  assert.deepEqual(parseConfig("proj", schema, good), {
    name: "x",
    count: 3,
    ratio: 1.5,
    enabled: true,
    cidrs: ["10.1.0.0/16"],
    mode: "a",
  });
});

const bad: [string, Record<string, string | undefined>, RegExp][] = [
  ["non-integer", { count: "2.5" }, /proj:count = "2.5": must be an integer from 1 to 5/],
  ["not a number", { count: "three" }, /proj:count = "three": must be an integer from 1 to 5/],
  ["below range", { ratio: "0.1" }, /proj:ratio = "0.1": must be a number from 0.5 to 2/],
  ["bad boolean", { enabled: "yes" }, /proj:enabled = "yes": must be "true" or "false"/],
  ["not a JSON list", { cidrs: "10.0.0.0/8" }, /proj:cidrs = "10.0.0.0\/8": must be a JSON list/],
  [
    "world-open CIDR",
    { cidrs: '["0.0.0.0/0"]' },
    /proj:cidrs .*open to \(nearly\) the whole internet.*\(at 0\)/,
  ],
  ["unknown enum", { mode: "c" }, /proj:mode = "c": must be one of: a, b/],
  ["missing required", { name: undefined }, /proj:name = null/],
  ["unknown key", { colour: "red" }, /proj:colour = "red": unknown key; allowed keys: cidrs, count/],
];
for (const [label, override, expected] of bad) {
  test(`rejects ${label}, naming the key and value`, () => {
    assert.match(problemsOf({ ...good, ...override }), expected);
  });
}

test("reports every problem at once", () => {
  const message = problemsOf({ ...good, count: "0", mode: "z" });
  assert.match(message, /proj:count/);
  assert.match(message, /proj:mode/);
});

test("qualify leaves other namespaces alone", () => {
  assert.equal(qualify("proj", "region"), "proj:region");
  assert.equal(qualify("proj", "aws:region"), "aws:region");
});
