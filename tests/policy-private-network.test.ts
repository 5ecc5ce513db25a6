import assert from "node:assert/strict";
import { test } from "node:test";
import { PUBLIC_ACCESS_JUSTIFICATION_TAG, REDSHIFT_FALLBACK_JUSTIFICATION } from "../lib/network-mode";
import { isPrivateCidr } from "../lib/private-ranges";
import { vpcDomainAccessPolicy } from "../lib/opensearch-policy";
import { opensearchAccessPolicyRestricted } from "../policy/rules/aws-opensearch";
import { privateNetworkNoPublicDataStore } from "../policy/rules/private-network";
import { stackViolations, violations } from "./helpers/policy";

const rule = (type: string, name: string, props: Record<string, unknown>) => ({
  type,
  name,
  urn: `urn:${name}`,
  props,
});
const marker = rule("aws:ec2/vpcEndpointService:VpcEndpointService", "oracle-service", {
  acceptanceRequired: false,
});
const messages = (fixtures: ReturnType<typeof rule>[]) =>
  stackViolations(privateNetworkNoPublicDataStore, fixtures).map((v) => v.message);
const ingress = (port: number, cidr: string, tags?: Record<string, string>) =>
  rule("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", `rule-${port}-${cidr}`, {
    securityGroupId: "sg-1",
    ipProtocol: "tcp",
    fromPort: port,
    toPort: port,
    cidrIpv4: cidr,
    ...(tags ? { tags } : {}),
  });
const JUSTIFIED = { [PUBLIC_ACCESS_JUSTIFICATION_TAG]: REDSHIFT_FALLBACK_JUSTIFICATION };
const PUBLIC_PATHS = [
  rule("aws:ec2/instance:Instance", "oracle-host", { associatePublicIpAddress: true }),
  rule("aws:ec2/eipAssociation:EipAssociation", "oracle-host-eip", { instanceId: "i-1" }),
  rule("aws:redshift/cluster:Cluster", "redshift", { publiclyAccessible: true }),
  rule("aws:opensearch/domain:Domain", "opensearch", { domainName: "d" }),
  rule("aws:opensearch/domainPolicy:DomainPolicy", "opensearch-policy", {
    accessPolicies: JSON.stringify({
      Statement: [{ Condition: { IpAddress: { "aws:SourceIp": ["203.0.113.0/24"] } } }],
    }),
  }),
  ingress(1521, "198.51.100.16/28"),
  ingress(5439, "203.0.113.7/32"),
  ingress(443, "0.0.0.0/0"),
  rule("confluentcloud:index/flinkStatement:FlinkStatement", "rules-job", {
    restEndpoint: "https://flink.us-east-1.aws.confluent.cloud",
  }),
  rule("confluentcloud:index/kafkaTopic:KafkaTopic", "topic", {}),
];

test("private ranges: RFC 1918 and fc00::/7 wholly, nothing wider or outside", () => {
  for (const c of [
    "10.0.0.0/16",
    "10.0.0.0/8",
    "172.16.0.0/12",
    "172.31.255.0/24",
    "192.168.1.7/32",
    "fd00::/8",
  ]) {
    assert.ok(isPrivateCidr(c), c);
  }
  for (const c of [
    "0.0.0.0/0",
    "8.0.0.0/7",
    "172.32.0.0/16",
    "172.16.0.0/11",
    "192.0.2.10/32",
    "2001:db8::/32",
    "10.0.0.0",
  ]) {
    assert.ok(!isPrivateCidr(c), c);
  }
});

test("in a private deployment every public path to a data store is a finding, one per path", () => {
  const found = messages([marker, ...PUBLIC_PATHS]);
  assert.equal(found.length, PUBLIC_PATHS.length, found.join("\n"));
  for (const [fixture, fragment] of [
    [PUBLIC_PATHS[0], "public IP"],
    [PUBLIC_PATHS[1], "Elastic IP"],
    [PUBLIC_PATHS[2], "publicly accessible"],
    [PUBLIC_PATHS[3], "outside the VPC"],
    [PUBLIC_PATHS[4], "admits source addresses"],
    [PUBLIC_PATHS[5], "198.51.100.16/28 on port 1521"],
    [PUBLIC_PATHS[6], "203.0.113.7/32 on port 5439"],
    [PUBLIC_PATHS[7], "0.0.0.0/0 on port 443"],
    [PUBLIC_PATHS[8], "not a private Confluent endpoint"],
    [PUBLIC_PATHS[9], "provider's default endpoint"],
  ] as const) {
    assert.ok(
      found.some((m) => m.startsWith(`${fixture!.name}: private deployment, but`) && m.includes(fragment)),
      `${fixture!.name}: ${fragment}`,
    );
  }
});

test("the private layout passes: VPC domain, private CIDRs, SG references, private endpoints, the justified fallback", () => {
  const privateLayout = [
    marker,
    rule("aws:ec2/instance:Instance", "oracle-host", { associatePublicIpAddress: false }),
    rule("aws:redshift/cluster:Cluster", "redshift", { publiclyAccessible: false }),
    rule("aws:redshift/cluster:Cluster", "redshift-fallback", { publiclyAccessible: true, tags: JUSTIFIED }),
    rule("aws:opensearch/domain:Domain", "opensearch", { vpcOptions: { subnetIds: ["subnet-1"] } }),
    ingress(443, "10.0.0.0/16"),
    ingress(1521, "192.168.0.0/24"),
    ingress(5439, "198.51.100.16/28", JUSTIFIED),
    ingress(80, "0.0.0.0/0"),
    rule("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "from-nlb", {
      ipProtocol: "tcp",
      fromPort: 1521,
      toPort: 1521,
      referencedSecurityGroupId: "sg-nlb",
    }),
    rule("confluentcloud:index/flinkStatement:FlinkStatement", "rules-job", {
      restEndpoint: "https://flink.us-east-1.aws.private.confluent.cloud",
    }),
    rule("aws:ec2/eip:Eip", "nat-0", { domain: "vpc" }),
  ];
  assert.deepEqual(messages(privateLayout), []);
  assert.equal(
    messages([marker, ingress(1521, "198.51.100.16/28", JUSTIFIED)]).length,
    1,
    "the tag covers 5439 only",
  );
  assert.equal(
    messages([
      marker,
      rule("aws:redshift/cluster:Cluster", "r", {
        publiclyAccessible: true,
        tags: { [PUBLIC_ACCESS_JUSTIFICATION_TAG]: "because" },
      }),
    ]).length,
    1,
    "only the documented justification counts",
  );
});

test("a public deployment (no private marker) is this rule's business only through other rules", () => {
  assert.deepEqual(messages(PUBLIC_PATHS.slice(0, 8)), []);
  for (const other of [
    rule("confluentcloud:index/gateway:Gateway", "egress", {}),
    rule("confluentcloud:index/accessPoint:AccessPoint", "ap", {}),
    rule("aws:opensearchingest/pipeline:Pipeline", "osi", {}),
    rule("confluentcloud:index/flinkStatement:FlinkStatement", "private-statement", {
      restEndpoint: "https://flink.us-east-1.aws.private.confluent.cloud",
    }),
  ]) {
    assert.equal(messages([other, PUBLIC_PATHS[2]!]).length, 1, `${other.type} marks a private deployment`);
  }
});

test("a VPC domain's policy may allow Principal * without a source-IP condition; a public domain's may not", () => {
  const domain = (props: Record<string, unknown>) => ({
    type: "aws:opensearch/domain:Domain",
    name: "opensearch",
    props: { accessPolicies: vpcDomainAccessPolicy("arn:aws:es:us-east-1:1:domain/d"), ...props },
  });
  assert.deepEqual(
    violations(opensearchAccessPolicyRestricted, domain({ vpcOptions: { subnetIds: ["subnet-1"] } })),
    [],
  );
  assert.equal(violations(opensearchAccessPolicyRestricted, domain({})).length, 1);
});
