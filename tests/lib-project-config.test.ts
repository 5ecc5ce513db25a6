import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { configString, declaredDefaults, stackConfig } from "../lib/project-config";
import type { ProjectFile } from "../lib/project-config";

function project(stackYaml: string): ProjectFile {
  const dir = mkdtempSync(path.join(tmpdir(), "proj-"));
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, "Pulumi.dev.yaml"), stackYaml);
  return {
    name: "demo",
    dir,
    keys: [
      { key: "prefix", type: "string", description: "p", default: "fd", secret: false },
      { key: "cidrs", type: "array", description: "c", default: [], secret: false },
      { key: "count", type: "integer", description: "n", default: 3, secret: false },
      { key: "token", type: "string", description: "t", secret: true },
    ],
  };
}

test("stack values overlay declared defaults, stringified and qualified like the CLI", () => {
  const p = project("config:\n  demo:count: 5\n  aws:region: eu-west-1\n  demo:token:\n    secure: AAAA\n");
  const { config, secretKeys } = stackConfig(p, "dev");
  assert.deepEqual(config, {
    "demo:prefix": "fd",
    "demo:cidrs": "[]",
    "demo:count": "5",
    "aws:region": "eu-west-1",
    "demo:token": "offline-placeholder-secret",
  });
  assert.deepEqual(secretKeys, ["demo:token"]);
});

test("overrides win and null removes a value", () => {
  const p = project("config: {}\n");
  const { config } = stackConfig(p, "dev", { prefix: "zz", count: null });
  assert.equal(config["demo:prefix"], "zz");
  assert.equal(config["demo:count"], undefined);
  assert.deepEqual(declaredDefaults(p), { prefix: "fd", cidrs: "[]", count: "3" });
  assert.equal(configString(["a"]), '["a"]');
});
