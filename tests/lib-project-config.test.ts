import assert from "node:assert/strict";
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import {
  configString,
  declarationProblem,
  declaredDefaults,
  readProject,
  stackConfig,
} from "../tools/offline/project-config";
import type { ProjectFile } from "../tools/offline/project-config";

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

test("declarations the Pulumi CLI refuses are refused: an array needs an items type, a default its type", () => {
  const strings = { type: "string" };
  assert.equal(
    declarationProblem("cidrs", { type: "array", items: strings, default: ["10.0.0.0/8"] }),
    undefined,
  );
  assert.equal(declarationProblem("n", { type: "integer", default: 50 }), undefined);
  assert.equal(declarationProblem("on", { type: "boolean", default: false }), undefined);
  assert.equal(declarationProblem("ami", { type: "string", default: "" }), undefined);
  assert.match(
    declarationProblem("cidrs", { type: "array", default: [] }) ?? "",
    /config key 'cidrs' declares an array without an 'items' type .*the Pulumi CLI refuses/,
  );
  assert.match(declarationProblem("cidrs", { type: "array", items: strings, default: [1] }) ?? "", /'cidrs'/);
  assert.match(
    declarationProblem("n", { type: "integer", default: "ten" }) ?? "",
    /'n': the default "ten" is not of type integer/,
  );
  assert.match(declarationProblem("on", { type: "boolean", default: "yes" }) ?? "", /'on'/);
  // The real projects load (readProject applies the same check).
  for (const name of ["aws-resources", "connector", "processing"]) {
    assert.doesNotThrow(() => readProject(name), name);
  }
});
