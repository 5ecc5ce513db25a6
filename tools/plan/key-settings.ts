import type { RecordedResource } from "../offline/mocks";
import { formatValue } from "./format";

/**
 * The few inputs per resource type a reviewer looks at first (ports and CIDRs, sizes, encryption
 * and TLS flags, connector class, …). Paths are arrays because Confluent connector keys contain
 * dots (`connector.class`). Values are read from `maskedInputs`, so secrets print as `[secret]`.
 * A type without an entry shows its name/description-like inputs only.
 */
export type InputPath = readonly (string | number)[];

const p = (...segments: (string | number)[]): InputPath => segments;
const ruleKeys = [p("ipProtocol"), p("fromPort"), p("toPort"), p("cidrIpv4"), p("referencedSecurityGroupId")];

const KEY_SETTINGS: Readonly<Record<string, readonly InputPath[]>> = {
  "aws:ec2/vpc:Vpc": [p("cidrBlock"), p("enableDnsHostnames")],
  "aws:ec2/subnet:Subnet": [p("cidrBlock"), p("availabilityZone"), p("mapPublicIpOnLaunch")],
  "aws:ec2/natGateway:NatGateway": [p("connectivityType")],
  "aws:ec2/route:Route": [p("destinationCidrBlock")],
  "aws:ec2/routeTable:RouteTable": [p("routes")],
  "aws:ec2/securityGroup:SecurityGroup": [p("description"), p("ingress"), p("egress")],
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": ruleKeys,
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": ruleKeys,
  "aws:ec2/securityGroupRule:SecurityGroupRule": [
    p("type"),
    p("protocol"),
    p("fromPort"),
    p("toPort"),
    p("cidrBlocks"),
  ],
  "aws:ec2/instance:Instance": [
    p("instanceType"),
    p("ami"),
    p("metadataOptions", "httpTokens"),
    p("rootBlockDevice", "encrypted"),
    p("associatePublicIpAddress"),
    p("monitoring"),
  ],
  "aws:ebs/volume:Volume": [p("size"), p("type"), p("encrypted")],
  "aws:eks/cluster:Cluster": [
    p("version"),
    p("accessConfig", "authenticationMode"),
    p("computeConfig", "enabled"),
    p("computeConfig", "nodePools"),
    p("vpcConfig", "endpointPublicAccess"),
  ],
  "aws:eks/accessEntry:AccessEntry": [p("type")],
  "aws:redshift/cluster:Cluster": [
    p("nodeType"),
    p("numberOfNodes"),
    p("databaseName"),
    p("encrypted"),
    p("publiclyAccessible"),
    p("automatedSnapshotRetentionPeriod"),
  ],
  "aws:dlm/lifecyclePolicy:LifecyclePolicy": [
    p("policyDetails", "schedules", 0, "createRule", "times"),
    p("policyDetails", "schedules", 0, "retainRule", "count"),
  ],
  "aws:cloudwatch/metricAlarm:MetricAlarm": [p("metricName"), p("comparisonOperator"), p("threshold")],
  "aws:redshift/parameterGroup:ParameterGroup": [p("family"), p("parameters")],
  "aws:opensearch/domain:Domain": [
    p("engineVersion"),
    p("clusterConfig", "instanceType"),
    p("clusterConfig", "instanceCount"),
    p("clusterConfig", "zoneAwarenessEnabled"),
    p("encryptAtRest", "enabled"),
    p("nodeToNodeEncryption", "enabled"),
    p("domainEndpointOptions", "enforceHttps"),
    p("domainEndpointOptions", "tlsSecurityPolicy"),
    p("advancedSecurityOptions", "enabled"),
  ],
  "aws:secretsmanager/secret:Secret": [p("name"), p("recoveryWindowInDays")],
  "aws:ssm/parameter:Parameter": [p("name"), p("type")],
  "aws:iam/role:Role": [p("name")],
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": [p("policyArn")],
  "random:index/randomPassword:RandomPassword": [p("length"), p("special")],
  "random:index/randomId:RandomId": [p("byteLength")],
  "confluentcloud:index/environment:Environment": [p("displayName"), p("streamGovernance", "package")],
  "confluentcloud:index/kafkaCluster:KafkaCluster": [
    p("displayName"),
    p("availability"),
    p("cloud"),
    p("region"),
  ],
  "confluentcloud:index/flinkComputePool:FlinkComputePool": [p("displayName"), p("maxCfu")],
  "confluentcloud:index/serviceAccount:ServiceAccount": [p("displayName")],
  "confluentcloud:index/roleBinding:RoleBinding": [p("roleName"), p("crnPattern")],
  "confluentcloud:index/kafkaAcl:KafkaAcl": [
    p("resourceType"),
    p("resourceName"),
    p("patternType"),
    p("operation"),
    p("permission"),
  ],
  "confluentcloud:index/apiKey:ApiKey": [p("displayName")],
  "confluentcloud:index/kafkaTopic:KafkaTopic": [p("topicName"), p("partitionsCount")],
  "confluentcloud:index/connector:Connector": [
    p("configNonsensitive", "connector.class"),
    p("configNonsensitive", "name"),
    p("configNonsensitive", "kafka.auth.mode"),
    p("configNonsensitive", "output.data.format"),
    p("configNonsensitive", "input.data.format"),
    p("configNonsensitive", "tasks.max"),
  ],
  "confluentcloud:index/flinkStatement:FlinkStatement": [p("statementName"), p("statement")],
  "kubernetes:core/v1:Namespace": [p("metadata", "name")],
  "kubernetes:core/v1:Secret": [p("metadata", "name"), p("type")],
  "kubernetes:core/v1:Service": [p("spec", "type"), p("spec", "ports")],
  "kubernetes:apps/v1:Deployment": [
    p("spec", "replicas"),
    p("spec", "template", "spec", "containers", 0, "image"),
    p("spec", "template", "spec", "securityContext", "runAsNonRoot"),
  ],
  "kubernetes:networking.k8s.io/v1:Ingress": [
    p("spec", "ingressClassName"),
    p("metadata", "annotations", "alb.ingress.kubernetes.io/scheme"),
  ],
  "kubernetes:networking.k8s.io/v1:IngressClass": [p("spec", "controller")],
};

/** Inputs shown for types without an entry: names and descriptions say what a thing is. */
const FALLBACK: readonly InputPath[] = [p("name"), p("displayName"), p("description")];

/** The value at `path` inside `obj`, undefined where a segment is missing. */
export function valueAt(obj: unknown, path: InputPath): unknown {
  let cur = obj;
  for (const seg of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string | number, unknown>)[seg];
  }
  return cur;
}

/** Last segments too generic to stand alone (`encryptAtRest.enabled`, not `enabled`). */
const GENERIC = new Set(["enabled", "type", "name", "image"]);

function label(path: InputPath): string {
  const last = path[path.length - 1];
  if (typeof last === "number") return `${String(path[path.length - 2])}[${last}]`;
  const parent = path[path.length - 2];
  return GENERIC.has(last!) && typeof parent === "string" && path.length > 1
    ? `${parent}.${last}`
    : String(last);
}

/**
 * `key=value` pairs for one resource's key settings, secrets masked, plus the resource options a
 * reviewer cares about (protect, retainOnDelete) and how many inputs are secret.
 */
export function keySettings(r: RecordedResource, maxValue = 48): string[] {
  const paths = KEY_SETTINGS[r.type] ?? FALLBACK;
  const out: string[] = [];
  for (const path of paths) {
    const v = valueAt(r.maskedInputs, path);
    if (v === undefined || v === null || v === "") continue;
    out.push(`${label(path)}=${formatValue(v, maxValue)}`);
  }
  if (r.protect) out.push("protect");
  if (r.retainOnDelete) out.push("retainOnDelete");
  const secretCount = r.secretInputPaths.length;
  if (secretCount > 0) out.push(`${secretCount} secret input${secretCount === 1 ? "" : "s"}`);
  return out;
}
