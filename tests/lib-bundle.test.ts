import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { bundleJobScript, bundleLambdaFunction, cachedBundle, cacheFile } from "../lib/bundle";

const ENTRY = "stacks/connector/first-transaction-main.ts";

test("a Job bundle is cached with the hash of every input, and reused only while they all match", () => {
  const text = bundleJobScript(ENTRY);
  assert.equal(cachedBundle(cacheFile(ENTRY, "job")), text, "the cache holds exactly what esbuild built");
  const cache = JSON.parse(readFileSync(cacheFile(ENTRY, "job"), "utf8")) as {
    inputs: Record<string, string>;
    text: string;
  };
  assert.ok(ENTRY in cache.inputs, "the entry itself is an input");

  const dir = mkdtempSync(path.join(tmpdir(), "bundle-"));
  const stale = path.join(dir, "stale.json");
  const [first] = Object.keys(cache.inputs);
  writeFileSync(stale, JSON.stringify({ ...cache, inputs: { ...cache.inputs, [first!]: "0".repeat(64) } }));
  assert.equal(cachedBundle(stale), undefined, "a changed input invalidates the bundle");
  const gone = path.join(dir, "gone.json");
  writeFileSync(gone, JSON.stringify({ ...cache, inputs: { ...cache.inputs, "lib/no-such-file.ts": "x" } }));
  assert.equal(cachedBundle(gone), undefined, "a missing input invalidates the bundle");
  assert.equal(cachedBundle(path.join(dir, "none.json")), undefined);
});

test("a Job script is minified and self-contained; a Lambda function readable, the AWS SDK left to the runtime", () => {
  const job = bundleJobScript(ENTRY);
  const lambda = bundleLambdaFunction("functions/alert-notifier/handler.ts");
  assert.ok(job.split("\n").length < 10, "the Job script is minified");
  assert.match(lambda, /\/\/ functions\/alert-notifier\/handler\.ts\n/, "the function names its sources");
  assert.match(lambda, /require\("@aws-sdk\/client-sns"\)/, "the function leaves the SDK to the runtime");
  assert.equal(cachedBundle(cacheFile("functions/alert-notifier/handler.ts", "lambda")), lambda);
});
