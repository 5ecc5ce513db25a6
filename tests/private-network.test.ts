import assert from "node:assert/strict";
import { before, test } from "node:test";
import { isPrivateCidr } from "../lib/private-ranges";
import { isPrivateConfluentEndpoint, PUBLIC_ACCESS_JUSTIFICATION_TAG } from "../lib/network-mode";
import { ingressOf, opensTcpPort } from "../policy/rules/aws-network";
import type { StackRun } from "../tools/offline/run-stack";
import { evaluateDeployment, isBlocking } from "../tools/plan/policy/evaluate";
import type { PlanResult } from "../tools/plan/run-plan";
import { prodDeployment, quietPlan, runsOf } from "./helpers/deployment";
import { PROD_REPLACEMENTS } from "./helpers/prod-config";
import { ofType, one } from "./helpers/resources";
import { deploymentDiagram } from "../tools/plan/diagram";
import { planWarnings, UNVERIFIED_REDSHIFT_HOP } from "../tools/plan/warnings";

// The production profile under mocks: private by default (aws-resources:networkMode) and its Redshift
// fallback, one plan each, shared by the tests of this file. Switching prod to public and dev to private
// are tests/stack-urns.test.ts's recorded states, each planned there with the policy pack.

let prod: PlanResult;
let fallback: PlanResult;
before(async () => {
  [prod, fallback] = await Promise.all([
    prodDeployment(),
    quietPlan({
      stack: "prod",
      overrides: { ...PROD_REPLACEMENTS, "aws-resources:redshiftPath": "public-allowlist" },
      evaluate: evaluateDeployment,
    }),
  ]);
});

const STORE_PORTS = [1521, 5439, 443];
const RULE_TYPES = [
  "aws:ec2/securityGroup:SecurityGroup",
  "aws:ec2/securityGroupRule:SecurityGroupRule",
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
];

/** Every CIDR any rule of the run admits on a data store's port, with the rule's name. */
function storePortCidrs(run: StackRun): string[] {
  return run.resources
    .filter((r) => RULE_TYPES.includes(r.type))
    .flatMap((r) =>
      ingressOf(r.type, r.inputs).flatMap((rule) =>
        STORE_PORTS.filter((p) => opensTcpPort(rule, p)).flatMap((p) =>
          rule.cidrs.map((c) => `${r.name} ${p} ${c}`),
        ),
      ),
    );
}

test("prod is private: no data store has a public address or admits a non-private CIDR", () => {
  const runs = runsOf(prod);
  const aws = runs["aws-resources"];
  assert.equal(aws.outputs.networkMode, "private");
  const oracle = one(aws, "aws:ec2/instance:Instance");
  assert.equal(oracle.inputs.associatePublicIpAddress, false);
  assert.equal(
    oracle.inputs.tags && (oracle.inputs.tags as Record<string, unknown>).PublicIpJustification,
    undefined,
  );
  assert.deepEqual(ofType(aws, "aws:ec2/eipAssociation:EipAssociation"), [], "no Elastic IP on a host");
  assert.equal(ofType(aws, "aws:ec2/eip:Eip").length, 3, "the NAT gateways' addresses only");
  assert.equal(one(aws, "aws:redshift/cluster:Cluster").inputs.publiclyAccessible, false);
  const domain = one(aws, "aws:opensearch/domain:Domain");
  assert.equal(
    (domain.inputs.vpcOptions as { subnetIds: string[] }).subnetIds.length,
    3,
    "in the VPC, three zones",
  );
  for (const run of Object.values(runs)) {
    const cidrs = storePortCidrs(run);
    const outside = cidrs.filter((c) => !isPrivateCidr(c.split(" ")[2]!));
    assert.deepEqual(outside, [], `${run.project} admits only private ranges on 1521/5439/443`);
  }
  assert.ok(
    storePortCidrs(aws).some((c) => c.endsWith(" 443 10.0.0.0/16")),
    "OpenSearch admits the VPC",
  );
  assert.deepEqual(prod.findings.filter(isBlocking), [], "0 mandatory findings");
  // The operator's public admin address is kept (it still reaches the web app), yet no store admits it.
  assert.deepEqual(aws.outputs.allowedCidrs, PROD_REPLACEMENTS["aws-resources:allowedCidrs"]);
});

test("prod's Oracle and Redshift sit behind NLB endpoint services; Confluent reaches them through access points", () => {
  const { "aws-resources": aws, connector, processing } = runsOf(prod);
  const nlbs = ofType(aws, "aws:lb/loadBalancer:LoadBalancer");
  assert.deepEqual(
    nlbs.map((n) => [
      n.inputs.internal,
      n.inputs.loadBalancerType,
      n.inputs.enforceSecurityGroupInboundRulesOnPrivateLinkTraffic,
    ]),
    [
      [true, "network", "off"],
      [true, "network", "off"],
    ],
  );
  const targets = ofType(aws, "aws:lb/targetGroup:TargetGroup").map((t) => [
    t.inputs.port,
    t.inputs.targetType,
  ]);
  assert.deepEqual(targets.sort(), [
    [1521, "instance"],
    [5439, "ip"],
  ]);
  assert.equal(
    one(aws, "aws:lb/targetGroupAttachment:TargetGroupAttachment", "redshift-private-link-target").inputs
      .targetId,
    "10.0.0.20",
    "the leader node's private address",
  );
  // The store admits the NLB's security group, never a CIDR.
  const fromNlb = one(
    aws,
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
    "oracle-private-link-from-nlb",
  );
  assert.ok(fromNlb.inputs.referencedSecurityGroupId && fromNlb.inputs.cidrIpv4 === undefined);

  const oracleHost = String(aws.outputs.oracleHost);
  assert.match(oracleHost, /\.ec2\.internal$/, "the host's private name");
  const dns = ofType(connector, "confluentcloud:index/dnsRecord:DnsRecord");
  assert.deepEqual(
    dns.map((d) => d.inputs.domain),
    [oracleHost],
  );
  const cdc = one(connector, "confluentcloud:index/connector:Connector");
  assert.equal((cdc.inputs.configNonsensitive as Record<string, string>)["database.hostname"], oracleHost);
  assert.ok(cdc.dependencyUrns.includes(dns[0]!.urn), "the connector starts after its DNS record");
  const allowed = ofType(
    connector,
    "aws:ec2/vpcEndpointServiceAllowedPrinciple:VpcEndpointServiceAllowedPrinciple",
  );
  assert.match(String(allowed[0]?.inputs.principalArn), /^arn:aws:iam::\d+:role\/confluent-egress-/);

  const redshiftDns = one(processing, "confluentcloud:index/dnsRecord:DnsRecord");
  assert.equal(
    redshiftDns.inputs.domain,
    aws.outputs.redshiftHost,
    "the sink keeps Redshift's own host name",
  );
  assert.equal(ofType(processing, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").length, 0);
  const cluster = one(connector, "confluentcloud:index/kafkaCluster:KafkaCluster");
  assert.deepEqual([cluster.inputs.enterprises, cluster.inputs.availability], [[{}], "HIGH"]);
});

test("no private-endpoint resource is registered by the public phase; the data-plane stack uses the private endpoint", () => {
  const runs = runsOf(prod);
  const REST = [
    "confluentcloud:index/flinkStatement:FlinkStatement",
    "confluentcloud:index/kafkaTopic:KafkaTopic",
    "confluentcloud:index/kafkaAcl:KafkaAcl",
    "confluentcloud:index/kafkaClusterConfig:KafkaClusterConfig",
  ];
  for (const project of ["aws-resources", "connector", "processing"] as const) {
    assert.deepEqual(
      runs[project].resources.filter((r) => REST.includes(r.type)).map((r) => r.name),
      [],
      `${project} registers nothing through a Confluent REST endpoint`,
    );
  }
  const statements = ofType(runs["data-plane"], REST[0]!);
  assert.equal(statements.length, 8, "six source-table statements, the flagged table and the rules job");
  for (const s of statements) assert.ok(isPrivateConfluentEndpoint(String(s.inputs.restEndpoint)), s.name);
  // Every processing statement after every connector statement, each after what it names.
  const job = statements.find((s) => s.name.endsWith("processing-fraud-rules-job"))!;
  for (const s of statements.filter((x) => x.name.includes("-connector-"))) {
    assert.ok(job.dependencyUrns.includes(s.urn), `the rules job waits for ${s.name}`);
  }
  const sinks = ofType(runs["data-plane"], "confluentcloud:index/connector:Connector");
  assert.deepEqual(
    sinks.map((c) => (c.inputs.configNonsensitive as Record<string, string>)["connector.class"]),
    ["RedshiftSink"],
    "the sink that reads a Flink table comes after the statements",
  );
  assert.ok(statements.every((s) => sinks[0]!.dependencyUrns.includes(s.urn)));
  assert.ok(
    sinks[0]!.secretInputPaths.some((p) => p.startsWith("configSensitive")),
    "its password stays secret",
  );
  const keys = ofType(runs.connector, "confluentcloud:index/apiKey:ApiKey");
  assert.equal(keys.find((k) => k.name.endsWith("kafka-api-key"))?.inputs.disableWaitForReady, true);
});

test("prod writes OpenSearch through an OpenSearch Ingestion pipeline in the private subnets, no OpenSearch sink", () => {
  const { processing } = runsOf(prod);
  const pipeline = one(processing, "aws:opensearchingest/pipeline:Pipeline");
  assert.deepEqual([pipeline.inputs.minUnits, pipeline.inputs.maxUnits], [2, 4]);
  assert.equal((pipeline.inputs.vpcOptions as { subnetIds: string[] }).subnetIds.length, 3);
  assert.deepEqual(ofType(processing, "aws:opensearch/domainPolicy:DomainPolicy"), []);
  const classes = ofType(processing, "confluentcloud:index/connector:Connector").map(
    (c) => (c.inputs.configNonsensitive as Record<string, string>)["connector.class"],
  );
  assert.deepEqual(classes, [], "the Redshift sink is the data-plane stack's, the OpenSearch sink replaced");
});

test("the runner: a CodeBuild project in the private subnets, its secrets by reference, its log group kept and keyed", () => {
  const aws = runsOf(prod)["aws-resources"];
  const project = one(aws, "aws:codebuild/project:Project");
  const vpc = project.inputs.vpcConfig as { subnets: string[]; vpcId: string };
  assert.deepEqual(
    vpc.subnets,
    (aws.outputs.privateSubnets as { id: string }[]).map((s) => s.id),
  );
  const env = (
    project.inputs.environment as { environmentVariables: { name: string; type: string; value: string }[] }
  ).environmentVariables;
  assert.deepEqual(
    env.map((e) => [e.name, e.type]),
    [
      ["PULUMI_ACCESS_TOKEN", "SECRETS_MANAGER"],
      ["CONFLUENT_CLOUD_API_KEY", "SECRETS_MANAGER"],
      ["CONFLUENT_CLOUD_API_SECRET", "SECRETS_MANAGER"],
    ],
  );
  assert.ok(env.every((e) => e.value.startsWith(String(aws.outputs.runnerSecretArn))));
  const logs = one(aws, "aws:cloudwatch/logGroup:LogGroup", "runner-logs");
  assert.equal(logs.inputs.retentionInDays, 365);
  assert.match(String(logs.inputs.kmsKeyId), /^arn:aws:kms:/);
  const block = one(aws, "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock");
  assert.deepEqual(
    ["blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"].map(
      (k) => block.inputs[k],
    ),
    [true, true, true, true],
  );
  const policy = JSON.parse(
    String(one(aws, "aws:iam/rolePolicy:RolePolicy", "runner-role").inputs.policy),
  ) as {
    Statement: { Action: string | string[]; Resource: string | string[] }[];
  };
  assert.ok(
    policy.Statement.every(
      (s) =>
        s.Resource !== "*" ||
        [s.Action]
          .flat()
          .every((a) =>
            /^(ec2:Describe|ec2:(Create|Delete)NetworkInterface$|redshift-data:(Describe|Get))/.test(a),
          ),
    ),
    "a wildcard resource only where the action takes no other",
  );
  for (const key of ["runnerProjectName", "runnerSourceBucket", "runnerLogGroupName", "runnerSecretArn"]) {
    assert.notEqual(aws.outputs[key], "", key);
  }
});

test("the plan draws the private topology and marks the Redshift hop unverified, in the diagram and the warnings", () => {
  const diagram = deploymentDiagram(prod.stacks.map((s) => ({ run: s.run })));
  for (const part of [
    "oracle-private-link",
    "redshift-private-link",
    "runner",
    "private-link",
    "opensearch-ingestion",
    "data-plane",
  ]) {
    assert.ok(diagram.includes(`<b>${part}</b>`), part);
  }
  assert.match(
    diagram,
    /redshift.*\n.*UNVERIFIED hop: no Confluent guide|UNVERIFIED hop: no Confluent guide; fallback redshiftPath=public-allowlist/,
  );
  assert.ok(planWarnings(prod.stacks.map((s) => s.run)).includes(UNVERIFIED_REDSHIFT_HOP));
  assert.ok(!planWarnings(fallback.stacks.map((s) => s.run)).includes(UNVERIFIED_REDSHIFT_HOP));
  assert.ok(!deploymentDiagram(fallback.stacks.map((s) => ({ run: s.run }))).includes("UNVERIFIED"));
});

test("the Redshift fallback puts only Redshift back on its allow-listed public path, justified", () => {
  const { "aws-resources": aws, processing } = runsOf(fallback);
  const cluster = one(aws, "aws:redshift/cluster:Cluster");
  assert.equal(cluster.inputs.publiclyAccessible, true);
  assert.ok((cluster.inputs.tags as Record<string, string>)[PUBLIC_ACCESS_JUSTIFICATION_TAG]);
  assert.equal(aws.outputs.redshiftEndpointServiceName, "");
  assert.equal(ofType(aws, "aws:lb/loadBalancer:LoadBalancer").length, 1, "Oracle's NLB only");
  const rules = ofType(processing, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule");
  assert.ok(rules.length > 0 && rules.every((r) => r.inputs.fromPort === 5439));
  assert.ok(rules.every((r) => (r.inputs.tags as Record<string, string>)[PUBLIC_ACCESS_JUSTIFICATION_TAG]));
  assert.equal(
    one(aws, "aws:ec2/instance:Instance").inputs.associatePublicIpAddress,
    false,
    "Oracle stays private",
  );
  assert.deepEqual(fallback.findings.filter(isBlocking), []);
});
