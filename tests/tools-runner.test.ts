import assert from "node:assert/strict";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import { deployCommand } from "../tools/deploy/command";
import type { RunnerDeps } from "../tools/deploy/inner-phase";
import { runnerTargetFrom } from "../tools/deploy/inner-phase";
import { phasesFor } from "../tools/deploy/phases";
import { pulumiLogin, runnerCredentials } from "../tools/deploy/runner/credentials";
import type { BuildState, RunnerClients, RunnerTarget } from "../tools/deploy/runner/runner";
import { runInner } from "../tools/deploy/runner/runner";
import { statusCommand } from "../tools/status/command";
import { verifyCommand } from "../tools/verify/command";
import { fakeClock } from "./helpers/fake-clock";
import { FakeWorkspace } from "./helpers/fake-workspace";
import { syntheticConnector, syntheticPrivateAwsResources } from "./helpers/synthetic-upstream";

const TARGET: RunnerTarget = {
  region: "us-east-1",
  projectName: "fd-prod-a1b2-runner",
  sourceBucket: "runner-source-0a1b2c3",
  logGroupName: "/aws/codebuild/fd-prod-a1b2/runner",
  secretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:fd-prod-a1b2-runner-AbCdEf",
};
const CREDENTIALS = {
  PULUMI_ACCESS_TOKEN: "pul-token-never-printed",
  CONFLUENT_CLOUD_API_KEY: "CKEY",
  CONFLUENT_CLOUD_API_SECRET: "confluent-secret-never-printed",
};
const SOURCE = {
  commit: "0123456789abcdef0123456789abcdef01234567",
  archive: async () => Buffer.from("zip"),
};

/** Fake CodeBuild/S3/Secrets Manager/Logs: the build goes through `states`, one per poll, with log pages. */
function fakeClients(
  opts: { states?: BuildState["status"][]; startFails?: boolean; logs?: string[][] } = {},
) {
  const calls: string[] = [];
  const states = [...(opts.states ?? ["IN_PROGRESS", "SUCCEEDED"])];
  const pages = [...(opts.logs ?? [["npm ci", "fraud-infra inner up --stack prod"], ["✓ up finished"]])];
  let env: Readonly<Record<string, string>> = {};
  let secret = "";
  const clients: RunnerClients = {
    async putSecret(arn, value) {
      calls.push(`putSecret ${arn}`);
      secret = value;
    },
    async putObject(bucket, key, _body, metadata) {
      calls.push(`putObject s3://${bucket}/${key} commit=${metadata.commit}`);
    },
    async startBuild(input) {
      calls.push(`startBuild ${input.projectName} ${input.sourceLocation}`);
      if (opts.startFails)
        throw new Error("AccessDeniedException: not authorized to perform codebuild:StartBuild");
      env = input.env;
      return "fd-prod-a1b2-runner:build-1";
    },
    async getBuild() {
      const status = states.length > 1 ? states.shift()! : states[0]!;
      calls.push(`getBuild ${status}`);
      return { status, logStream: "build-1" };
    },
    async getLogEvents(_group, _stream, token) {
      const page = pages.shift() ?? [];
      return { lines: page, nextToken: `${token ?? ""}+` };
    },
    async stopBuild(id) {
      calls.push(`stopBuild ${id}`);
    },
  };
  return { clients, calls, env: () => env, secret: () => secret };
}

async function run(fake: ReturnType<typeof fakeClients>, timeoutMs?: number) {
  const lines: string[] = [];
  const code = await runInner({
    command: "up",
    stack: "prod",
    target: TARGET,
    clients: fake.clients,
    source: SOURCE,
    credentials: CREDENTIALS,
    clock: fakeClock(),
    write: (l) => lines.push(l),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
  });
  return { code, text: lines.join("\n") };
}

test("the runner: secret in, revision up, build started with the inner command, its log streamed, exit 0", async () => {
  const fake = fakeClients();
  const { code, text } = await run(fake);
  assert.equal(code, 0, text);
  assert.deepEqual(fake.calls.slice(0, 3), [
    `putSecret ${TARGET.secretArn}`,
    `putObject s3://${TARGET.sourceBucket}/source/${SOURCE.commit}.zip commit=${SOURCE.commit}`,
    `startBuild ${TARGET.projectName} ${TARGET.sourceBucket}/source/${SOURCE.commit}.zip`,
  ]);
  assert.deepEqual(JSON.parse(fake.secret()), CREDENTIALS);
  assert.deepEqual(fake.env(), {
    FRAUD_INFRA_COMMAND: "up",
    FRAUD_INFRA_STACK: "prod",
    SOURCE_COMMIT: SOURCE.commit,
  });
  assert.match(text, /npm ci\nfraud-infra inner up --stack prod\n✓ up finished/);
  assert.match(text, /✓ runner: build fd-prod-a1b2-runner:build-1 succeeded/);
  assert.doesNotMatch(text, /never-printed/, "no credential reaches the output");
  assert.ok(!JSON.stringify(fake.env()).includes("never-printed"), "nor the build's plain variables");
});

test("the build cannot start: exit 1, nothing ran inside, the cause named", async () => {
  const fake = fakeClients({ startFails: true });
  const { code, text } = await run(fake);
  assert.equal(code, 1);
  assert.match(
    text,
    /✗ runner: the build could not start, so nothing ran inside the VPC: AccessDeniedException/,
  );
  assert.ok(!fake.calls.some((c) => c.startsWith("getBuild")));
});

test("the inner run fails: exit 1 with the tail of its log", async () => {
  const logs = [Array.from({ length: 30 }, (_, i) => `line ${i}`), ["error: FlinkStatement failed"]];
  const fake = fakeClients({ states: ["IN_PROGRESS", "FAILED"], logs });
  const { code, text } = await run(fake);
  assert.equal(code, 1);
  assert.match(text, /✗ runner: build fd-prod-a1b2-runner:build-1 ended FAILED: the inner command failed/);
  assert.match(
    text,
    /last 25 line\(s\) of the build's log:\n( {2}\| line \d+\n){24} {2}\| error: FlinkStatement failed/,
  );
  assert.doesNotMatch(text, /\| line 5\n/, "only the tail");
});

test("the build times out: stopped, exit 1, its tail shown", async () => {
  const fake = fakeClients({ states: ["IN_PROGRESS"], logs: [["still waiting for the private endpoint"]] });
  const { code, text } = await run(fake, 60_000);
  assert.equal(code, 1);
  assert.ok(fake.calls.includes("stopBuild fd-prod-a1b2-runner:build-1"));
  assert.match(
    text,
    /did not finish in time; it was stopped\n {2}last 1 line\(s\)[^\n]*\n {2}\| still waiting/,
  );
});

test("phases: private runs the public phase here and the inner phase in the runner, after for up, first for destroy", () => {
  assert.deepEqual(phasesFor("up", "public"), {
    local: ["aws-resources", "connector", "processing", "data-plane"],
  });
  assert.deepEqual(phasesFor("up", "private"), {
    local: ["aws-resources", "connector", "processing"],
    inner: { command: "up", first: false },
  });
  assert.deepEqual(phasesFor("destroy", "private"), {
    local: ["processing", "connector", "aws-resources"],
    inner: { command: "destroy", first: true },
  });
  assert.deepEqual(phasesFor("up", "private", "connector"), { local: ["connector"] });
  assert.deepEqual(phasesFor("outputs", "private").local.length, 4, "outputs are read from anywhere");
});

const privateOutputs = Object.fromEntries(
  Object.entries(syntheticPrivateAwsResources).map(([k, value]) => [k, { value, secret: false }]),
);

function runnerDeps(
  fake: ReturnType<typeof fakeClients>,
  env: Record<string, string> = { ...CREDENTIALS },
): RunnerDeps {
  return {
    clients: () => fake.clients,
    source: async () => ({ ...SOURCE, dirty: false }),
    credentialSources: { env, readPulumiCredentials: () => undefined, confluentConfig: async () => ({}) },
    clock: fakeClock(),
  };
}

async function deploy(
  op: "up" | "destroy",
  fake: ReturnType<typeof fakeClients>,
  env?: Record<string, string>,
) {
  const ws = new FakeWorkspace({
    config: { "aws-resources:networkMode": "private" },
    outputs: { "aws-resources": privateOutputs },
  });
  const lines: string[] = [];
  const code = await deployCommand({
    op,
    stack: "prod",
    yes: true,
    interactive: false,
    write: (l) => lines.push(l),
    workspace: ws,
    pulumiVersion: async () => "v3.200.0",
    credentials: { env: { AWS_PROFILE: "x", ...CREDENTIALS }, fileExists: () => false, home: "/h" },
    fetch: async () => {
      throw new Error("offline");
    },
    runner: runnerDeps(fake, env),
  });
  return { code, text: lines.join("\n"), ws, fake };
}

test("fraud-infra up (private): aws-resources, connector, processing here, then inner up in the runner", async () => {
  const fake = fakeClients();
  const { code, text, ws } = await deploy("up", fake);
  assert.equal(code, 0, text);
  assert.deepEqual(
    ws.calls.filter((c) => c.startsWith("up ")),
    ["up aws-resources", "up connector", "up processing"],
  );
  assert.equal(fake.env().FRAUD_INFRA_COMMAND, "up");
  assert.ok(!ws.calls.includes("up data-plane"), "the data-plane stack never runs from here");
  assert.ok(
    text.indexOf("✓ processing: up") < text.indexOf("▶ runner: inner up"),
    "the runner after the public phase",
  );
  assert.match(text, /✓ up finished for stack prod/);
});

test("fraud-infra destroy (private): inner destroy in the runner first, then processing, connector, aws-resources", async () => {
  const fake = fakeClients();
  const { code, text, ws } = await deploy("destroy", fake);
  assert.equal(code, 0, text);
  assert.equal(fake.env().FRAUD_INFRA_COMMAND, "destroy");
  assert.ok(text.indexOf("✓ runner: build") < text.indexOf("▶ processing: destroy"), text);
  assert.deepEqual(
    ws.calls.filter((c) => c.startsWith("destroy ")),
    ["destroy processing", "destroy connector", "destroy aws-resources"],
  );

  const failing = fakeClients({ states: ["FAILED"] });
  const stopped = await deploy("destroy", failing);
  assert.equal(stopped.code, 1);
  assert.deepEqual(
    stopped.ws.calls.filter((c) => c.startsWith("destroy ")),
    [],
    "nothing else is destroyed",
  );
  assert.match(stopped.text, /✗ Stopped: the inner phase failed in the runner/);
});

test("a failed inner up fails the command; missing runner credentials stop it before anything changes", async () => {
  const failed = await deploy("up", fakeClients({ states: ["FAILED"] }));
  assert.equal(failed.code, 1);
  assert.match(failed.text, /the inner phase failed in the runner/);

  const fake = fakeClients();
  const missing = await deploy("up", fake, {});
  assert.equal(missing.code, 1);
  assert.match(missing.text, /Nothing was changed; fix these first:[\s\S]*Pulumi backend's token/);
  assert.deepEqual(
    missing.ws.calls.filter((c) => c.startsWith("up ")),
    [],
  );
  assert.deepEqual(fake.calls, []);
});

test("verify and status of a private deployment run inside through the runner, with its exit code", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "runner-"));
  try {
    const file = path.join(dir, "outputs.json");
    writeFileSync(
      file,
      JSON.stringify({
        "aws-resources": syntheticPrivateAwsResources,
        connector: syntheticConnector,
        processing: {
          opensearchIndex: "flagged_user",
          fraudStatementNames: ["a"],
          sinkConnectorNames: ["b"],
        },
      }),
    );
    for (const [command, states] of [
      ["verify", ["SUCCEEDED"]],
      ["status", ["FAILED"]],
    ] as const) {
      const fake = fakeClients({ states: [...states], logs: [["✓ all 4 kinds of fraud were flagged."]] });
      const lines: string[] = [];
      const options = {
        stack: "prod",
        outputsFile: file,
        write: (l: string) => lines.push(l),
        runner: runnerDeps(fake),
      };
      const code = command === "verify" ? await verifyCommand(options) : await statusCommand(options);
      assert.equal(code, states[0] === "SUCCEEDED" ? 0 : 1, lines.join("\n"));
      assert.equal(fake.env().FRAUD_INFRA_COMMAND, command);
      assert.ok(lines.includes("✓ all 4 kinds of fraud were flagged."), "the inner output, as it printed it");
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("the runner's target and credentials: every field named when missing; the token from `pulumi login`", async () => {
  assert.match(
    String(runnerTargetFrom({ awsRegion: "us-east-1", runnerProjectName: "" })),
    /runnerProjectName, runnerSourceBucket/,
  );
  assert.deepEqual(
    pulumiLogin(
      JSON.stringify({ current: "https://api.pulumi.com", accessTokens: { "https://api.pulumi.com": "t" } }),
    ),
    { backendUrl: "https://api.pulumi.com", token: "t" },
  );
  const fromLogin = await runnerCredentials({
    env: { CONFLUENT_CLOUD_API_KEY: "k", CONFLUENT_CLOUD_API_SECRET: "s" },
    readPulumiCredentials: () =>
      JSON.stringify({
        current: "https://pulumi.example.com",
        accessTokens: { "https://pulumi.example.com": "t" },
      }),
    confluentConfig: async () => ({}),
  });
  assert.deepEqual(fromLogin, {
    ok: true,
    credentials: { PULUMI_ACCESS_TOKEN: "t", CONFLUENT_CLOUD_API_KEY: "k", CONFLUENT_CLOUD_API_SECRET: "s" },
    backendUrl: "https://pulumi.example.com",
  });
  const fromConfig = await runnerCredentials({
    env: { PULUMI_ACCESS_TOKEN: "t" },
    readPulumiCredentials: () => undefined,
    confluentConfig: async () => ({ key: "k", secret: "s" }),
  });
  assert.equal(fromConfig.ok, true);
});
