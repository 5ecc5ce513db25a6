import * as aws from "@pulumi/aws";
import * as confluentcloud from "@pulumi/confluentcloud";
import * as pulumi from "@pulumi/pulumi";
import { EgressAccessPoint } from "../../lib/egress-access-point";
import type { ClusterEndpoint } from "./private-link-dns";
import { accessPointEndpoint, flinkPrivateDomain, zonalTarget } from "./private-link-dns";

export interface ConfluentPrivateLinkArgs {
  readonly namePrefix: string;
  readonly region: string;
  readonly environmentId: pulumi.Output<string>;
  readonly kafkaClusterId: pulumi.Output<string>;
  readonly vpcId: string;
  readonly vpcCidr: string;
  readonly privateSubnets: readonly {
    readonly id: string;
    readonly zoneName: string;
    readonly zoneId: string;
  }[];
  /** The Flink region's private REST endpoint (`getFlinkRegion(...).privateRestEndpoint`). */
  readonly flinkPrivateRestEndpoint: string;
  /** The Oracle listener's endpoint service and the host name the connector uses for it. */
  readonly oracle: { readonly endpointServiceName: string; readonly host: string };
  readonly awsProvider: aws.Provider;
}

/** The ports clients in the VPC use through the ingress endpoint: HTTPS (Flink, Kafka REST) and Kafka. */
const INGRESS_PORTS = [443, 9092] as const;

/**
 * Private networking of the environment (docs/design-decisions.md#private-networking): an egress
 * PrivateLink gateway with the Oracle access point, and an ingress PrivateLink gateway reached from the
 * VPC through an interface endpoint, so the runner and the OpenSearch Ingestion pipeline reach the
 * cluster and the private Flink endpoint
 * (https://docs.confluent.io/cloud/current/networking/aws-platt.html).
 */
export class ConfluentPrivateLink extends pulumi.ComponentResource {
  readonly egressGateway: confluentcloud.Gateway;
  readonly egressPrincipalArn: pulumi.Output<string>;
  /** The CDC connector's path to Oracle; the connector starts after it. */
  readonly oracle: EgressAccessPoint;
  /** The cluster's endpoints through the ingress access point (usable inside the VPC only). */
  readonly clusterEndpoint: pulumi.Output<ClusterEndpoint>;
  /** What must exist before anything inside the VPC talks to Confluent. */
  readonly ingressReady: pulumi.Resource[];

  constructor(name: string, args: ConfluentPrivateLinkArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-infra:private-link:ConfluentPrivateLink", name, {}, opts);
    const parent = { parent: this };
    const awsOpts = { parent: this, provider: args.awsProvider };
    const environment = { id: args.environmentId };

    this.egressGateway = new confluentcloud.Gateway(
      `${name}-egress`,
      {
        displayName: `${args.namePrefix}-egress`,
        environment,
        awsEgressPrivateLinkGateway: { region: args.region },
      },
      parent,
    );
    this.egressPrincipalArn = this.egressGateway.awsEgressPrivateLinkGateway.apply(
      (g) => g?.principalArn ?? "",
    );
    this.oracle = new EgressAccessPoint(
      `${name}-oracle`,
      {
        environmentId: args.environmentId,
        gatewayId: this.egressGateway.id,
        gatewayPrincipalArn: this.egressPrincipalArn,
        endpointServiceName: args.oracle.endpointServiceName,
        domain: args.oracle.host,
        displayName: `${args.namePrefix}-oracle`,
        awsProvider: args.awsProvider,
      },
      parent,
    );

    const ingressGateway = new confluentcloud.Gateway(
      `${name}-ingress`,
      {
        displayName: `${args.namePrefix}-ingress`,
        environment,
        awsIngressPrivateLinkGateway: { region: args.region },
      },
      parent,
    );
    const sg = new aws.ec2.SecurityGroup(
      `${name}-ingress`,
      { vpcId: args.vpcId, description: "Confluent Cloud ingress PrivateLink endpoint, from the VPC only" },
      awsOpts,
    );
    for (const port of INGRESS_PORTS) {
      new aws.vpc.SecurityGroupIngressRule(
        `${name}-ingress-${port}`,
        {
          securityGroupId: sg.id,
          ipProtocol: "tcp",
          fromPort: port,
          toPort: port,
          cidrIpv4: args.vpcCidr,
          description: `Confluent Cloud ${port} from inside the VPC`,
        },
        awsOpts,
      );
    }
    const endpoint = new aws.ec2.VpcEndpoint(
      `${name}-ingress`,
      {
        vpcId: args.vpcId,
        vpcEndpointType: "Interface",
        serviceName: ingressGateway.awsIngressPrivateLinkGateway.apply(
          (g) => g?.vpcEndpointServiceName ?? "",
        ),
        subnetIds: args.privateSubnets.map((s) => s.id),
        securityGroupIds: [sg.id],
        privateDnsEnabled: false,
      },
      awsOpts,
    );
    const accessPoint = new confluentcloud.AccessPoint(
      `${name}-ingress`,
      {
        displayName: `${args.namePrefix}-ingress`,
        environment,
        gateway: { id: ingressGateway.id },
        awsIngressPrivateLinkEndpoint: { vpcEndpointId: endpoint.id },
      },
      parent,
    );

    const endpointDnsName = endpoint.dnsEntries.apply((entries) => entries[0]?.dnsName ?? "");
    const domains = {
      access: accessPoint.awsIngressPrivateLinkEndpoint.apply((e) => e?.dnsDomain ?? ""),
      flink: flinkPrivateDomain(args.flinkPrivateRestEndpoint),
    };
    const records = Object.entries(domains).flatMap(([kind, domain]) => {
      const zone = new aws.route53.Zone(
        `${name}-${kind}`,
        {
          name: domain,
          comment: "Confluent Cloud through the ingress PrivateLink endpoint",
          vpcs: [{ vpcId: args.vpcId }],
          forceDestroy: true,
        },
        awsOpts,
      );
      const record = (suffix: string, recordName: pulumi.Input<string>, target: pulumi.Input<string>) =>
        new aws.route53.Record(
          `${name}-${kind}-${suffix}`,
          { zoneId: zone.zoneId, name: recordName, type: "CNAME", ttl: 60, records: [target] },
          awsOpts,
        );
      return [
        record("wildcard", pulumi.interpolate`*.${domain}`, endpointDnsName),
        ...args.privateSubnets.map((subnet, i) =>
          record(
            `zone-${i}`,
            pulumi.interpolate`*.${subnet.zoneId}.${domain}`,
            endpointDnsName.apply((dns) => zonalTarget(dns, subnet.zoneName)),
          ),
        ),
      ];
    });
    this.ingressReady = [accessPoint, ...records];

    // The cluster lists the endpoint of an access point only once it exists: read it afterwards.
    const cluster = confluentcloud.getKafkaClusterOutput(
      { id: args.kafkaClusterId, environment },
      { parent: this, dependsOn: [accessPoint] },
    );
    this.clusterEndpoint = pulumi
      .all([cluster.endpoints, accessPoint.id])
      .apply(([endpoints, id]) => accessPointEndpoint(endpoints, id));

    this.registerOutputs({ egressGatewayId: this.egressGateway.id, ingressAccessPointId: accessPoint.id });
  }
}
