import assert from "node:assert/strict";
import { before, test } from "node:test";
import { ConfigError } from "../lib/config";
import type { RecordedResource } from "../lib/offline/mocks";
import type { StackRun } from "../lib/offline/run-stack";
import { StackRunError } from "../lib/offline/run-stack";
import type { Finding } from "../policy/evaluate";
import { evaluateDeployment, mandatoryFindings } from "../policy/evaluate";
import type { Finding as PlanFinding } from "../tools/plan/policy";
import { isBlocking, policyConfigFor } from "../tools/plan/policy";
import type { PlanResult } from "../tools/plan/run-plan";
import { PlanError } from "../tools/plan/run-plan";
import type { StackProject } from "../tools/stacks";
import { planStack, quietPlan, runsOf } from "./helpers/deployment";
import { runProcessing } from "./helpers/processing";
import { ofType, onlyOfType } from "./helpers/resources";

// The whole-deployment check: the policy pack over every resource the three dev stacks register
// has no mandatory finding, and deliberately weakened copies of those resources are caught.

const summary = (findings: readonly Finding[]) =>
  findings.map((f) => `${f.enforcementLevel} ${f.policy} ${f.stack}/${f.resourceName}: ${f.message}`);
/** The mandatory findings as `<policy> <stack>/<resource>`. */
const blocking = (findings: readonly PlanFinding[]) =>
  findings.filter(isBlocking).map((f) => `${f.policy} ${f.stack}/${f.resourceName}`);

let plan: PlanResult;
let runs: Record<StackProject, StackRun>;
before(async () => {
  // The plan with its own evaluator (policy/evaluate.ts), as `npm run plan` runs it.
  plan = await quietPlan({});
  runs = runsOf(plan);
});

test("the dev deployment has zero mandatory policy findings", () => {
  const findings = evaluateDeployment(Object.values(runs));
  assert.deepEqual(summary(mandatoryFindings(findings)), [], summary(findings).join("\n"));
  assert.deepEqual(plan.findings, findings, "the offline plan reports exactly the pack's findings");
  for (const run of Object.values(runs)) assert.ok(run.resources.length > 10, `${run.project} ran`);
});

/** A copy of `run` with `target` replaced by (or, with `copyAs`, joined by a renamed copy of) `change(inputs)`. */
function weakened(
  run: StackRun,
  target: RecordedResource,
  change: (inputs: Record<string, unknown>) => Record<string, unknown>,
  copyAs?: string,
): StackRun {
  const weak: RecordedResource = {
    ...target,
    inputs: change(structuredClone(target.inputs)),
    ...(copyAs ? { name: copyAs, urn: target.urn.replace(/::[^:]+$/, `::${copyAs}`) } : {}),
  };
  const resources = copyAs
    ? [...run.resources, weak]
    : run.resources.map((r) => (r.urn === target.urn ? weak : r));
  return { ...run, resources };
}

/** The mandatory findings of the deployment with one stack's run swapped for `weak`. */
function blockingWith(weak: StackRun): string[] {
  return blocking(evaluateDeployment(Object.values({ ...runs, [weak.project]: weak })));
}

test("(a) a connector secret moved into configNonsensitive is caught", () => {
  const connector = onlyOfType(runs.connector, "confluentcloud:index/connector:Connector");
  const sensitive = connector.inputs.configSensitive as Record<string, unknown>;
  assert.equal(typeof sensitive["database.password"], "string", "the real config keeps it sensitive");
  const weak = weakened(runs.connector, connector, (inputs) => {
    const moved = inputs.configSensitive as Record<string, unknown>;
    const nonsensitive = inputs.configNonsensitive as Record<string, unknown>;
    nonsensitive["database.password"] = moved["database.password"];
    delete moved["database.password"];
    return inputs;
  });
  assert.deepEqual(blockingWith(weak), [
    `confluent-connector-no-plaintext-secrets connector/${connector.name}`,
  ]);
});

test("(b) Redshift open to 0.0.0.0/0: refused by the config validator, and caught by the pack if it ever got through", async () => {
  const err = await planStack(plan, {
    stack: "aws-resources",
    override: { allowedCidrs: ["0.0.0.0/0"] },
  }).then(
    () => assert.fail("allowedCidrs 0.0.0.0/0 was accepted"),
    (e: unknown) => e,
  );
  assert.ok(err instanceof PlanError && err.cause instanceof StackRunError);
  assert.ok(err.cause.cause instanceof ConfigError, String(err.cause.cause));
  assert.match(err.cause.cause.message, /aws-resources:allowedCidrs = .*0\.0\.0\.0\/0.*: .*whole internet/);

  const rule = ofType(runs.processing, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").find(
    (r) => r.inputs.fromPort === 5439,
  );
  assert.ok(rule, "the processing stack opens 5439 to Confluent's egress CIDRs");
  const weak = weakened(
    runs.processing,
    rule,
    (inputs) => ({ ...inputs, cidrIpv4: "0.0.0.0/0" }),
    "redshift-world",
  );
  assert.deepEqual(blockingWith(weak), ["security-group-no-world-ingress processing/redshift-world"]);
});

test("(c) useEnvironmentAdmin: EnvironmentAdmin bindings are findings unless the plan passes the escape hatch", async () => {
  assert.deepEqual(policyConfigFor(plan.stacks.map((s) => s.config)), { allowEnvironmentAdmin: false });
  const admin = await planStack(plan, {
    stack: "connector",
    override: { useEnvironmentAdmin: true },
    evaluate: evaluateDeployment,
  });
  const connector = admin.stacks.at(-1)!.run;
  assert.equal(connector.project, "connector");
  const bindings = ofType(connector, "confluentcloud:index/roleBinding:RoleBinding").filter(
    (r) => r.inputs.roleName === "EnvironmentAdmin",
  );
  assert.ok(bindings.length >= 3, `${bindings.length} EnvironmentAdmin bindings`);

  const strict = mandatoryFindings(evaluateDeployment([connector]));
  assert.deepEqual(
    strict.map((f) => `${f.policy} ${f.resourceName}`).sort(),
    bindings.map((b) => `confluent-no-admin-role-bindings ${b.name}`).sort(),
  );
  assert.deepEqual(blocking(evaluateDeployment([connector], { allowEnvironmentAdmin: true })), []);
  // The plan reads connector:useEnvironmentAdmin and passes the escape hatch, as a documented real run does.
  assert.deepEqual(policyConfigFor(admin.stacks.map((s) => s.config)), { allowEnvironmentAdmin: true });
  assert.deepEqual(blocking(admin.findings ?? []), []);
});

test("(d) an instance that allows IMDSv1 is caught", () => {
  const host = onlyOfType(runs["aws-resources"], "aws:ec2/instance:Instance");
  assert.equal((host.inputs.metadataOptions as { httpTokens?: unknown }).httpTokens, "required");
  const weak = weakened(runs["aws-resources"], host, (inputs) => ({
    ...inputs,
    metadataOptions: { ...(inputs.metadataOptions as object), httpTokens: "optional" },
  }));
  assert.deepEqual(blockingWith(weak), [`ec2-imdsv2-required aws-resources/${host.name}`]);
});

test("(e) an unencrypted Redshift cluster is caught", () => {
  const cluster = onlyOfType(runs["aws-resources"], "aws:redshift/cluster:Cluster");
  const weak = weakened(runs["aws-resources"], cluster, (inputs) => ({ ...inputs, encrypted: "false" }));
  assert.deepEqual(blockingWith(weak), [`redshift-encrypted aws-resources/${cluster.name}`]);
});

test("alerts on (processing:alertEmails set): still zero mandatory findings, and the alert resources were checked", async () => {
  const alerts = await runProcessing({ alertEmails: ["oncall@example.com"] });
  const types = new Set(alerts.resources.map((r) => r.type));
  for (const t of ["aws:lambda/function:Function", "aws:sns/topic:Topic", "aws:iam/role:Role"])
    assert.ok(types.has(t), t);
  const findings = evaluateDeployment(Object.values({ ...runs, processing: alerts }));
  assert.deepEqual(summary(mandatoryFindings(findings)), [], summary(findings).join("\n"));
});
