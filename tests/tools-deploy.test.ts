import assert from "node:assert/strict";
import { test } from "node:test";
import { confirmationQuestion, deployCommand } from "../tools/deploy/command";
import type { Operation } from "../tools/deploy/orchestrate";
import { runOperation, stackOrder } from "../tools/deploy/orchestrate";
import type { CredentialEnv } from "../tools/deploy/preflight";
import {
  NO_AWS_CREDENTIALS,
  NO_CONFLUENT_CREDENTIALS,
  awsCredentialSource,
  awsStackConfigIgnored,
  confirmation,
  credentialCheck,
} from "../tools/deploy/preflight";
import { ConsoleReporter, StackProgress, elapsed, outputsText } from "../tools/deploy/progress";
import { FakeWorkspace } from "./helpers/fake-workspace";

const silent = new ConsoleReporter(() => undefined);

test("up and preview run in dependency order, destroy in reverse, --only picks one", () => {
  assert.deepEqual(stackOrder("up"), ["aws-resources", "connector", "processing", "data-plane"]);
  assert.deepEqual(stackOrder("preview"), ["aws-resources", "connector", "processing", "data-plane"]);
  assert.deepEqual(stackOrder("destroy"), ["data-plane", "processing", "connector", "aws-resources"]);
  assert.deepEqual(stackOrder("destroy", "connector"), ["connector"]);
});

test("a successful up selects every stack first, then previews and runs each in order", async () => {
  const ws = new FakeWorkspace();
  const result = await runOperation({ op: "up", stackName: "dev", workspace: ws, reporter: silent });
  assert.equal(result.ok, true);
  assert.deepEqual(ws.calls, [
    "select aws-resources/dev (create)",
    "select connector/dev (create)",
    "select processing/dev (create)",
    "select data-plane/dev (create)",
    "preview aws-resources",
    "up aws-resources",
    "preview connector",
    "up connector",
    "preview processing",
    "up processing",
    "preview data-plane",
    "up data-plane",
  ]);
});

test("a failure in the second stack stops the third and names the failed stack", async () => {
  const ws = new FakeWorkspace({ failOn: "connector" });
  const lines: string[] = [];
  const result = await runOperation({
    op: "up",
    stackName: "dev",
    workspace: ws,
    reporter: new ConsoleReporter((l) => lines.push(l)),
  });
  assert.equal(result.ok, false);
  assert.equal(result.failed, "connector");
  assert.deepEqual(
    result.results.map((r) => `${r.project}:${r.status}`),
    ["aws-resources:succeeded", "connector:failed", "processing:not-run", "data-plane:not-run"],
  );
  assert.ok(!ws.calls.includes("up processing"));
  assert.ok(
    lines.some((l) => /✗ connector: up FAILED after \d\d:\d\d\n {2}boom in connector/.test(l)),
    lines.join("\n"),
  );
});

test("destroy runs in reverse and skips stacks that were never created", async () => {
  const ws = new FakeWorkspace({ missing: ["data-plane", "processing"] });
  const result = await runOperation({ op: "destroy", stackName: "dev", workspace: ws, reporter: silent });
  assert.equal(result.ok, true);
  assert.deepEqual(
    ws.calls.filter((c) => c.startsWith("destroy")),
    ["destroy connector", "destroy aws-resources"],
  );
  assert.deepEqual(
    result.results.map((r) => r.status),
    ["absent", "absent", "succeeded", "succeeded"],
  );
});

test("preview of a stack that does not exist fails before anything runs", async () => {
  const ws = new FakeWorkspace({ missing: ["connector"] });
  const result = await runOperation({ op: "preview", stackName: "dev", workspace: ws, reporter: silent });
  assert.equal(result.ok, false);
  assert.deepEqual(result.preflight, ["connector: stack dev does not exist (run `fraud-infra up` first)"]);
  assert.ok(!ws.calls.some((c) => c.startsWith("preview")));
});

test("--only runs one stack; a failed check or a declined confirmation changes nothing", async () => {
  const only = new FakeWorkspace();
  await runOperation({ op: "up", stackName: "dev", only: "processing", workspace: only, reporter: silent });
  assert.deepEqual(only.calls, ["select processing/dev (create)", "preview processing", "up processing"]);

  const checked = new FakeWorkspace();
  const result = await runOperation({
    op: "up",
    stackName: "dev",
    workspace: checked,
    reporter: silent,
    check: async (p) => (p === "processing" ? ["no key"] : []),
  });
  assert.deepEqual(result.preflight, ["processing: no key"]);
  assert.ok(!checked.calls.some((c) => c.startsWith("up ")), "no stack changed");

  const declined = new FakeWorkspace();
  const aborted = await runOperation({
    op: "destroy",
    stackName: "dev",
    workspace: declined,
    reporter: silent,
    confirm: async () => false,
  });
  assert.equal(aborted.aborted, true);
  assert.ok(!declined.calls.some((c) => c.startsWith("destroy ")));
});

const noCreds: CredentialEnv = { env: {}, fileExists: () => false, home: "/home/u" };

test("credential checks: AWS from env, profile or files; Confluent for the Confluent stacks only", async () => {
  assert.equal(awsCredentialSource(noCreds), undefined);
  assert.equal(awsCredentialSource({ ...noCreds, env: { AWS_PROFILE: "dev" } }), "AWS_PROFILE=dev");
  assert.equal(
    awsCredentialSource({ ...noCreds, env: { AWS_ACCESS_KEY_ID: "A" } }),
    undefined,
    "secret key missing",
  );
  assert.equal(
    awsCredentialSource({ ...noCreds, fileExists: (f) => f === "/home/u/.aws/credentials" }),
    "/home/u/.aws/credentials",
  );

  const ws = new FakeWorkspace();
  const handle = (await ws.select("connector", "dev", false))!;
  const withAws = { ...noCreds, env: { AWS_PROFILE: "dev" } };
  assert.deepEqual(await credentialCheck("up", noCreds)("aws-resources", handle), [NO_AWS_CREDENTIALS]);
  assert.deepEqual(await credentialCheck("up", withAws)("aws-resources", handle), []);
  assert.deepEqual(await credentialCheck("up", withAws)("connector", handle), [NO_CONFLUENT_CREDENTIALS]);
  assert.deepEqual(
    await credentialCheck("outputs", noCreds)("connector", handle),
    [],
    "outputs need no cloud",
  );
  const confluentEnv = {
    ...withAws,
    env: { ...withAws.env, CONFLUENT_CLOUD_API_KEY: "k", CONFLUENT_CLOUD_API_SECRET: "s" },
  };
  assert.deepEqual(await credentialCheck("destroy", confluentEnv)("processing", handle), []);
  const configured = (await new FakeWorkspace({ config: { "confluentcloud:cloudApiKey": "k" } }).select(
    "processing",
    "dev",
    false,
  ))!;
  assert.deepEqual(await credentialCheck("up", withAws)("processing", configured), []);
});

test("stack config aws:profile / aws:accessKey is not a credential source: the explicit AWS providers ignore it", async () => {
  const profiled = (await new FakeWorkspace({ config: { "aws:profile": "ops" } }).select(
    "aws-resources",
    "dev",
    false,
  ))!;
  // Accepted before: the check passed, then every AWS call ran with other credentials or none.
  assert.deepEqual(await credentialCheck("up", noCreds)("aws-resources", profiled), [
    awsStackConfigIgnored(["aws:profile"]),
    NO_AWS_CREDENTIALS,
  ]);
  const withAws = { ...noCreds, env: { AWS_PROFILE: "dev" } };
  assert.deepEqual(
    await credentialCheck("up", withAws)("aws-resources", profiled),
    [awsStackConfigIgnored(["aws:profile"])],
    "a profile the run would silently not use is an error even when the environment has credentials",
  );
  assert.match(
    awsStackConfigIgnored(["aws:profile", "aws:accessKey"]),
    /aws:profile, aws:accessKey is ignored/,
  );
  assert.doesNotMatch(NO_AWS_CREDENTIALS, /pulumi config set aws:profile/);
});

test("up/destroy need --yes off a terminal; a terminal asks (destroy: type the stack name)", () => {
  assert.equal(confirmation("up", false, false), "refuse");
  assert.equal(confirmation("destroy", false, true), "prompt");
  assert.equal(confirmation("destroy", true, false), "proceed");
  assert.equal(confirmation("preview", false, false), "proceed");
  assert.equal(confirmation("outputs", false, false), "proceed");
  assert.equal(confirmationQuestion("destroy", "prod", ["processing"]).expected, "prod");
  assert.equal(confirmationQuestion("up", "prod", ["processing"]).expected, "yes");
});

async function command(op: Operation, extra: Partial<Parameters<typeof deployCommand>[0]> = {}) {
  const lines: string[] = [];
  const ws = new FakeWorkspace();
  const code = await deployCommand({
    op,
    stack: "dev",
    yes: false,
    interactive: false,
    write: (l) => lines.push(l),
    workspace: ws,
    pulumiVersion: async () => "v3.200.0",
    credentials: {
      ...noCreds,
      env: { AWS_PROFILE: "x", CONFLUENT_CLOUD_API_KEY: "k", CONFLUENT_CLOUD_API_SECRET: "s" },
    },
    ...extra,
  });
  return { code, text: lines.join("\n"), calls: ws.calls };
}

test("deploy command: refuses without --yes, explains a missing CLI or credentials, exit codes", async () => {
  const refused = await command("destroy");
  assert.equal(refused.code, 2);
  assert.match(refused.text, /Refusing to destroy without --yes/);
  assert.deepEqual(refused.calls, [], "nothing selected");

  const noCli = await command("preview", { pulumiVersion: async () => undefined });
  assert.equal(noCli.code, 1);
  assert.match(noCli.text, /Pulumi CLI was not found on PATH/);

  const noCredsRun = await command("up", { yes: true, credentials: noCreds });
  assert.equal(noCredsRun.code, 1);
  assert.match(
    noCredsRun.text,
    /Nothing was changed; fix these first:\n {2}- aws-resources: no AWS credentials/,
  );

  const ok = await command("up", { yes: true });
  assert.equal(ok.code, 0, ok.text);
  assert.match(ok.text, /✓ up finished for stack dev/);

  const failed = await command("up", { yes: true, workspace: new FakeWorkspace({ failOn: "connector" }) });
  assert.equal(failed.code, 1);
  assert.match(failed.text, /✗ Stopped at connector: up failed there; not run: processing, data-plane\./);

  const asked = await command("destroy", { interactive: true, ask: async () => "dev" });
  assert.equal(asked.code, 0);
  assert.deepEqual(
    asked.calls.filter((c) => c.startsWith("destroy")),
    ["destroy data-plane", "destroy processing", "destroy connector", "destroy aws-resources"],
  );
  const wrongAnswer = await command("destroy", { interactive: true, ask: async () => "yes" });
  assert.equal(wrongAnswer.code, 1);
  assert.match(wrongAnswer.text, /Aborted: nothing was changed/);
});

test("outputs are printed per stack with secrets masked", async () => {
  const { code, text } = await command("outputs");
  assert.equal(code, 0);
  assert.match(text, /aws-resources:\nOutput +Value\n-+ +-+\npw +\[secret\]\nurl +https:\/\/aws-resources/);
  assert.doesNotMatch(text, /hunter2/);
  assert.equal(outputsText("x", {}), "x:\n(no outputs)\n");
});

test("outputs --json: one object keyed by project, secrets masked unless --show-secrets", async () => {
  const masked = await command("outputs", { json: true });
  assert.equal(masked.code, 0);
  const doc = JSON.parse(masked.text) as Record<string, Record<string, unknown>>;
  assert.deepEqual(Object.keys(doc), ["aws-resources", "connector", "processing", "data-plane"]);
  assert.deepEqual(doc["connector"], { pw: "[secret]", url: "https://connector" });
  assert.doesNotMatch(masked.text, /hunter2/);

  const shown = await command("outputs", { json: true, showSecrets: true });
  assert.equal(
    (JSON.parse(shown.text) as Record<string, Record<string, unknown>>)["processing"]!["pw"],
    "hunter2",
  );

  // Diagnostics stay off stdout, so `> outputs.json` is always a valid document.
  const errors: string[] = [];
  const partial = await command("outputs", {
    json: true,
    workspace: new FakeWorkspace({ missing: ["processing"] }),
    writeErr: (l) => errors.push(l),
  });
  assert.equal(partial.code, 0);
  assert.deepEqual(Object.keys(JSON.parse(partial.text) as object), [
    "aws-resources",
    "connector",
    "data-plane",
  ]);
  assert.deepEqual(errors, ["(not deployed: processing)"]);
});

test("progress: one line per change, counts, elapsed time, failures and a summary", () => {
  let now = 0;
  const p = new StackProgress("connector", "up", () => now);
  const meta = (op: string, name: string) => ({
    op,
    urn: `urn:pulumi:dev::connector::confluentcloud:index/connector:Connector::${name}`,
    type: "confluentcloud:index/connector:Connector",
  });
  assert.equal(p.handle({ resourcePreEvent: { metadata: meta("create", "cdc") } }), undefined);
  now = 65_000;
  assert.equal(
    p.handle({ resOutputsEvent: { metadata: meta("create", "cdc") } }),
    "[connector 01:05] created confluentcloud:index/connector:Connector cdc (1 done, 0 in progress)",
  );
  assert.equal(p.handle({ resOutputsEvent: { metadata: meta("same", "other") } }), undefined);
  assert.match(
    p.handle({ resOpFailedEvent: { metadata: meta("update", "x") } }) ?? "",
    /✗ update failed: .* x$/,
  );
  p.handle({ diagnosticEvent: { severity: "error", message: "connector not RUNNING\n" } });
  assert.equal(
    p.summary({ project: "connector", status: "failed" }),
    "✗ connector: up FAILED after 01:05 — 1 created, 1 unchanged\n  connector not RUNNING",
  );
  assert.equal(
    p.summary({ project: "connector", status: "succeeded" }),
    "✓ connector: up succeeded in 01:05 — 1 created, 1 unchanged",
  );
  assert.equal(elapsed(3_599_000), "59:59");
  p.handle({ resourcePreEvent: { metadata: meta("create", "slow-domain") } });
  assert.equal(p.heartbeat(), "[connector 01:05] 2 done, 1 in progress: slow-domain");
  const preview = new StackProgress("processing", "preview", () => 0);
  assert.match(preview.handle({ resOutputsEvent: { metadata: meta("create", "s") } }) ?? "", /will create/);
});

test("the console reporter prints a heartbeat while a stack runs and stops it when it ends", () => {
  const lines: string[] = [];
  const ticks: (() => void)[] = [];
  let stopped = 0;
  const reporter = new ConsoleReporter(
    (l) => lines.push(l),
    () => 0,
    (every, tick) => {
      assert.equal(every, 60_000);
      ticks.push(tick);
      return () => stopped++;
    },
  );
  reporter.stackStarted("aws-resources", "up");
  ticks[0]!();
  reporter.stackFinished("aws-resources", { project: "aws-resources", status: "succeeded" });
  assert.deepEqual(lines, [
    "▶ aws-resources: up…",
    "[aws-resources 00:00] 0 done, 0 in progress",
    "✓ aws-resources: up succeeded in 00:00",
  ]);
  assert.equal(stopped, 1);
});
