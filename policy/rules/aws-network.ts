import type { ResourceValidationArgs, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { isRecord, isTrue, isWorldCidr, list, related, strings } from "./util";

export const SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup";
export const SECURITY_GROUP_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule";
export const INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
export const SUBNET = "aws:ec2/subnet:Subnet";
export const VPC = "aws:ec2/vpc:Vpc";
export const FLOW_LOG = "aws:ec2/flowLog:FlowLog";

/** One ingress permission, whichever of the three ways it was declared. */
export interface Ingress {
  /** `tcp`, `udp`, `icmp`, `-1` (all) or a protocol number, lowercased. */
  readonly protocol: string;
  readonly fromPort: number;
  readonly toPort: number;
  /** IPv4 and IPv6 CIDR sources (security-group and prefix-list sources are not listed). */
  readonly cidrs: readonly string[];
  /** Where it was declared, for messages: `ingress[0]` or `rule`. */
  readonly where: string;
}

function port(v: unknown, fallback: number): number {
  return typeof v === "number" && Number.isFinite(v) ? v : fallback;
}

function ingress(protocol: unknown, from: unknown, to: unknown, cidrs: string[], where: string): Ingress {
  return {
    protocol: String(protocol ?? "-1").toLowerCase(),
    fromPort: port(from, 0),
    toPort: port(to, 65535),
    cidrs,
    where,
  };
}

/** The ingress permissions a resource declares: inline, classic rule, or VPC ingress rule. */
export function ingressOf(type: string, props: Record<string, unknown>): Ingress[] {
  if (type === SECURITY_GROUP) {
    return list(props.ingress)
      .filter(isRecord)
      .map((r, i) =>
        ingress(
          r.protocol,
          r.fromPort,
          r.toPort,
          [...strings(r.cidrBlocks), ...strings(r.ipv6CidrBlocks)],
          `ingress[${i}]`,
        ),
      );
  }
  if (type === SECURITY_GROUP_RULE && props.type === "ingress") {
    const cidrs = [...strings(props.cidrBlocks), ...strings(props.ipv6CidrBlocks)];
    return [ingress(props.protocol, props.fromPort, props.toPort, cidrs, "rule")];
  }
  if (type === INGRESS_RULE) {
    const cidrs = [props.cidrIpv4, props.cidrIpv6].filter((c): c is string => typeof c === "string");
    return [ingress(props.ipProtocol, props.fromPort, props.toPort, cidrs, "rule")];
  }
  return [];
}

const ALL_PROTOCOLS = new Set(["-1", "all"]);
const TCP = new Set(["tcp", "6"]);
const ICMP = new Set(["icmp", "1", "icmpv6", "58"]);

/** True when the permission opens `p` over TCP (an all-protocols rule opens every port). */
export function opensTcpPort(r: Ingress, p: number): boolean {
  if (ALL_PROTOCOLS.has(r.protocol)) return true;
  return TCP.has(r.protocol) && r.fromPort <= p && p <= r.toPort;
}

/** World-open traffic is acceptable only for plain web ports, one port per rule. */
const WORLD_OPEN_PORTS: readonly number[] = [80, 443];

function describe(r: Ingress): string {
  if (ALL_PROTOCOLS.has(r.protocol)) return "all protocols and ports";
  if (ICMP.has(r.protocol)) return `protocol ${r.protocol}`;
  return r.fromPort === r.toPort
    ? `${r.protocol} port ${r.fromPort}`
    : `${r.protocol} ports ${r.fromPort}-${r.toPort}`;
}

function checkIngress(
  args: ResourceValidationArgs,
  report: (message: string) => void,
  rule: (r: Ingress) => string | undefined,
): void {
  for (const r of ingressOf(args.type, args.props)) {
    const problem = rule(r);
    if (problem) report(`${args.name} ${r.where}: ${problem}`);
  }
}

export const securityGroupNoWorldIngress: ResourceValidationPolicy = {
  name: "security-group-no-world-ingress",
  description:
    "Security-group ingress from 0.0.0.0/0 or ::/0 (or any CIDR wider than /8 IPv4, /32 IPv6) is allowed only " +
    "for TCP 80 or 443, one port per rule (web traffic to a load balancer). Checks inline `ingress`, " +
    "aws.ec2.SecurityGroupRule and aws.vpc.SecurityGroupIngressRule. Mirrors Checkov CKV_AWS_24/25/260/277, " +
    "Trivy AVD-AWS-0107, cdk-nag AwsSolutions-EC23.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) =>
    checkIngress(args, reportViolation, (r) => {
      const world = r.cidrs.filter(isWorldCidr);
      if (world.length === 0) return undefined;
      const webOnly = TCP.has(r.protocol) && r.fromPort === r.toPort && WORLD_OPEN_PORTS.includes(r.fromPort);
      return webOnly
        ? undefined
        : `${describe(r)} is open to ${world.join(", ")}; only TCP ${WORLD_OPEN_PORTS.join("/")} may be world-open`;
    }),
};

export const securityGroupNoSsh: ResourceValidationPolicy = {
  name: "security-group-no-ssh",
  description:
    "No security-group ingress may open TCP 22 from any source, including port ranges that cover 22 and " +
    "all-protocol (-1) rules: hosts are reached through SSM Session Manager, never SSH. Stricter than " +
    "Checkov CKV_AWS_24 / Trivy AVD-AWS-0107, which only flag SSH from the internet.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) =>
    checkIngress(args, reportViolation, (r) =>
      opensTcpPort(r, 22) ? `${describe(r)} opens SSH (22); use SSM Session Manager instead` : undefined,
    ),
};

export const subnetNoAutoPublicIp: ResourceValidationPolicy = {
  name: "subnet-no-auto-public-ip",
  description:
    "Subnets must not give every instance launched in them a public IP (mapPublicIpOnLaunch); an instance " +
    "that needs one asks for it explicitly and is checked by ec2-public-ip-justified. Mirrors Checkov " +
    "CKV_AWS_130, Trivy AVD-AWS-0164.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type !== SUBNET) return;
    if (isTrue(args.props.mapPublicIpOnLaunch)) {
      reportViolation(`${args.name}: mapPublicIpOnLaunch is true; request public IPs per instance instead`);
    }
  },
};

export const vpcFlowLogs: StackValidationPolicy = {
  name: "vpc-flow-logs",
  description:
    "Every VPC of the stack has a flow log (an aws.ec2.FlowLog that references it through vpcId), so " +
    "accepted and rejected connections to the public data stores leave a record. Mirrors Checkov " +
    "CKV2_AWS_11, Trivy AVD-AWS-0178, cdk-nag AwsSolutions-VPC7.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    for (const vpc of args.resources.filter((r) => r.type === VPC)) {
      if (related(args.resources, vpc, FLOW_LOG, "vpcId", vpc.props.id).length === 0) {
        reportViolation(`${vpc.name}: no flow log records this VPC's traffic`, vpc.urn);
      }
    }
  },
};
