import assert from "node:assert/strict";
import { test } from "node:test";
import * as aws from "@pulumi/aws";
import { runStack } from "../tools/offline/run-stack";
import type { StackRun } from "../tools/offline/run-stack";
import { cidrRuleName, cidrRuleSource } from "../lib/cidr-rules";
import { REDSHIFT_PASSWORD_SPECIALS, RedshiftWarehouse } from "../stacks/aws-resources/redshift";
import type { RedshiftWarehouseArgs } from "../stacks/aws-resources/redshift";
import { ofType, one } from "./helpers/resources";

const baseArgs: Omit<RedshiftWarehouseArgs, "internetGateway"> = {
  vpcId: "vpc-0123",
  subnetIds: ["subnet-public-a", "subnet-public-b", "subnet-public-c"],
  clusterIdentifier: "fd-dev-a1b2",
  nodeType: "ra3.large",
  nodeCount: 1,
  snapshotRetentionDays: 1,
  databaseName: "frauddetection",
  adminUser: "fdadmin",
  allowedCidrs: ["203.0.113.0/24", "198.51.100.7/32"],
  protect: false,
  publiclyAccessible: true,
};

function runRedshift(args: Partial<RedshiftWarehouseArgs> = {}): Promise<StackRun> {
  return runStack({
    project: "redshift-test",
    stack: "dev",
    region: "us-east-1",
    config: {},
    program: async () => {
      const provider = new aws.Provider("aws", { region: "us-east-1" });
      const internetGateway = new aws.ec2.InternetGateway("igw", { vpcId: baseArgs.vpcId }, { provider });
      const rs = new RedshiftWarehouse(
        "redshift",
        { ...baseArgs, internetGateway, ...args },
        { providers: [provider] },
      );
      return {
        host: rs.host,
        port: rs.port,
        securityGroupId: rs.securityGroupId,
        ingressSecurityGroupIds: rs.ingressSecurityGroupIds,
        adminPassword: rs.adminPassword,
        clusterIdentifier: rs.clusterIdentifier,
      };
    },
  });
}

const CLUSTER = "aws:redshift/cluster:Cluster";
const RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";

test("the security group has no inline rules and exactly one 5439 rule per allowed CIDR", async () => {
  const run = await runRedshift();
  const sg = run.resources.find(
    (r) => r.type === "aws:ec2/securityGroup:SecurityGroup" && r.name === "redshift-sg",
  );
  assert.ok(sg);
  assert.equal(sg.inputs.ingress, undefined);
  assert.equal(sg.inputs.egress, undefined);
  assert.equal(sg.inputs.vpcId, "vpc-0123");
  const sgId = String(run.outputs.securityGroupId);
  const rules = ofType(run, RULE).map((r) => r.inputs);
  assert.deepEqual(
    rules.map(({ securityGroupId, ipProtocol, fromPort, toPort, cidrIpv4 }) => ({
      securityGroupId,
      ipProtocol,
      fromPort,
      toPort,
      cidrIpv4,
    })),
    baseArgs.allowedCidrs.map((cidrIpv4) => ({
      securityGroupId: sgId,
      ipProtocol: "tcp",
      fromPort: 5439,
      toPort: 5439,
      cidrIpv4,
    })),
  );
  assert.deepEqual(ofType(run, "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule"), []);
  assert.deepEqual(ofType(run, "aws:ec2/securityGroupRule:SecurityGroupRule"), []);
});

test("no allowed CIDRs means no ingress rule at all", async () => {
  const run = await runRedshift({ allowedCidrs: [] });
  assert.deepEqual(ofType(run, RULE), []);
});

test("the cluster is encrypted, TLS-only, publicly reachable, single-node and disposable in dev", async () => {
  const run = await runRedshift();
  const cluster = one(run, CLUSTER);
  const i = cluster.inputs;
  assert.equal(i.encrypted, "true");
  assert.equal(i.publiclyAccessible, true);
  assert.equal(i.clusterType, "single-node");
  assert.equal(i.numberOfNodes, 1);
  assert.equal(i.nodeType, "ra3.large");
  assert.equal(i.databaseName, "frauddetection");
  assert.equal(i.masterUsername, "fdadmin");
  assert.equal(i.port, 5439);
  assert.equal(i.skipFinalSnapshot, true);
  assert.equal(i.finalSnapshotIdentifier, undefined);
  assert.equal(cluster.protect, false);
  assert.equal(cluster.retainOnDelete, false);
  const ingress = run.outputs.ingressSecurityGroupIds as string[];
  assert.equal(ingress.length, 4, "four empty connector ingress groups for the processing stack's rules");
  assert.deepEqual(i.vpcSecurityGroupIds, [run.outputs.securityGroupId, ...ingress]);
  const params = one(run, "aws:redshift/parameterGroup:ParameterGroup");
  assert.equal(params.inputs.family, "redshift-2.0");
  assert.deepEqual(params.inputs.parameters, [
    { name: "require_ssl", value: "true" },
    { name: "enable_user_activity_logging", value: "true" },
  ]);
  assert.match(String(i.clusterParameterGroupName), /^redshift-params-[0-9a-f]{7}$/);
  assert.ok(cluster.dependencyUrns.includes(params.urn), "cluster uses the parameter group");
  const subnets = one(run, "aws:redshift/subnetGroup:SubnetGroup");
  assert.deepEqual(subnets.inputs.subnetIds, baseArgs.subnetIds);
  assert.match(String(i.clusterSubnetGroupName), /^redshift-subnets-[0-9a-f]{7}$/);
  assert.ok(cluster.dependencyUrns.includes(subnets.urn));
  const logging = one(run, "aws:redshift/logging:Logging");
  assert.deepEqual(logging.inputs, {
    clusterIdentifier: "fd-dev-a1b2",
    logDestinationType: "cloudwatch",
    logExports: ["connectionlog", "userlog", "useractivitylog"],
  });
});

test("protect switches on protection, retention and a final snapshot; nodeCount > 1 is multi-node", async () => {
  const run = await runRedshift({ protect: true, nodeCount: 2 });
  const cluster = one(run, CLUSTER);
  assert.equal(cluster.protect, true);
  assert.equal(cluster.retainOnDelete, true);
  assert.equal(cluster.inputs.skipFinalSnapshot, false);
  assert.equal(cluster.inputs.finalSnapshotIdentifier, "fd-dev-a1b2-final");
  assert.equal(cluster.inputs.clusterType, "multi-node");
  assert.equal(cluster.inputs.numberOfNodes, 2);
  assert.equal(one(run, "random:index/randomPassword:RandomPassword").protect, true);
});

test("the admin password is random, secret, and never in a non-secret input or output", async () => {
  const run = await runRedshift();
  const pw = one(run, "random:index/randomPassword:RandomPassword");
  assert.equal(pw.inputs.length, 32);
  assert.equal(pw.inputs.minUpper, 1);
  assert.equal(pw.inputs.minLower, 1);
  assert.equal(pw.inputs.minNumeric, 1);
  assert.equal(pw.inputs.overrideSpecial, REDSHIFT_PASSWORD_SPECIALS);
  for (const forbidden of ["'", '"', "/", "\\", "@", " "])
    assert.ok(!REDSHIFT_PASSWORD_SPECIALS.includes(forbidden));

  const password = String(run.outputs.adminPassword);
  assert.ok(password.length >= 8);
  assert.deepEqual(run.secretOutputNames, ["adminPassword"]);
  const cluster = one(run, CLUSTER);
  assert.equal(cluster.inputs.masterPassword, password);
  assert.ok(cluster.secretInputPaths.includes("masterPassword"));
  for (const r of run.resources) {
    assert.ok(!JSON.stringify(r.maskedInputs).includes(password), `password in plain inputs of ${r.name}`);
  }
  for (const [k, v] of Object.entries(run.outputs)) {
    if (k !== "adminPassword") assert.ok(!JSON.stringify(v).includes(password), `password in output ${k}`);
  }
});

test("host is the DNS name without port and port is a number", async () => {
  const run = await runRedshift();
  assert.match(String(run.outputs.host), /^fd-dev-a1b2\.c[0-9a-f]+\.us-east-1\.redshift\.amazonaws\.com$/);
  assert.equal(run.outputs.port, 5439);
  assert.equal(run.outputs.clusterIdentifier, "fd-dev-a1b2");
});

test("CIDR rule helpers pick the address family and a stable name", () => {
  assert.deepEqual(cidrRuleSource("203.0.113.0/24"), { cidrIpv4: "203.0.113.0/24" });
  assert.deepEqual(cidrRuleSource("2001:db8::/48"), { cidrIpv6: "2001:db8::/48" });
  assert.equal(cidrRuleName("203.0.113.0/24"), "203-0-113-0-24");
  assert.equal(cidrRuleName("2001:DB8::/48"), "2001-db8-48");
});
