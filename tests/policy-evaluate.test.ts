import assert from "node:assert/strict";
import { test } from "node:test";
import * as aws from "@pulumi/aws";
import * as confluent from "@pulumi/confluentcloud";
import { standardTags } from "../lib/naming";
import type { StackProgram } from "../tools/offline/run-stack";
import { runStack } from "../tools/offline/run-stack";
import { evaluateDeployment, isBlocking, providerUrn } from "../tools/plan/policy/evaluate";

const TAGS = standardTags({ project: "p", stack: "dev", owner: "fraud-team", costCenter: "cc-42" });

/** Runs a tiny program offline, its AWS resources under a provider carrying the standard tags. */
function run(project: string, program: (provider: aws.Provider) => void) {
  const wrapped: StackProgram = async () => {
    program(new aws.Provider("aws", { region: "us-east-1", defaultTags: { tags: TAGS } }));
    return {};
  };
  return runStack({ project, stack: "dev", region: "us-east-1", config: {}, program: wrapped });
}

const summary = (findings: ReturnType<typeof evaluateDeployment>) =>
  findings.map((f) => `${f.enforcementLevel} ${f.policy} ${f.stack}/${f.resourceName}: ${f.message}`);

test("clean resources produce no findings", async () => {
  const clean = await run("clean", (provider) => {
    const sg = new aws.ec2.SecurityGroup("sg", { description: "web" }, { provider });
    new aws.vpc.SecurityGroupIngressRule(
      "https",
      { securityGroupId: sg.id, ipProtocol: "tcp", fromPort: 443, toPort: 443, cidrIpv4: "0.0.0.0/0" },
      { provider },
    );
    new aws.ebs.Volume("data", { availabilityZone: "us-east-1a", size: 10, encrypted: true }, { provider });
  });
  assert.deepEqual(summary(evaluateDeployment([clean])), []);
});

test("a world-open Redshift port, an unencrypted volume and a plaintext connector secret are mandatory findings", async () => {
  const aws1 = await run("aws-resources", (provider) => {
    const sg = new aws.ec2.SecurityGroup("redshift-sg", { description: "redshift" }, { provider });
    new aws.vpc.SecurityGroupIngressRule(
      "redshift-world",
      { securityGroupId: sg.id, ipProtocol: "tcp", fromPort: 5439, toPort: 5439, cidrIpv4: "0.0.0.0/0" },
      { provider },
    );
    new aws.ebs.Volume("oradata", { availabilityZone: "us-east-1a", size: 10 }, { provider });
  });
  const connector = await run("connector", () => {
    new confluent.Connector("oracle-cdc", {
      environment: { id: "env-1" },
      kafkaCluster: { id: "lkc-1" },
      configSensitive: {},
      configNonsensitive: { "connector.class": "OracleXStreamSource", "database.password": "Welcome1" },
    });
  });
  const findings = evaluateDeployment([aws1, connector]);
  // Sorted: resources are recorded in the order their registrations complete.
  assert.deepEqual(summary(findings.filter(isBlocking)).sort(), [
    "mandatory confluent-connector-no-plaintext-secrets connector/oracle-cdc: oracle-cdc: configNonsensitive key 'database.password' is a secret; move it to configSensitive",
    "mandatory ebs-encrypted aws-resources/oradata: oradata: not encrypted: the volume",
    "mandatory security-group-no-world-ingress aws-resources/redshift-world: redshift-world rule: tcp port 5439 is open to 0.0.0.0/0; only TCP 80/443 may be world-open",
  ]);
  const world = findings.find((f) => f.policy === "security-group-no-world-ingress");
  assert.equal(world?.resourceType, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
  assert.match(world?.urn ?? "", /::redshift-world$/);
});

test("the standard tags are read from the resource's provider; without them every taggable resource is flagged", async () => {
  const untagged = await runStack({
    project: "untagged",
    stack: "dev",
    region: "us-east-1",
    config: {},
    program: async () => {
      const provider = new aws.Provider("bare", { region: "us-east-1" });
      new aws.ec2.Vpc("vpc", { cidrBlock: "10.0.0.0/16" }, { provider });
      new aws.iam.RolePolicyAttachment(
        "attach",
        { role: "r", policyArn: "arn:aws:iam::aws:policy/x" },
        { provider },
      );
      return {};
    },
  });
  const provider = untagged.resources.find((r) => r.type === "pulumi:providers:aws");
  const vpc = untagged.resources.find((r) => r.name === "vpc");
  assert.equal(providerUrn(vpc?.providerRef ?? ""), provider?.urn);
  const tagFindings = evaluateDeployment([untagged]).filter((f) => f.policy === "aws-standard-tags");
  assert.deepEqual(summary(tagFindings), [
    "mandatory aws-standard-tags untagged/vpc: vpc: missing tags Project, PulumiStack, Owner, CostCenter (set them through the AWS provider's defaultTags)",
  ]);
});

test("the EnvironmentAdmin escape hatch is pack config; stack rules report advisories per stack", async () => {
  const bindings = await run("connector", (provider) => {
    new confluent.RoleBinding("app-manager", {
      principal: "User:sa-123",
      roleName: "EnvironmentAdmin",
      crnPattern: "crn://confluent.cloud/organization=o/environment=env-1",
    });
    new aws.secretsmanager.Secret("oracle", { name: "fd-dev-oracle" }, { provider });
  });
  const strict = evaluateDeployment([bindings]);
  assert.deepEqual(
    strict.map((f) => `${f.enforcementLevel} ${f.policy} ${f.resourceName}`),
    ["mandatory confluent-no-admin-role-bindings app-manager", "advisory secretsmanager-rotation oracle"],
  );
  const relaxed = evaluateDeployment([bindings], { allowEnvironmentAdmin: true });
  assert.deepEqual(relaxed.filter(isBlocking), []);
  assert.equal(relaxed[0]?.resourceType, "aws:secretsmanager/secret:Secret");
});
