import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import * as path from "node:path";
import { mock, test } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { readProject } from "../tools/offline/project-config";
import { USAGE, parseCli } from "../tools/cli";
import { main } from "../tools/run-cli";

test("parses commands and options with their defaults", () => {
  assert.deepEqual(parseCli(["plan"]), {
    kind: "run",
    command: "plan",
    options: { stack: "dev", yes: false, overrides: {}, skipCredentialCheck: false },
  });
  assert.deepEqual(parseCli(["destroy", "--stack", "prod", "-y", "--only", "connector"]), {
    kind: "run",
    command: "destroy",
    options: { stack: "prod", only: "connector", yes: true, overrides: {}, skipCredentialCheck: false },
  });
  const plan = parseCli([
    "plan",
    "--config",
    "connector:flinkMaxCfu=5",
    "--config",
    "aws:region=eu-west-1",
    "--out",
    "x",
  ]);
  assert.equal(plan.kind, "run");
  assert.deepEqual(plan.kind === "run" && plan.options.overrides, {
    "connector:flinkMaxCfu": "5",
    "aws:region": "eu-west-1",
  });
  assert.equal(plan.kind === "run" && plan.options.outDir, "x");
  assert.deepEqual(parseCli(["--help"]), { kind: "help" });
  assert.deepEqual(parseCli(["help"]), { kind: "help" });
});

test("verify, status and outputs --json take their own options", () => {
  assert.deepEqual(parseCli(["outputs", "--json", "--show-secrets"]), {
    kind: "run",
    command: "outputs",
    options: {
      stack: "dev",
      yes: false,
      overrides: {},
      skipCredentialCheck: false,
      json: true,
      showSecrets: true,
    },
  });
  const verify = parseCli(["verify", "--outputs", "out.json", "--timeout", "600", "--stack", "prod"]);
  assert.deepEqual(verify.kind === "run" && verify.options, {
    stack: "prod",
    yes: false,
    overrides: {},
    skipCredentialCheck: false,
    outputsFile: "out.json",
    timeoutSeconds: 600,
  });
  assert.equal(parseCli(["status"]).kind, "run");
  assert.match(USAGE, /^ {2}verify +End-to-end check/m);
  assert.match(USAGE, /^ {2}status +Read-only health/m);
});

test("usage errors say what is wrong", () => {
  const cases: [string[], RegExp][] = [
    [[], /missing command/],
    [["deploy"], /unknown command 'deploy'; commands: plan, preview, up, destroy, outputs, verify, status/],
    [["verify", "--only", "processing"], /--only does not apply to verify/],
    [["status", "--json"], /--json and --show-secrets apply to outputs only/],
    [["up", "--show-secrets"], /--json and --show-secrets apply to outputs only/],
    [["outputs", "--outputs", "o.json"], /--outputs <file> applies to verify and status only/],
    [["verify", "--outputs", ""], /--outputs needs a file name/],
    [["status", "--timeout", "60"], /--timeout applies to verify only/],
    [["verify", "--timeout", "0"], /--timeout '0': expected whole seconds from 1 to 86400/],
    [["verify", "--timeout", "5m"], /--timeout '5m': expected whole seconds/],
    [
      ["up", "--only", "network"],
      /--only must be one of aws-resources, connector, processing, data-plane, not 'network'/,
    ],
    [["plan", "--only", "connector"], /--only does not apply to plan/],
    [["up", "--config", "a:b=c"], /--config and --out apply to plan only/],
    [["plan", "--config", "flinkMaxCfu=5"], /expected <namespace:key>=<value>/],
    [["plan", "--config", "connector:x"], /expected <namespace:key>=<value>/],
    [["plan", "--stack", "a b"], /--stack 'a b' is not a valid stack name/],
    [["plan", "--bogus"], /Unknown option '--bogus'/],
    [["plan", "extra"], /unexpected argument 'extra'/],
  ];
  for (const [argv, message] of cases) {
    const parsed = parseCli(argv);
    assert.equal(parsed.kind, "error", argv.join(" "));
    assert.match(parsed.kind === "error" ? parsed.message : "", message, argv.join(" "));
  }
});

const root = path.resolve(__dirname, "..");
const node = path.join(root, "node_modules", ".bin", "node");
const cli = ["--import", "tsx", path.join(root, "tools", "fraud-infra.ts")];

/** Runs the command in this process, capturing what it writes; the entry point is spawned once above. */
async function inProcess(argv: readonly string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const out = mock.method(process.stdout, "write", (chunk: unknown) => ((stdout += String(chunk)), true));
  const err = mock.method(process.stderr, "write", (chunk: unknown) => ((stderr += String(chunk)), true));
  const warn = mock.method(pulumi.log, "warn", () => Promise.resolve());
  try {
    return { code: await main(argv), stdout, stderr };
  } finally {
    out.mock.restore();
    err.mock.restore();
    warn.mock.restore();
  }
}

test("the entry point prints help with exit 0 and a usage error with exit 2", () => {
  const help = execFileSync(node, [...cli, "--help"], { cwd: root, encoding: "utf8" });
  assert.equal(help.trim(), USAGE);
  const bad = spawnSync(node, [...cli, "launch"], { cwd: root, encoding: "utf8" });
  assert.equal(bad.status, 2);
  assert.match(bad.stderr, /fraud-infra: unknown command 'launch'/);
});

test("usage errors and an unconfirmed destroy exit 2", async () => {
  const badTimeout = await inProcess(["verify", "--timeout", "soon"]);
  assert.equal(badTimeout.code, 2);
  assert.match(badTimeout.stderr, /--timeout 'soon'/);
  const refused = await inProcess(["destroy"]);
  assert.equal(refused.code, 2);
  assert.match(refused.stdout, /Refusing to destroy without --yes/);
});

test("plan with a bad --config value exits 1 naming the stack and the key", async () => {
  const key = readProject("aws-resources").keys.find((k) => k.type === "integer")?.key;
  assert.ok(key);
  const run = await inProcess(["plan", "--config", `aws-resources:${key}=lots`, "--out", "/dev/null/x"]);
  assert.equal(run.code, 1, run.stderr);
  assert.match(run.stderr, /✗ aws-resources \(stack dev\): invalid configuration/);
  assert.ok(run.stderr.includes(`aws-resources:${key} = "lots": must be`), run.stderr);
});
