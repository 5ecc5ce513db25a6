import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { BUNDLE_CACHE_DIR, bundleJobScript, cachedBundle } from "../lib/job-script";

const ENTRY = "stacks/connector/first-transaction-main.ts";

test("a Job bundle is cached with the hash of every input, and reused only while they all match", () => {
  const text = bundleJobScript(ENTRY);
  assert.equal(cachedBundle(ENTRY), text, "the cache holds exactly what esbuild built");
  const cache = JSON.parse(
    readFileSync(path.join(BUNDLE_CACHE_DIR, `${ENTRY.replace(/[^A-Za-z0-9.-]+/g, "_")}.json`), "utf8"),
  ) as { inputs: Record<string, string>; text: string };
  assert.ok(ENTRY in cache.inputs, "the entry itself is an input");

  const dir = mkdtempSync(path.join(tmpdir(), "job-script-"));
  const stale = path.join(dir, "stale.json");
  const [first] = Object.keys(cache.inputs);
  writeFileSync(stale, JSON.stringify({ ...cache, inputs: { ...cache.inputs, [first!]: "0".repeat(64) } }));
  assert.equal(cachedBundle(ENTRY, stale), undefined, "a changed input invalidates the bundle");
  const gone = path.join(dir, "gone.json");
  writeFileSync(gone, JSON.stringify({ ...cache, inputs: { ...cache.inputs, "lib/no-such-file.ts": "x" } }));
  assert.equal(cachedBundle(ENTRY, gone), undefined, "a missing input invalidates the bundle");
  assert.equal(cachedBundle(ENTRY, path.join(dir, "none.json")), undefined);
});
