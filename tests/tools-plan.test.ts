import assert from "node:assert/strict";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { z } from "zod";
import { int, parseConfig, str } from "../lib/config";
import { exportContract, plain, readUpstream, secret, stackReference } from "../lib/stack-outputs";
import type { ProjectFile } from "../tools/offline/project-config";
import { planCommand } from "../tools/plan/command";
import { describePlanError } from "../tools/plan/errors";
import type { Finding } from "../tools/plan/policy/evaluate";
import { skipPolicies } from "../tools/plan/policy/evaluate";
import type { PlanStackSource } from "../tools/plan/run-plan";
import { PlanError, overridesFor, regionOf, runPlan } from "../tools/plan/run-plan";

// Two small fake stacks stand in for the real ones: "up" exports a contract, "down" validates its
// config and reads "up" through a StackReference, like the real connector/processing stacks do.

const upContract = {
  vpcId: plain(z.string(), "vpc id"),
  dbPassword: secret(z.string(), "db password"),
} as const;

class Net extends pulumi.ComponentResource {
  readonly vpc: aws.ec2.Vpc;
  constructor(name: string, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-infra:test:Net", name, {}, opts);
    this.vpc = new aws.ec2.Vpc(`${name}-vpc`, { cidrBlock: "10.0.0.0/16" }, { parent: this });
    new aws.ec2.Subnet(`${name}-a`, { vpcId: this.vpc.id, cidrBlock: "10.0.0.0/24" }, { parent: this });
    new aws.ec2.Subnet(`${name}-b`, { vpcId: this.vpc.id, cidrBlock: "10.0.1.0/24" }, { parent: this });
    this.registerOutputs({});
  }
}

const project = (name: string, keys: ProjectFile["keys"]): ProjectFile => ({
  name,
  dir: mkdtempSync(path.join(tmpdir(), `plan-${name}-`)),
  keys,
});

const upStack: PlanStackSource = {
  name: "up",
  load: async () => ({
    project: project("up", [
      { key: "cidr", type: "string", description: "vpc cidr", default: "10.0.0.0/16", secret: false },
    ]),
    program: async () => {
      const net = new Net("net");
      const pw = new random.RandomPassword("db-pw", { length: 20 });
      return exportContract(upContract, { vpcId: net.vpc.id, dbPassword: pw.result });
    },
  }),
};

const downSchema = z.object({ rules: int(1, 5), label: str() });

const downStack: PlanStackSource = {
  name: "down",
  load: async () => ({
    project: project("down", [
      { key: "rules", type: "integer", description: "how many rules", default: 2, secret: false },
      { key: "label", type: "string", description: "a label", default: "fraud", secret: false },
    ]),
    program: async () => {
      const cfg = new pulumi.Config();
      const config = parseConfig("down", downSchema, { rules: cfg.get("rules"), label: cfg.get("label") });
      const up = await readUpstream(stackReference(`organization/up/${pulumi.getStack()}`), upContract);
      const sg = new aws.ec2.SecurityGroup("db", { vpcId: up.vpcId, description: config.label });
      for (let i = 0; i < config.rules; i++) {
        new aws.vpc.SecurityGroupIngressRule(`db-${i}`, {
          securityGroupId: sg.id,
          ipProtocol: "tcp",
          fromPort: 1521,
          toPort: 1521,
          cidrIpv4: `203.0.113.${i}/32`,
        });
      }
      return { sgId: sg.id, password: up.dbPassword };
    },
  }),
};

const stacks = [upStack, downStack];

test("runPlan runs the stacks in order and feeds each one the outputs of the ones before", async () => {
  const result = await runPlan({ stacks, evaluate: skipPolicies });
  assert.deepEqual(
    result.stacks.map((s) => s.run.project),
    ["up", "down"],
  );
  const [up, down] = result.stacks.map((s) => s.run);
  const sg = down!.resources.find((r) => r.type === "aws:ec2/securityGroup:SecurityGroup");
  assert.equal(sg?.inputs.vpcId, up!.outputs.vpcId, "down used up's vpcId through the StackReference");
  assert.deepEqual(down!.secretOutputNames, ["password"], "a secret upstream output stays secret downstream");
  assert.equal(down!.resources.filter((r) => r.type.endsWith("SecurityGroupIngressRule")).length, 2);
  assert.deepEqual(result.findings, []);
});

test("config overrides reach only their own project, other namespaces reach all", () => {
  const overrides = { "up:cidr": "10.9.0.0/16", "down:rules": "3", "aws:region": "eu-west-1" };
  assert.deepEqual(overridesFor("down", ["up", "down"], overrides), {
    "down:rules": "3",
    "aws:region": "eu-west-1",
  });
  assert.deepEqual(overridesFor("up", ["up", "down"], overrides), {
    "up:cidr": "10.9.0.0/16",
    "aws:region": "eu-west-1",
  });
  assert.equal(regionOf("aws-resources", { "aws-resources:region": "eu-central-1" }), "eu-central-1");
  assert.equal(regionOf("connector", { "aws:region": "ap-south-1" }, "eu-central-1"), "ap-south-1");
  assert.equal(regionOf("connector", {}, "eu-central-1"), "eu-central-1");
});

test("a bad config value fails the plan naming the stack, the key and what is allowed", async () => {
  const err = await runPlan({ stacks, evaluate: skipPolicies, overrides: { "down:rules": "seven" } }).then(
    () => assert.fail("the plan should have failed"),
    (e: unknown) => e,
  );
  assert.ok(err instanceof PlanError);
  assert.equal(err.stackProject, "down");
  assert.deepEqual(
    err.completed.map((s) => s.run.project),
    ["up"],
  );
  const text = describePlanError(err, "dev");
  assert.match(text, /✗ down \(stack dev\): invalid configuration/);
  assert.match(text, /down:rules = "seven": must be an integer from 1 to 5/);
  assert.match(text, /stacks\/down\/Pulumi\.dev\.yaml/);
});

test("plan command prints and writes the report without secrets; exit 1 on a config error", async () => {
  const outDir = mkdtempSync(path.join(tmpdir(), "plan-out-"));
  let stdout = "";
  let stderr = "";
  const io = { stdout: (t: string) => (stdout += t), stderr: (t: string) => (stderr += t) };
  const code = await planCommand({ stacks, evaluate: skipPolicies, outDir, ...io });
  assert.equal(code, 0, stderr);
  const report = readFileSync(path.join(outDir, "report.md"), "utf8");
  const diagram = readFileSync(path.join(outDir, "deployment.mmd"), "utf8");
  assert.match(stdout, /=== up \(stack dev\): 4 resources, 1 components, 2 outputs ===/);
  assert.match(
    stdout,
    /aws:vpc\/securityGroupIngressRule:SecurityGroupIngressRule +db-0 +— +ipProtocol=tcp; fromPort=1521; toPort=1521; cidrIpv4=203\.0\.113\.0\/32/,
  );
  assert.match(stdout, /dbPassword +\[secret\] +yes/);
  assert.match(stdout, /ESTIMATE/);
  assert.match(report, /```mermaid\nflowchart LR/);
  assert.ok(report.includes(diagram.trimEnd()), "the report embeds the diagram");
  assert.match(diagram, /up_outputs -\.->\|"vpcId"\| down_0\n/, "cross-stack edge to the consumer only");
  // The mocked RandomPassword result looks like Pw<12 hex>Z9…; it must never be printed.
  for (const text of [stdout, report, diagram]) assert.doesNotMatch(text, /Pw[0-9a-f]{12}Z9/);

  stdout = "";
  const bad = await planCommand({
    stacks,
    evaluate: skipPolicies,
    outDir,
    overrides: { "down:label": "" },
    ...io,
  });
  assert.equal(bad, 1);
  assert.match(stderr, /down:label = "": /);
});

test("plan command exits 3 when the policy pack reports a mandatory finding", async () => {
  const outDir = mkdtempSync(path.join(tmpdir(), "plan-out-"));
  let stdout = "";
  let stderr = "";
  const finding = (enforcementLevel: Finding["enforcementLevel"]): Finding => ({
    policy: "no-open-admin-ports",
    enforcementLevel,
    stack: "down",
    resourceType: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    resourceName: "db-0",
    urn: "urn:pulumi:dev::down::aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule::db-0",
    message: "1521 open",
  });
  const io = { stdout: (t: string) => (stdout += t), stderr: (t: string) => (stderr += t) };
  assert.equal(await planCommand({ stacks, outDir, evaluate: () => [finding("advisory")], ...io }), 0);
  assert.match(stdout, /Policy findings: 1 \(0 mandatory\)/);
  assert.equal(await planCommand({ stacks, outDir, evaluate: () => [finding("mandatory")], ...io }), 3);
  assert.match(stderr, /1 mandatory policy finding/);
});
