import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { before, test } from "node:test";
import { bundleJobScript } from "../lib/bundle";
import type { StackRun } from "../tools/offline/run-stack";
import type { FetchLike } from "../lib/opensearch-api";
import {
  classifyTransactionAnswer,
  realTransactionUrl,
  sendFirstTransaction,
} from "../stacks/connector/first-transaction";
import type { K8sModels } from "./helpers/k8s-objects";
import { loadK8sModels } from "./helpers/k8s-objects";
import { syntheticAwsResources } from "./helpers/synthetic-upstream";
import { fakeClock } from "./helpers/fake-clock";
import { sharedStackRun } from "./helpers/stack-under-test";
import { byName } from "./helpers/resources";

let run: StackRun;
let k8s: K8sModels;
before(async () => {
  run = await sharedStackRun("connector");
  k8s = await loadK8sModels();
});

test("an in-cluster Job asks the web app's Service for one transaction after the connector starts, before the subjects gate", () => {
  const job = byName(run, "flink-source-tables-first-transaction-job");
  assert.equal(job.type, "kubernetes:batch/v1:Job");
  k8s.validateRecorded(job);
  k8s.validateRecorded(byName(run, "flink-source-tables-first-transaction-files"));
  const meta = job.inputs.metadata as { name: string; namespace: string };
  assert.equal(meta.namespace, syntheticAwsResources.jobsNamespace, "the deploy Jobs' own namespace");
  assert.deepEqual(
    run.resources
      .filter((r) => r.name.startsWith("flink-source-tables-first-transaction-") && r.custom)
      .map((r) => r.type)
      .sort(),
    ["kubernetes:batch/v1:Job", "kubernetes:core/v1:ConfigMap"],
    "no secrets: no Secret, no service account",
  );
  const container = (
    job.inputs.spec as { template: { spec: { containers: { env: { name: string; value?: string }[] }[] } } }
  ).template.spec.containers[0];
  assert.deepEqual(
    container?.env.find((e) => e.name === "TRANSACTION_URL")?.value,
    "http://fraud-demo.fraud-demo.svc.cluster.local/create-real-transaction/",
    "the Service, not the ALB: no inbound rule or deployer address involved",
  );
  const connector = run.resources.find((r) => r.type === "confluentcloud:index/connector:Connector");
  assert.ok(
    connector && job.dependencyUrns.includes(connector.urn),
    "the row must reach a running connector",
  );
  const gate = run.resources.find((r) => r.type === "pulumi-nodejs:dynamic/readiness:SchemaSubjectsGate");
  assert.ok(gate?.dependencyUrns.includes(job.urn));
  assert.match(job.providerRef, /pulumi:providers:kubernetes::eks::/);
  assert.equal(
    run.resources.filter((r) => r.type === "pulumi-nodejs:dynamic/webapp:FirstTransaction").length,
    0,
    "nothing calls the web app from the deployer's machine",
  );
});

test("realTransactionUrl: the app's API at the root of the Service URL; a non-http output is refused", () => {
  assert.equal(
    realTransactionUrl("http://fraud-demo.ns.svc.cluster.local/"),
    "http://fraud-demo.ns.svc.cluster.local/create-real-transaction/",
  );
  assert.throws(() => realTransactionUrl("fraud-demo.ns.svc.cluster.local/"), /output 'webappServiceUrl'/);
  assert.throws(() => realTransactionUrl("file:///etc/passwd"), /not an http\(s\) URL/);
  assert.deepEqual(classifyTransactionAnswer(201), { state: "ready" });
  assert.deepEqual(classifyTransactionAnswer(503), { state: "waiting", status: "HTTP 503" });
  assert.deepEqual(classifyTransactionAnswer(404), { state: "failed", status: "HTTP 404" });
});

test("sendFirstTransaction: waits through 503 and refused connections, stops at 201; a 404 fails at once", async () => {
  const clock = fakeClock();
  const answers: (number | Error)[] = [new Error("ECONNREFUSED"), 503, 201];
  const seen: string[] = [];
  const fetch: FetchLike = (url, init) => {
    seen.push(`${init.method} ${url}`);
    const next = answers.shift() ?? 201;
    return next instanceof Error
      ? Promise.reject(next)
      : Promise.resolve({ status: next, text: () => Promise.resolve("") });
  };
  await sendFirstTransaction({
    url: "http://svc/create-real-transaction/",
    timeoutMs: 600_000,
    fetch,
    clock,
  });
  assert.equal(seen.length, 3);
  assert.ok(seen.every((s) => s === "POST http://svc/create-real-transaction/"));
  const notFound: FetchLike = () => Promise.resolve({ status: 404, text: () => Promise.resolve("") });
  await assert.rejects(
    sendFirstTransaction({ url: "http://svc/x", timeoutMs: 600_000, fetch: notFound, clock }),
    /gave up waiting for one transaction from the web app \(POST http:\/\/svc\/x\): HTTP 404/,
  );
});

/** Runs the bundled Job script with Node against a loopback web app answering `status`. */
async function runBundle(status: number): Promise<{ code: number; out: string; seen: string[] }> {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "job-")), "main.js");
  writeFileSync(file, bundleJobScript("stacks/connector/first-transaction-main.ts"));
  const seen: string[] = [];
  const server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    res.writeHead(status).end("{}");
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/create-real-transaction/`;
  try {
    return await new Promise((resolve) => {
      execFile(
        process.execPath,
        [file],
        { env: { TRANSACTION_URL: url, TIMEOUT_SECONDS: "60" }, timeout: 30_000 },
        (err, stdout, stderr) =>
          resolve({ code: err ? Number(err.code ?? 1) : 0, out: stdout + stderr, seen }),
      );
    });
  } finally {
    server.close();
  }
}

test("the bundled Job script: exit 0 after one POST on 201, exit 1 naming the answer on 404", async () => {
  const ok = await runBundle(201);
  assert.equal(ok.code, 0, ok.out);
  assert.deepEqual(ok.seen, ["POST /create-real-transaction/"]);
  assert.match(ok.out, /one transaction created/);
  const refused = await runBundle(404);
  assert.equal(refused.code, 1);
  assert.match(refused.out, /HTTP 404/);
});
