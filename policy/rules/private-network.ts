import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import {
  isPrivateConfluentEndpoint,
  PUBLIC_ACCESS_JUSTIFICATION_TAG,
  REDSHIFT_FALLBACK_JUSTIFICATION,
} from "../../lib/network-mode";
import { isPrivateCidr } from "../../lib/private-ranges";
import { INGRESS_RULE, SECURITY_GROUP, SECURITY_GROUP_RULE, ingressOf, opensTcpPort } from "./aws-network";
import { OPENSEARCH_DOMAIN, OPENSEARCH_DOMAIN_POLICY, domainInVpc } from "./aws-opensearch";
import { REDSHIFT_CLUSTER, REDSHIFT_DEFAULT_PORT } from "./aws-redshift";
import { isTrue, parseJson, stringMap } from "./util";

/** Resources only a private deployment has: the stack is in private mode when it holds one. */
const PRIVATE_MARKERS: readonly string[] = [
  "aws:ec2/vpcEndpointService:VpcEndpointService",
  "confluentcloud:index/gateway:Gateway",
  "confluentcloud:index/accessPoint:AccessPoint",
  "aws:opensearchingest/pipeline:Pipeline",
];

/** Resources created through a Confluent REST endpoint (Flink, Kafka REST), which must be private then. */
const REST_RESOURCES: readonly string[] = [
  "confluentcloud:index/flinkStatement:FlinkStatement",
  "confluentcloud:index/kafkaTopic:KafkaTopic",
  "confluentcloud:index/kafkaAcl:KafkaAcl",
  "confluentcloud:index/kafkaClusterConfig:KafkaClusterConfig",
];

/** The data stores' ports: Oracle's listener, Redshift, OpenSearch's HTTPS. */
const STORE_PORTS: readonly number[] = [1521, REDSHIFT_DEFAULT_PORT, 443];

const restEndpointOf = (r: PolicyResource) =>
  typeof r.props.restEndpoint === "string" ? r.props.restEndpoint : undefined;

/** Whether the stack's resources show a private deployment. */
export function isPrivateDeployment(resources: readonly PolicyResource[]): boolean {
  return resources.some((r) => {
    if (PRIVATE_MARKERS.includes(r.type)) return true;
    const endpoint = REST_RESOURCES.includes(r.type) ? restEndpointOf(r) : undefined;
    return endpoint !== undefined && isPrivateConfluentEndpoint(endpoint);
  });
}

/** The documented Redshift fallback says so on the resource (aws-resources:redshiftPath public-allowlist). */
const justified = (r: PolicyResource) =>
  stringMap(r.props.tags)[PUBLIC_ACCESS_JUSTIFICATION_TAG] === REDSHIFT_FALLBACK_JUSTIFICATION;

/** Every public path to a data store one resource opens, as messages. */
function publicPaths(r: PolicyResource): string[] {
  const problems: string[] = [];
  if (r.type === "aws:ec2/instance:Instance" && isTrue(r.props.associatePublicIpAddress)) {
    problems.push("the host gets a public IP (associatePublicIpAddress)");
  }
  if (r.type === "aws:ec2/eipAssociation:EipAssociation")
    problems.push("an Elastic IP is associated with a host");
  if (r.type === REDSHIFT_CLUSTER && isTrue(r.props.publiclyAccessible) && !justified(r)) {
    problems.push(
      `Redshift is publicly accessible without the ${PUBLIC_ACCESS_JUSTIFICATION_TAG} tag of the documented fallback`,
    );
  }
  if (r.type === OPENSEARCH_DOMAIN && !domainInVpc(r.props)) {
    problems.push("the OpenSearch domain is outside the VPC (no vpcOptions subnets)");
  }
  if (
    r.type === OPENSEARCH_DOMAIN_POLICY &&
    JSON.stringify(parseJson(r.props.accessPolicies) ?? "").includes("aws:SourceIp")
  ) {
    problems.push("the domain policy admits source addresses: a public domain's policy");
  }
  if ([SECURITY_GROUP, SECURITY_GROUP_RULE, INGRESS_RULE].includes(r.type)) {
    for (const rule of ingressOf(r.type, r.props)) {
      for (const port of STORE_PORTS.filter((p) => opensTcpPort(rule, p))) {
        if (port === REDSHIFT_DEFAULT_PORT && justified(r)) continue;
        const outside = rule.cidrs.filter((c) => !isPrivateCidr(c));
        if (outside.length > 0) problems.push(`${rule.where} admits ${outside.join(", ")} on port ${port}`);
      }
    }
  }
  if (REST_RESOURCES.includes(r.type)) {
    const endpoint = restEndpointOf(r);
    if (endpoint === undefined || !isPrivateConfluentEndpoint(endpoint)) {
      problems.push(
        `created through ${endpoint ?? "the provider's default endpoint"}, not a private Confluent endpoint`,
      );
    }
  }
  return problems;
}

export const privateNetworkNoPublicDataStore: StackValidationPolicy = {
  name: "private-network-no-public-data-store",
  description:
    "In a private deployment (a stack holding a VPC endpoint service, a Confluent gateway or access point, an " +
    "OpenSearch Ingestion pipeline, or a Flink/Kafka REST resource on a private endpoint), no public path leads " +
    "to a data store: no host with a public IP or an Elastic IP, no publicly accessible Redshift, no OpenSearch " +
    "domain outside the VPC or domain policy by source address, no security-group ingress from a non-private " +
    "CIDR (outside RFC 1918 / fc00::/7) on 1521, 5439 or 443, and no Flink statement or Kafka REST resource " +
    "created through a public endpoint. The one exception is the documented Redshift fallback " +
    "(aws-resources:redshiftPath public-allowlist), which says so with a PublicAccessJustification tag on the " +
    "cluster and on its 5439 rules. No scanner equivalent (similar in intent to AWS Config opensearch-in-vpc-only " +
    "and redshift-cluster-public-access-check).",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    if (!isPrivateDeployment(args.resources)) return;
    for (const r of args.resources) {
      for (const problem of publicPaths(r)) {
        reportViolation(`${r.name}: private deployment, but ${problem}`, r.urn);
      }
    }
  },
};
