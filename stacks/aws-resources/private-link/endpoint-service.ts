import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * A data store behind an internal Network Load Balancer and a VPC endpoint service: the self-managed
 * service pattern of Confluent's egress PrivateLink guide
 * (https://docs.confluent.io/cloud/current/connectors/networking/aws-eap-self-managed.html). The
 * endpoint service allows no principal here; the stack whose connector needs the path allows the
 * Confluent egress gateway's principal on it. The NLB has a security group without inbound rules and
 * does not apply it to PrivateLink traffic, so only the endpoint service's consumers reach it, and the
 * store admits the NLB's group, never a CIDR
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/network/load-balancer-security-groups.html).
 */

export interface PrivateEndpointServiceArgs {
  readonly vpcId: pulumi.Input<string>;
  readonly vpcCidr: string;
  /** The private subnets the NLB spans (every zone, so Confluent's endpoint finds one in its zone). */
  readonly subnetIds: readonly pulumi.Input<string>[];
  /** The store's port, on the listener and the targets. */
  readonly port: number;
  /** What is behind it, for descriptions, e.g. "Oracle listener". */
  readonly store: string;
  /** `instance` (an EC2 instance id) or `ip` (a private address in the VPC). */
  readonly targetType: "instance" | "ip";
  readonly target: pulumi.Input<string>;
  /** The store's own security group, which admits the NLB's. */
  readonly storeSecurityGroupId: pulumi.Input<string>;
}

export class PrivateEndpointService extends pulumi.ComponentResource {
  /** `com.amazonaws.vpce.<region>.vpce-svc-<id>`, what a Confluent egress access point connects to. */
  readonly serviceName: pulumi.Output<string>;

  constructor(name: string, args: PrivateEndpointServiceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-infra:private-link:PrivateEndpointService", name, {}, opts);
    const parent = { parent: this };

    const sg = new aws.ec2.SecurityGroup(
      `${name}-nlb`,
      {
        vpcId: args.vpcId,
        description: `NLB in front of the ${args.store}: no inbound rule, PrivateLink only`,
      },
      parent,
    );
    // Health checks and forwarded connections leave through the NLB's group (inbound rules do not apply to them).
    new aws.vpc.SecurityGroupEgressRule(
      `${name}-nlb-to-store`,
      {
        securityGroupId: sg.id,
        ipProtocol: "tcp",
        fromPort: args.port,
        toPort: args.port,
        cidrIpv4: args.vpcCidr,
        description: `to the ${args.store} in the VPC`,
      },
      parent,
    );
    new aws.vpc.SecurityGroupIngressRule(
      `${name}-from-nlb`,
      {
        securityGroupId: args.storeSecurityGroupId,
        referencedSecurityGroupId: sg.id,
        ipProtocol: "tcp",
        fromPort: args.port,
        toPort: args.port,
        description: `${args.store} from its PrivateLink NLB`,
      },
      parent,
    );

    const nlb = new aws.lb.LoadBalancer(
      `${name}-nlb`,
      {
        loadBalancerType: "network",
        internal: true,
        subnets: [...args.subnetIds],
        securityGroups: [sg.id],
        enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: "off",
        enableCrossZoneLoadBalancing: true,
      },
      parent,
    );
    const targets = new aws.lb.TargetGroup(
      `${name}-tg`,
      {
        vpcId: args.vpcId,
        port: args.port,
        protocol: "TCP",
        targetType: args.targetType,
        healthCheck: { protocol: "TCP", port: String(args.port) },
      },
      parent,
    );
    new aws.lb.TargetGroupAttachment(
      `${name}-target`,
      { targetGroupArn: targets.arn, targetId: args.target, port: args.port },
      parent,
    );
    new aws.lb.Listener(
      `${name}-listener`,
      {
        loadBalancerArn: nlb.arn,
        port: args.port,
        protocol: "TCP",
        defaultActions: [{ type: "forward", targetGroupArn: targets.arn }],
      },
      parent,
    );
    // No acceptance step: only principals allowed on the service can connect, and the one allowed is the
    // environment's Confluent egress gateway.
    const service = new aws.ec2.VpcEndpointService(
      `${name}-service`,
      { acceptanceRequired: false, networkLoadBalancerArns: [nlb.arn] },
      parent,
    );
    this.serviceName = service.serviceName;
    this.registerOutputs({ serviceName: this.serviceName });
  }
}
