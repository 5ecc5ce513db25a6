import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { splitCidr } from "../../lib/validators";
import { VpcFlowLogs } from "./flow-logs";
import type { LogSettings } from "./logs";

/** Number of availability zones the network spans (EKS, the ALB and OpenSearch zone awareness need 3). */
export const AZ_COUNT = 3;

/**
 * Zone ids where EKS cannot place a cluster (EKS "VPC and subnet requirements"). Zone names map to different
 * ids in every account, so they are excluded by id, not by name.
 */
const EKS_UNSUPPORTED_ZONE_IDS = ["use1-az3", "usw1-az2", "cac1-az3"];

/** Subnet CIDRs of the VPC: the range is cut into 16 equal blocks; the first 3 are public, the next 3 private. */
export interface SubnetLayout {
  readonly publicCidrs: readonly string[];
  readonly privateCidrs: readonly string[];
}

export function subnetLayout(vpcCidr: string): SubnetLayout {
  const blocks = splitCidr(vpcCidr, 4, AZ_COUNT * 2);
  return { publicCidrs: blocks.slice(0, AZ_COUNT), privateCidrs: blocks.slice(AZ_COUNT) };
}

/** The first `count` zones in name order, or an error naming the region's zones if there are too few. */
export function pickAzs(names: readonly string[], count = AZ_COUNT): string[] {
  const sorted = [...names].sort();
  if (sorted.length < count) {
    throw new Error(
      `the region has ${sorted.length} available zone(s) (${sorted.join(", ") || "none"}); this stack needs ${count}`,
    );
  }
  return sorted.slice(0, count);
}

/** The zone id of each zone name, as getAvailabilityZones lists them side by side. */
export function zoneIds(
  names: readonly string[],
  ids: readonly string[],
  picked: readonly string[],
): string[] {
  return picked.map((name) => {
    const id = ids[names.indexOf(name)];
    if (!id) throw new Error(`the region lists no zone id for zone ${name}`);
    return id;
  });
}

/**
 * Which public subnet's NAT gateway each private subnet routes through: its own AZ's (an AZ outage
 * only takes down that AZ), or all through the first (one NAT gateway's cost, a single point of failure).
 */
export function natRouting(natGatewayPerAz: boolean): number[] {
  return Array.from({ length: AZ_COUNT }, (_, i) => (natGatewayPerAz ? i : 0));
}

export interface NetworkArgs {
  /**
   * Private IPv4 range of the VPC.
   * @default "10.0.0.0/16"
   */
  readonly vpcCidr: string;
  /**
   * One NAT gateway per AZ instead of one shared gateway.
   * @default true
   */
  readonly natGatewayPerAz: boolean;
  /** Base of the `Name` tags, e.g. `fd-dev-a1b2`. */
  readonly namePrefix: pulumi.Input<string>;
  /** Retention, key and protection of the flow-log group. */
  readonly flowLogs: LogSettings;
}

/**
 * VPC with 3 public subnets (internet-facing load balancers, NAT gateways, and the hosts Confluent
 * Cloud must reach) and 3 private subnets (EKS nodes), across the first 3 zones of the region.
 */
export class Network extends pulumi.ComponentResource {
  readonly vpcId: pulumi.Output<string>;
  readonly vpcCidr: string;
  readonly publicSubnetIds: pulumi.Output<string>[];
  readonly privateSubnetIds: pulumi.Output<string>[];
  readonly privateSubnetCidrs: readonly string[];
  /** Where the internet-facing load balancers run. */
  readonly publicSubnetCidrs: readonly string[];
  /** Each private subnet with its zone's name and id (PrivateLink DNS names carry the zone). */
  readonly privateSubnets: pulumi.Output<{ id: string; zoneName: string; zoneId: string }[]>;
  /**
   * The VPC's internet gateway. Public addresses in the VPC (an Elastic IP association, a publicly
   * accessible Redshift cluster) need it attached first, and must be gone before it can be detached:
   * resources that hold one depend on it.
   */
  readonly internetGateway: aws.ec2.InternetGateway;
  /** Zone of each public/private subnet pair, in subnet order. */
  readonly availabilityZones: pulumi.Output<string>[];
  /**
   * The NAT gateways' Elastic IPs as `/32` CIDRs: every connection from the private subnets (the EKS
   * pods, and so the deploy Jobs) to the internet leaves from one of them.
   */
  readonly natPublicIps: pulumi.Output<string[]>;

  constructor(name: string, args: NetworkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-infra:network:Network", name, {}, opts);
    const parent = { parent: this };
    const layout = subnetLayout(args.vpcCidr);
    const tagName = (role: string) => pulumi.interpolate`${args.namePrefix}-${role}`;

    const zones = aws.getAvailabilityZonesOutput(
      {
        state: "available",
        excludeZoneIds: EKS_UNSUPPORTED_ZONE_IDS,
        filters: [{ name: "zone-type", values: ["availability-zone"] }],
      },
      parent,
    );
    const azs = zones.names.apply((names) => pickAzs(names));
    this.availabilityZones = Array.from({ length: AZ_COUNT }, (_, i) => azs.apply((a) => a[i] ?? ""));

    const vpc = new aws.ec2.Vpc(
      name,
      {
        cidrBlock: args.vpcCidr,
        enableDnsSupport: true,
        enableDnsHostnames: true,
        tags: { Name: tagName("vpc") },
      },
      parent,
    );
    // The default security group allows all traffic between its members; strip it so nothing can use it.
    new aws.ec2.DefaultSecurityGroup(
      `${name}-default-sg`,
      { vpcId: vpc.id, ingress: [], egress: [] },
      parent,
    );

    const igw = new aws.ec2.InternetGateway(
      `${name}-igw`,
      { vpcId: vpc.id, tags: { Name: tagName("igw") } },
      parent,
    );

    const publicRt = new aws.ec2.RouteTable(
      `${name}-public`,
      { vpcId: vpc.id, tags: { Name: tagName("public") } },
      parent,
    );
    new aws.ec2.Route(
      `${name}-public-default`,
      { routeTableId: publicRt.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id },
      parent,
    );

    const publicSubnets = layout.publicCidrs.map((cidr, i) => {
      const subnet = new aws.ec2.Subnet(
        `${name}-public-${i}`,
        {
          vpcId: vpc.id,
          cidrBlock: cidr,
          availabilityZone: this.availabilityZones[i],
          // Nothing gets a public address by accident; hosts that need one get an Elastic IP explicitly.
          mapPublicIpOnLaunch: false,
          tags: { Name: tagName(`public-${i}`), "kubernetes.io/role/elb": "1" },
        },
        parent,
      );
      new aws.ec2.RouteTableAssociation(
        `${name}-public-${i}`,
        { subnetId: subnet.id, routeTableId: publicRt.id },
        parent,
      );
      return subnet;
    });

    const natCount = args.natGatewayPerAz ? AZ_COUNT : 1;
    const eips = Array.from(
      { length: natCount },
      (_, i) =>
        new aws.ec2.Eip(`${name}-nat-${i}`, { domain: "vpc", tags: { Name: tagName(`nat-${i}`) } }, parent),
    );
    const nats = eips.map((eip, i) => {
      return new aws.ec2.NatGateway(
        `${name}-nat-${i}`,
        { allocationId: eip.id, subnetId: publicSubnets[i]!.id, tags: { Name: tagName(`nat-${i}`) } },
        { parent: this, dependsOn: [igw] },
      );
    });

    const routing = natRouting(args.natGatewayPerAz);
    const privateSubnets = layout.privateCidrs.map((cidr, i) => {
      const subnet = new aws.ec2.Subnet(
        `${name}-private-${i}`,
        {
          vpcId: vpc.id,
          cidrBlock: cidr,
          availabilityZone: this.availabilityZones[i],
          mapPublicIpOnLaunch: false,
          tags: { Name: tagName(`private-${i}`), "kubernetes.io/role/internal-elb": "1" },
        },
        parent,
      );
      const rt = new aws.ec2.RouteTable(
        `${name}-private-${i}`,
        { vpcId: vpc.id, tags: { Name: tagName(`private-${i}`) } },
        parent,
      );
      new aws.ec2.Route(
        `${name}-private-${i}-default`,
        { routeTableId: rt.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nats[routing[i]!]!.id },
        parent,
      );
      new aws.ec2.RouteTableAssociation(
        `${name}-private-${i}`,
        { subnetId: subnet.id, routeTableId: rt.id },
        parent,
      );
      return subnet;
    });

    new VpcFlowLogs(
      `${name}-flow-logs`,
      { vpcId: vpc.id, namePrefix: args.namePrefix, logs: args.flowLogs },
      parent,
    );

    this.vpcId = vpc.id;
    this.internetGateway = igw;
    this.vpcCidr = args.vpcCidr;
    this.publicSubnetIds = publicSubnets.map((s) => s.id);
    this.privateSubnetIds = privateSubnets.map((s) => s.id);
    this.privateSubnetCidrs = layout.privateCidrs;
    this.publicSubnetCidrs = layout.publicCidrs;
    const ids = pulumi
      .all([zones.names, zones.zoneIds, azs])
      .apply(([names, all, picked]) => zoneIds(names, all, picked));
    this.privateSubnets = pulumi
      .all([pulumi.all(this.privateSubnetIds), azs, ids])
      .apply(([subnets, names, zoneIdList]) =>
        subnets.map((id, i) => ({ id, zoneName: names[i] ?? "", zoneId: zoneIdList[i] ?? "" })),
      );
    this.natPublicIps = pulumi.all(eips.map((e) => e.publicIp)).apply((ips) => ips.map((ip) => `${ip}/32`));
    this.registerOutputs({
      vpcId: this.vpcId,
      publicSubnetIds: this.publicSubnetIds,
      privateSubnetIds: this.privateSubnetIds,
    });
  }
}
