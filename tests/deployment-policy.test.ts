import assert from "node:assert/strict";
import { before, test } from "node:test";
import { ConfigError } from "../lib/config";
import type { RecordedResource } from "../tools/offline/mocks";
import type { StackRun } from "../tools/offline/run-stack";
import { StackRunError } from "../tools/offline/run-stack";
import type { Finding } from "../tools/plan/policy/evaluate";
import { evaluateDeployment, isBlocking, policyConfigFor } from "../tools/plan/policy/evaluate";
import type { PlanResult } from "../tools/plan/run-plan";
import { PlanError } from "../tools/plan/run-plan";
import type { StackProject } from "../tools/stacks";
import { planStack, quietPlan, runsOf } from "./helpers/deployment";
import { ofType, one } from "./helpers/resources";
import { runStackUnderTest } from "./helpers/stack-under-test";

// The whole-deployment check: the policy pack over every resource the three dev stacks register
// has no mandatory finding, and deliberately weakened copies of those resources are caught.

const summary = (findings: readonly Finding[]) =>
  findings.map((f) => `${f.enforcementLevel} ${f.policy} ${f.stack}/${f.resourceName}: ${f.message}`);
/** The mandatory findings as `<policy> <stack>/<resource>`. */
const blocking = (findings: readonly Finding[]) =>
  findings.filter(isBlocking).map((f) => `${f.policy} ${f.stack}/${f.resourceName}`);

let plan: PlanResult;
let runs: Record<StackProject, StackRun>;
before(async () => {
  // The plan with the policy pack's rules, as `npm run plan` runs it.
  plan = await quietPlan({});
  runs = runsOf(plan);
});

test("the dev deployment has zero mandatory policy findings (with the dev stack's pack config)", () => {
  const findings = evaluateDeployment(
    Object.values(runs),
    policyConfigFor(
      plan.stacks.map((s) => s.config),
      "dev",
    ),
  );
  assert.deepEqual(summary(findings.filter(isBlocking)), [], summary(findings).join("\n"));
  assert.deepEqual(plan.findings, findings, "the offline plan reports exactly the pack's findings");
  for (const run of Object.values(runs)) {
    // The dev stacks are public: the data-plane stack registers nothing there.
    if (run.project === "data-plane") assert.equal(run.resources.length, 0, "public mode: no inner phase");
    else assert.ok(run.resources.length > 10, `${run.project} ran`);
  }
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

/**
 * The mandatory findings the deployment gains when one stack's run is swapped for `weak`, as
 * `<policy> <stack>/<resource>`. Compared with messages, so a finding on a resource that already had
 * one of the same rule still counts; with a clean deployment (the first test) it is every finding.
 */
function blockingWith(weak: StackRun): string[] {
  const full = (findings: readonly Finding[]) =>
    findings.filter(isBlocking).map((f) => [`${f.policy} ${f.stack}/${f.resourceName}`, f.message] as const);
  // Without the dev stack's pack config: the weakened copies must be caught on any stack.
  const before = new Set(full(evaluateDeployment(Object.values(runs))).map(([key, m]) => `${key} ${m}`));
  return full(evaluateDeployment(Object.values({ ...runs, [weak.project]: weak })))
    .filter(([key, m]) => !before.has(`${key} ${m}`))
    .map(([key]) => key);
}

test("(a) a connector secret moved into configNonsensitive is caught", () => {
  const connector = one(runs.connector, "confluentcloud:index/connector:Connector");
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
  assert.deepEqual(
    policyConfigFor(
      plan.stacks.map((s) => s.config),
      "dev",
    ),
    {
      allowEnvironmentAdmin: false,
      trialStack: true,
    },
  );
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

  const strict = evaluateDeployment([connector]).filter(isBlocking);
  assert.deepEqual(
    strict.map((f) => `${f.policy} ${f.resourceName}`).sort(),
    bindings.map((b) => `confluent-no-admin-role-bindings ${b.name}`).sort(),
  );
  assert.deepEqual(blocking(evaluateDeployment([connector], { allowEnvironmentAdmin: true })), []);
  // The plan reads connector:useEnvironmentAdmin and passes the escape hatch, as a documented real run does.
  assert.deepEqual(
    policyConfigFor(
      admin.stacks.map((s) => s.config),
      "dev",
    ),
    {
      allowEnvironmentAdmin: true,
      trialStack: true,
    },
  );
  assert.deepEqual(blocking(admin.findings ?? []), []);
});

test("(d) an instance that allows IMDSv1 is caught", () => {
  const host = one(runs["aws-resources"], "aws:ec2/instance:Instance");
  assert.equal((host.inputs.metadataOptions as { httpTokens?: unknown }).httpTokens, "required");
  const weak = weakened(runs["aws-resources"], host, (inputs) => ({
    ...inputs,
    metadataOptions: { ...(inputs.metadataOptions as object), httpTokens: "optional" },
  }));
  assert.deepEqual(blockingWith(weak), [`ec2-imdsv2-required aws-resources/${host.name}`]);
});

test("(e) an unencrypted Redshift cluster is caught", () => {
  const cluster = one(runs["aws-resources"], "aws:redshift/cluster:Cluster");
  const weak = weakened(runs["aws-resources"], cluster, (inputs) => ({ ...inputs, encrypted: "false" }));
  assert.deepEqual(blockingWith(weak), [`redshift-encrypted aws-resources/${cluster.name}`]);
});

test("(f) an EKS copy with the public endpoint and no publicAccessCidrs is caught", () => {
  const cluster = one(runs["aws-resources"], "aws:eks/cluster:Cluster");
  const weak = weakened(
    runs["aws-resources"],
    cluster,
    (inputs) => {
      const vpcConfig = { ...(inputs.vpcConfig as object), endpointPublicAccess: true };
      delete (vpcConfig as { publicAccessCidrs?: unknown }).publicAccessCidrs;
      return { ...inputs, vpcConfig };
    },
    "weak-eks",
  );
  assert.deepEqual(blockingWith(weak), ["eks-endpoint-not-world-open aws-resources/weak-eks"]);
});

test("(g) Redshift's security group opened to the world on 5439 is caught twice", () => {
  const cluster = one(runs["aws-resources"], "aws:redshift/cluster:Cluster");
  const groups = ofType(runs["aws-resources"], "aws:ec2/securityGroup:SecurityGroup");
  const group = groups.find((g) => cluster.dependencyUrns.includes(g.urn));
  assert.ok(group, "the cluster depends on its security group");
  const world = { protocol: "tcp", fromPort: 5439, toPort: 5439, cidrBlocks: ["0.0.0.0/0"] };
  const weak = weakened(runs["aws-resources"], group, (inputs) => ({ ...inputs, ingress: [world] }));
  assert.deepEqual(blockingWith(weak), [
    `security-group-no-world-ingress aws-resources/${group.name}`,
    `redshift-public-access-restricted aws-resources/${cluster.name}`,
  ]);
});

test("(h) a role binding widened to every topic, or to ResourceOwner, is caught", () => {
  const bindings = ofType(runs.connector, "confluentcloud:index/roleBinding:RoleBinding");
  const prefixed = bindings.find((b) => /\/topic=[^*/]+\*$/.test(String(b.inputs.crnPattern)));
  assert.ok(prefixed, "the connector stack binds a topic prefix");
  const everyTopic = weakened(runs.connector, prefixed, (inputs) => ({
    ...inputs,
    crnPattern: String(inputs.crnPattern).replace(/topic=[^/]+$/, "topic=*"),
  }));
  assert.deepEqual(blockingWith(everyTopic), [`confluent-no-admin-role-bindings connector/${prefixed.name}`]);
  const owner = weakened(runs.connector, prefixed, (inputs) => ({ ...inputs, roleName: "ResourceOwner" }));
  assert.deepEqual(blockingWith(owner), [`confluent-no-admin-role-bindings connector/${prefixed.name}`]);
});

test("(i) a literal password in the web app's env, or an ALB open to the world, is caught", () => {
  const app = one(runs["aws-resources"], "kubernetes:apps/v1:Deployment");
  const literal = weakened(runs["aws-resources"], app, (inputs) => {
    const spec = inputs.spec as { template: { spec: { containers: { env: unknown[] }[] } } };
    spec.template.spec.containers[0]!.env.push({ name: "DB_PASSWORD_COPY", value: "$ecretPassw0rd" });
    return inputs;
  });
  assert.deepEqual(blockingWith(literal), [`k8s-env-no-literal-secrets aws-resources/${app.name}`]);

  const ingress = one(runs["aws-resources"], "kubernetes:networking.k8s.io/v1:Ingress");
  const open = weakened(
    runs["aws-resources"],
    ingress,
    (inputs) => {
      const metadata = inputs.metadata as { annotations: Record<string, string> };
      metadata.annotations["alb.ingress.kubernetes.io/inbound-cidrs"] = "0.0.0.0/0";
      return inputs;
    },
    "weak-ingress",
  );
  // A copy of the dev stack's Ingress also serves plain HTTP, which only the trial stack may.
  assert.deepEqual(blockingWith(open), [
    "k8s-alb-ingress-inbound-cidrs aws-resources/weak-ingress",
    "k8s-alb-https-only aws-resources/weak-ingress",
  ]);
});

test("(j) a VPC without flow logs, a domain without audit logs and a host with hop limit 2 are caught", () => {
  const aws = runs["aws-resources"];
  const vpc = one(aws, "aws:ec2/vpc:Vpc");
  const domain = one(aws, "aws:opensearch/domain:Domain");
  const host = one(aws, "aws:ec2/instance:Instance");
  const spareVpc = weakened(aws, vpc, (inputs) => inputs, "spare-vpc");
  assert.deepEqual(blockingWith(spareVpc), ["vpc-flow-logs aws-resources/spare-vpc"]);
  const unaudited = weakened(aws, domain, ({ logPublishingOptions: _, ...inputs }) => inputs, "weak-domain");
  assert.deepEqual(blockingWith(unaudited), ["opensearch-audit-logs aws-resources/weak-domain"]);
  const hops = weakened(
    aws,
    host,
    (inputs) => ({
      ...inputs,
      metadataOptions: { ...(inputs.metadataOptions as object), httpPutResponseHopLimit: 2 },
    }),
    "weak-host",
  );
  // A copy of the dev stack's host also pulls the Oracle image by tag, which only the trial stack may.
  assert.deepEqual(blockingWith(hops), [
    "ec2-imds-hop-limit-1 aws-resources/weak-host",
    "container-images-by-digest aws-resources/weak-host",
  ]);
});

test("(k) a sink that logs in as the OpenSearch master user is caught", () => {
  const domain = one(runs["aws-resources"], "aws:opensearch/domain:Domain");
  const security = domain.inputs.advancedSecurityOptions as { masterUserOptions: { masterUserName: string } };
  const master = security.masterUserOptions.masterUserName;
  const sink = ofType(runs.processing, "confluentcloud:index/connector:Connector").find(
    (c) => (c.inputs.configNonsensitive as Record<string, string>)["connector.class"] === "OpenSearchSink",
  );
  assert.ok(sink, "the processing stack has an OpenSearch sink");
  const weak = weakened(
    runs.processing,
    sink,
    (inputs) => ({
      ...inputs,
      configNonsensitive: { ...(inputs.configNonsensitive as object), "connection.user": master },
    }),
    "weak-sink",
  );
  assert.deepEqual(blockingWith(weak), ["confluent-sink-not-master-user processing/weak-sink"]);
});

test("(l) the dev exception for the EKS endpoint holds only on the trial stack: elsewhere an unset list is mandatory", () => {
  assert.deepEqual(policyConfigFor([], "staging"), {
    allowEnvironmentAdmin: false,
    trialStack: false,
  });
});

test("alerts on (processing:alertEmails set): still zero mandatory findings, and the alert resources were checked", async () => {
  const alerts = await runStackUnderTest("processing", {
    overrides: { alertEmails: ["oncall@example.com"] },
  });
  const types = new Set(alerts.resources.map((r) => r.type));
  for (const t of ["aws:lambda/function:Function", "aws:sns/topic:Topic", "aws:iam/role:Role"])
    assert.ok(types.has(t), t);
  const findings = evaluateDeployment(
    Object.values({ ...runs, processing: alerts }),
    policyConfigFor(
      plan.stacks.map((s) => s.config),
      "dev",
    ),
  );
  assert.deepEqual(summary(findings.filter(isBlocking)), [], summary(findings).join("\n"));
});
