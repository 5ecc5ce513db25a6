import assert from "node:assert/strict";
import { test } from "node:test";
import ipaddr from "ipaddr.js";
import { ConfigError } from "../lib/config";
import { declaredDefaults, readProject } from "../tools/offline/project-config";
import { StackRunError } from "../tools/offline/run-stack";
import {
  CONFIG_KEYS,
  loadProcessingConfig,
  SECRET_KEYS,
  snowflakeKeyBody,
} from "../stacks/processing/config";
import { APP_ALLOWED_IPS, APP_BLOCKED_IPS } from "./helpers/processing";
import { runStackUnderTest } from "./helpers/stack-under-test";

const project = readProject("processing");
const defaults = declaredDefaults(project);

// A syntactically valid (random, throw-away) key body: 64+ base64 characters.
const KEY_BODY = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7" + "A".repeat(64);
const SNOWFLAKE_ON = {
  enableSnowflake: "true",
  snowflakeUrl: "https://xy12345.us-east-1.snowflakecomputing.com",
  snowflakeUser: "FRAUD_SINK",
  snowflakeDatabase: "FRAUD",
  snowflakeSchema: "PUBLIC",
  snowflakeRole: "FRAUD_SINK_ROLE",
  snowflakePrivateKey: KEY_BODY,
};

function problemOf(raw: Record<string, string | undefined>): ConfigError {
  try {
    loadProcessingConfig(raw);
  } catch (err) {
    assert.ok(err instanceof ConfigError, String(err));
    return err;
  }
  assert.fail("expected a ConfigError");
}

test("the schema reads exactly the keys Pulumi.yaml declares, and the secret one is declared secret", () => {
  assert.deepEqual([...CONFIG_KEYS].sort(), project.keys.map((k) => k.key).sort());
  assert.deepEqual(
    project.keys.filter((k) => k.secret).map((k) => k.key),
    [...SECRET_KEYS],
  );
});

test("the declared defaults load into the documented typed values", () => {
  const cfg = loadProcessingConfig(defaults);
  assert.equal(cfg.windowMinutes, 10);
  assert.equal(cfg.maxWindowAmount, 1000);
  assert.equal(cfg.maxWindowCount, 10);
  assert.equal(cfg.singleTransactionLimit, 1000);
  assert.equal(cfg.flaggedIndex, "flagged_user");
  assert.equal(cfg.sinkErrorsTolerance, "all");
  assert.equal(cfg.enableSnowflake, false);
  assert.equal(cfg.snowflakePrivateKey, undefined);
  assert.equal(cfg.awsResourcesStack, undefined);
});

test("the default blocked ranges cover every blocked address of the app and none of its allowed ones", () => {
  const ranges = loadProcessingConfig(defaults).blockedIpRanges.map((r) => ipaddr.IPv4.parseCIDR(r));
  const blocked = (ip: string) => ranges.some((r) => ipaddr.IPv4.parse(ip).match(r));
  assert.deepEqual(
    APP_BLOCKED_IPS.filter((ip) => !blocked(ip)),
    [],
    "blocked addresses the default misses",
  );
  assert.deepEqual(APP_ALLOWED_IPS.filter(blocked), [], "allowed addresses the default would flag");
  for (const [, bits] of ranges) assert.equal(bits, 32, "the default is exact addresses only");
});

const bad: [string, Record<string, string>, string, RegExp][] = [
  ["window of 0 minutes", { windowMinutes: "0" }, "windowMinutes", /integer from 1 to 1440/],
  ["window over a day", { windowMinutes: "1441" }, "windowMinutes", /integer from 1 to 1440/],
  ["window not a number of minutes", { windowMinutes: "10m" }, "windowMinutes", /integer from 1 to 1440/],
  ["fractional window", { windowMinutes: "2.5" }, "windowMinutes", /integer from 1 to 1440/],
  ["amount threshold 0", { maxWindowAmount: "0" }, "maxWindowAmount", /integer from 1 to/],
  ["negative amount threshold", { maxWindowAmount: "-5" }, "maxWindowAmount", /integer from 1 to/],
  ["count threshold 0", { maxWindowCount: "0" }, "maxWindowCount", /integer from 1 to/],
  ["single limit 0", { singleTransactionLimit: "0" }, "singleTransactionLimit", /integer from 1 to/],
  ["bad CIDR in the blocked ranges", { blockedIpRanges: '["1.1.1.300/32"]' }, "blockedIpRanges", /IPv4 CIDR/],
  ["world-open blocked range", { blockedIpRanges: '["0.0.0.0/0"]' }, "blockedIpRanges", /whole internet/],
  [
    "host bits set",
    { blockedIpRanges: '["91.121.3.4/16"]' },
    "blockedIpRanges",
    /did you mean 91\.121\.0\.0\/16/,
  ],
  ["IPv6 blocked range", { blockedIpRanges: '["2001:db8::/32"]' }, "blockedIpRanges", /IPv4 CIDR/],
  ["empty blocked list", { blockedIpRanges: "[]" }, "blockedIpRanges", /at least one range/],
  ["duplicate blocked range", { blockedIpRanges: '["1.1.1.1/32","1.1.1.1/32"]' }, "blockedIpRanges", /twice/],
  ["blocked ranges not a list", { blockedIpRanges: "1.1.1.1/32" }, "blockedIpRanges", /JSON list/],
  ["uppercase index", { flaggedIndex: "Flagged_User" }, "flaggedIndex", /lowercase/],
  ["index with a space", { flaggedIndex: "flagged user" }, "flaggedIndex", /refuses/],
  ["index with a wildcard", { flaggedIndex: "flagged*" }, "flaggedIndex", /refuses/],
  ["index with a hash", { flaggedIndex: "flagged#1" }, "flaggedIndex", /refuses/],
  ["index starting with _", { flaggedIndex: "_flagged" }, "flaggedIndex", /must not start/],
  ["index starting with -", { flaggedIndex: "-flagged" }, "flaggedIndex", /must not start/],
  ["unknown errors tolerance", { sinkErrorsTolerance: "some" }, "sinkErrorsTolerance", /one of: all, none/],
  ["bad stack reference", { connectorStack: "connector/dev" }, "connectorStack", /fully qualified/],
  [
    "snowflake on without a key",
    { ...SNOWFLAKE_ON, snowflakePrivateKey: "" },
    "snowflakePrivateKey",
    /required when enableSnowflake/,
  ],
  [
    "snowflake on without a role",
    { ...SNOWFLAKE_ON, snowflakeRole: "" },
    "snowflakeRole",
    /required when enableSnowflake/,
  ],
  [
    "snowflake URL elsewhere",
    { ...SNOWFLAKE_ON, snowflakeUrl: "https://evil.example.com" },
    "snowflakeUrl",
    /snowflakecomputing\.com/,
  ],
  [
    "snowflake user with a quote",
    { ...SNOWFLAKE_ON, snowflakeUser: "a'b" },
    "snowflakeUser",
    /Snowflake identifier/,
  ],
  ["bad tag value", { owner: "team{x}" }, "owner", /tag value/],
];
for (const [label, override, key, expected] of bad) {
  test(`rejects ${label}, naming processing:${key}`, () => {
    const err = problemOf({ ...defaults, ...override });
    const problem = err.problems.find((p) => p.key === key);
    assert.ok(problem, `no problem reported for ${key}: ${err.message}`);
    assert.match(problem.message, expected);
    assert.match(err.message, new RegExp(`processing:${key} = `));
  });
}

test("a bad Snowflake key is refused without echoing it", () => {
  const secret = "not-a-key-but-a-secret-value-that-must-never-be-printed";
  const err = problemOf({ ...defaults, ...SNOWFLAKE_ON, snowflakePrivateKey: secret });
  assert.match(err.message, /processing:snowflakePrivateKey = "\[secret\]": must be an unencrypted PKCS#8/);
  assert.ok(!err.message.includes(secret));
  // Also when another key is bad at the same time.
  const both = problemOf({ ...defaults, ...SNOWFLAKE_ON, snowflakePrivateKey: secret, windowMinutes: "0" });
  assert.ok(!both.message.includes(secret));
  assert.deepEqual(both.problems.map((p) => p.key).sort(), ["snowflakePrivateKey", "windowMinutes"]);
});

test("a PEM Snowflake key is reduced to its body; an encrypted one is refused", () => {
  const pem = `-----BEGIN PRIVATE KEY-----\n${KEY_BODY.slice(0, 40)}\n${KEY_BODY.slice(40)}\n-----END PRIVATE KEY-----\n`;
  assert.equal(snowflakeKeyBody(pem), KEY_BODY);
  assert.equal(snowflakeKeyBody(pem.replace(/PRIVATE KEY/g, "ENCRYPTED PRIVATE KEY")), undefined);
  assert.equal(
    loadProcessingConfig({ ...defaults, ...SNOWFLAKE_ON, snowflakePrivateKey: pem }).snowflakePrivateKey,
    KEY_BODY,
  );
});

test("bad config stops the program before any resource, even a stack reference, is registered", async () => {
  await assert.rejects(
    runStackUnderTest("processing", { overrides: { windowMinutes: 0, flaggedIndex: "Bad Index" } }),
    (err: unknown) =>
      err instanceof StackRunError &&
      err.resources.length === 0 &&
      /processing:windowMinutes = "0"/.test(err.message) &&
      /processing:flaggedIndex = "Bad Index"/.test(err.message),
  );
});
