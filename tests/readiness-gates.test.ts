import assert from "node:assert/strict";
import { createServer } from "node:http";
import Module from "node:module";
import type { AddressInfo } from "node:net";
import { test } from "node:test";
import type * as pulumi from "@pulumi/pulumi";
import { runStack } from "../tools/offline/run-stack";
import {
  basicAuth,
  classifyReadyParameter,
  classifySsmError,
  classifySubjects,
  SchemaSubjectsGate,
  ssmGateProvider,
  SsmParameterGate,
  subjectsGateProvider,
} from "../lib/readiness-gates";

// ---- the gates' pure classifiers and their HTTP shape -------------------------------------------

test("Oracle ready parameter: ready, failed fast, or waiting with the value seen", () => {
  assert.deepEqual(classifyReadyParameter("ready"), { state: "ready" });
  assert.deepEqual(classifyReadyParameter(" ready\n"), { state: "ready" });
  assert.deepEqual(classifyReadyParameter("failed: ORA-01017 at step xstream"), {
    state: "failed",
    status: 'the host reported "failed: ORA-01017 at step xstream"',
  });
  assert.deepEqual(classifyReadyParameter("pending"), { state: "waiting", status: 'value is "pending"' });
  assert.deepEqual(classifyReadyParameter(undefined), { state: "waiting", status: "parameter is empty" });
  assert.equal(classifyReadyParameter("readyish").state, "waiting");
  assert.deepEqual(classifyReadyParameter("ready:i-2", "i-2"), { state: "ready" });
  assert.deepEqual(classifyReadyParameter("ready", "i-2"), {
    state: "waiting",
    status: 'an unscoped "ready" is not trusted; waiting for ready:i-2',
  });
  assert.deepEqual(classifyReadyParameter("ready:i-1", "i-2"), {
    state: "waiting",
    status: "the ready signal is from host i-1, not i-2",
  });
});

test("Oracle failure signal: only the awaited host's failure fails the gate", () => {
  assert.deepEqual(classifyReadyParameter("failed:i-2: pull-image", "i-2"), {
    state: "failed",
    status: 'the host reported "failed:i-2: pull-image"',
  });
  // A replaced host's stale failure must not fail the new host's gate before it has even run.
  assert.deepEqual(classifyReadyParameter("failed:i-1: pull-image", "i-2"), {
    state: "waiting",
    status: "the failure signal is from host i-1, not i-2",
  });
  assert.equal(classifyReadyParameter("failed:i-1: pull-image").state, "failed");
});

test("SSM errors: a missing parameter waits, missing credentials/rights fail at once", () => {
  const err = (name: string) => Object.assign(new Error(`${name} happened`), { name });
  assert.deepEqual(classifySsmError(err("ParameterNotFound")), {
    state: "waiting",
    status: "parameter does not exist yet",
  });
  assert.equal(classifySsmError(err("AccessDeniedException")).state, "failed");
  assert.match(
    (classifySsmError(err("ExpiredTokenException")) as { status: string }).status,
    /deployer's AWS credentials/,
  );
  assert.deepEqual(classifySsmError(err("ThrottlingException")), {
    state: "waiting",
    status: "ThrottlingException: ThrottlingException happened",
  });
});

test("Schema Registry subjects: all present, some missing, HTTP errors keep waiting", () => {
  const wanted = ["fd.SAMPLE.AUTH_USER-value", "fd.SAMPLE.USER_TRANSACTION-value"];
  assert.deepEqual(classifySubjects(200, [...wanted, "other-value"], wanted), { state: "ready" });
  assert.deepEqual(classifySubjects(200, ["fd.SAMPLE.AUTH_USER-value"], wanted), {
    state: "waiting",
    status: "missing fd.SAMPLE.USER_TRANSACTION-value",
  });
  assert.deepEqual(classifySubjects(403, undefined, wanted), {
    state: "waiting",
    status: "HTTP 403 from GET /subjects",
  });
  assert.equal(classifySubjects(200, { error: 1 }, wanted).state, "waiting");
  assert.equal(basicAuth("KEY", "s3cr3t"), `Basic ${Buffer.from("KEY:s3cr3t").toString("base64")}`);
});

test("the subjects gate calls GET <endpoint>/subjects with basic auth and keeps the secret out of its outputs", async () => {
  const seen: { url?: string; auth?: string } = {};
  const server = createServer((req, res) => {
    seen.url = req.url;
    seen.auth = req.headers.authorization;
    res.writeHead(200, { "content-type": "application/vnd.schemaregistry.v1+json" });
    res.end(JSON.stringify(["fd.SAMPLE.AUTH_USER-value", "fd.SAMPLE.USER_TRANSACTION-value"]));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    const { port } = server.address() as AddressInfo;
    const inputs = {
      endpoint: `http://127.0.0.1:${port}/`,
      apiKey: "SRKEY",
      apiSecret: "SRSECRET",
      subjects: ["fd.SAMPLE.AUTH_USER-value", "fd.SAMPLE.USER_TRANSACTION-value"],
      timeoutMinutes: 1,
    };
    const created = await subjectsGateProvider.create(inputs);
    assert.equal(seen.url, "/subjects");
    assert.equal(seen.auth, basicAuth("SRKEY", "SRSECRET"));
    assert.ok(!JSON.stringify(created.outs).includes("SRSECRET"));
    const same = await subjectsGateProvider.diff?.(created.id, created.outs as never, inputs);
    assert.deepEqual(same, { changes: false, replaces: [] });
    const moved = await subjectsGateProvider.diff?.(created.id, created.outs as never, {
      ...inputs,
      subjects: ["x-value"],
    });
    assert.deepEqual(moved, { changes: true, replaces: ["subjects"] });
  } finally {
    server.close();
  }
});

test("the Oracle gate is replaced when the host or parameter changes, updated in place for a new timeout", async () => {
  const olds = { region: "us-east-1", parameterName: "/p", instanceId: "i-1", timeoutMinutes: 45 };
  const diff = (news: typeof olds) => ssmGateProvider.diff?.("id", olds, news);
  assert.deepEqual(await diff({ ...olds }), { changes: false, replaces: [] });
  assert.deepEqual(await diff({ ...olds, instanceId: "i-2" }), { changes: true, replaces: ["instanceId"] });
  assert.deepEqual(await diff({ ...olds, timeoutMinutes: 60 }), { changes: true, replaces: [] });
});

// ---- the gates as Pulumi serializes them (what the dynamic-provider host really runs) -----------

/** Registers both gates under mocks and returns their serialized providers, loaded like the host does. */
async function serializedProviders(): Promise<Record<string, pulumi.dynamic.ResourceProvider>> {
  const run = await runStack({
    project: "gates",
    stack: "dev",
    region: "us-east-1",
    config: {},
    program: async () => {
      new SsmParameterGate("ssm", {
        region: "us-east-1",
        parameterName: "/p",
        instanceId: "i-1",
        timeoutMinutes: 1,
      });
      new SchemaSubjectsGate("sr", {
        endpoint: "http://x",
        apiKey: "k",
        apiSecret: "s",
        subjects: [],
        timeoutMinutes: 1,
      });
      return {};
    },
  });
  const out: Record<string, pulumi.dynamic.ResourceProvider> = {};
  for (const r of run.resources) {
    // The same steps as require-from-string in Pulumi's dynamic-provider host.
    const m = new Module("", undefined);
    m.filename = "";
    m.paths = (Module as unknown as { _nodeModulePaths(d: string): string[] })._nodeModulePaths(
      process.cwd(),
    );
    (m as unknown as { _compile(code: string, file: string): void })._compile(
      String(r.inputs.__provider),
      "",
    );
    out[r.name] = (m.exports as { handler: () => pulumi.dynamic.ResourceProvider }).handler();
  }
  return out;
}

/** A local HTTP server answering each request with the next scripted reply (the last one repeats). */
async function withServer<T>(
  replies: { status: number; body: unknown }[],
  fn: (
    url: string,
    seen: { path?: string; headers?: Record<string, unknown>; body?: string }[],
  ) => Promise<T>,
): Promise<T> {
  const seen: { path?: string; headers?: Record<string, unknown>; body?: string }[] = [];
  const server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const reply = replies[Math.min(seen.length, replies.length - 1)] ?? { status: 500, body: {} };
      seen.push({ path: req.url ?? "", headers: req.headers, body });
      res.writeHead(reply.status, { "content-type": "application/x-amz-json-1.1" });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  try {
    return await fn(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, seen);
  } finally {
    server.close();
  }
}

test("serialized subjects gate: ready at once, and a timeout message that names what it waited for", async () => {
  const providers = await serializedProviders();
  const gate = providers.sr as pulumi.dynamic.ResourceProvider;
  const wanted = ["fd.SAMPLE.AUTH_USER-value", "fd.SAMPLE.USER_TRANSACTION-value"];
  const inputs = (endpoint: string, timeoutMinutes: number) => ({
    endpoint,
    apiKey: "K",
    apiSecret: "S",
    subjects: wanted,
    timeoutMinutes,
  });
  await withServer([{ status: 200, body: wanted }], async (url, seen) => {
    const created = await gate.create(inputs(url, 1));
    assert.equal(created.id, `subjects:${wanted.join(",")}`);
    assert.equal(seen[0]?.path, "/subjects");
  });
  // 1 ms of patience: the first check finds one subject missing, the deadline passes, the error says why.
  await withServer([{ status: 200, body: [wanted[0]] }], async (url) => {
    await assert.rejects(gate.create(inputs(url, 1 / 60_000)), (err: Error) => {
      assert.equal(err.name, "ReadinessTimeoutError");
      assert.match(
        err.message,
        /^timed out after .* min waiting for Schema Registry subjects fd\.SAMPLE\.AUTH_USER-value/,
      );
      assert.match(err.message, /\(last status: missing fd\.SAMPLE\.USER_TRANSACTION-value\)$/);
      return true;
    });
  });
});

test("serialized Oracle gate: real SSM GetParameter calls against a local endpoint", async () => {
  const providers = await serializedProviders();
  const gate = providers.ssm as pulumi.dynamic.ResourceProvider;
  const saved = { ...process.env };
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: "offline-test", AWS_SECRET_ACCESS_KEY: "offline-test" });
  const inputs = {
    region: "us-east-1",
    parameterName: "/fd/oracle/ready",
    instanceId: "i-1",
    timeoutMinutes: 1,
  };
  try {
    await withServer(
      [{ status: 200, body: { Parameter: { Name: "/fd/oracle/ready", Value: "ready:i-1" } } }],
      async (url, seen) => {
        process.env.AWS_ENDPOINT_URL_SSM = url;
        const created = await gate.create(inputs);
        assert.equal(created.id, "i-1:/fd/oracle/ready");
        assert.equal(seen[0]?.headers?.["x-amz-target"], "AmazonSSM.GetParameter");
        assert.deepEqual(JSON.parse(seen[0]?.body ?? "{}"), { Name: "/fd/oracle/ready" });
      },
    );
    await withServer(
      [{ status: 200, body: { Parameter: { Value: "failed: ORA-65096 in step pdb" } } }],
      async (url) => {
        process.env.AWS_ENDPOINT_URL_SSM = url;
        await assert.rejects(gate.create(inputs), (err: Error) => {
          assert.equal(err.name, "ReadinessFailedError");
          assert.match(
            err.message,
            /the Oracle ready signal .* the host reported "failed: ORA-65096 in step pdb"/,
          );
          return true;
        });
      },
    );
    await withServer([{ status: 400, body: { __type: "ParameterNotFound", message: "no" } }], async (url) => {
      process.env.AWS_ENDPOINT_URL_SSM = url;
      await assert.rejects(gate.create({ ...inputs, timeoutMinutes: 1 / 60_000 }), (err: Error) => {
        assert.equal(err.name, "ReadinessTimeoutError");
        assert.match(err.message, /\(last status: parameter does not exist yet\)$/);
        return true;
      });
    });
  } finally {
    for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
    Object.assign(process.env, saved);
  }
});
