import * as aws from "@pulumi/aws";
import * as confluentcloud from "@pulumi/confluentcloud";
import * as pulumi from "@pulumi/pulumi";

/**
 * One private hop from Confluent Cloud's managed connectors to a data store behind a VPC endpoint service
 * (https://docs.confluent.io/cloud/current/networking/aws-egress-privatelink-esku.html): the service
 * allows the environment's egress gateway, an access point connects to it, and a DNS record makes the
 * store's own host name resolve to the access point inside Confluent's network, so the connector keeps
 * that name (and a TLS certificate issued for it keeps matching).
 */

/** `vpce-svc-<id>` from `com.amazonaws.vpce.<region>.vpce-svc-<id>`. */
function endpointServiceId(serviceName: string): string {
  const id = /(vpce-svc-[0-9a-f]+)$/.exec(serviceName)?.[1];
  if (!id) throw new Error(`${JSON.stringify(serviceName)} is not a VPC endpoint service name`);
  return id;
}

export interface EgressAccessPointArgs {
  readonly environmentId: pulumi.Input<string>;
  readonly gatewayId: pulumi.Input<string>;
  /** The gateway's IAM principal, allowed on the endpoint service. */
  readonly gatewayPrincipalArn: pulumi.Input<string>;
  readonly endpointServiceName: string;
  /** The store's host name the connector uses. */
  readonly domain: pulumi.Input<string>;
  readonly displayName: string;
  /** Provider of the region the endpoint service lives in. */
  readonly awsProvider: aws.Provider;
}

export class EgressAccessPoint extends pulumi.ComponentResource {
  readonly accessPoint: confluentcloud.AccessPoint;
  /** Exists once the connector can resolve and reach the store. */
  readonly dnsRecord: confluentcloud.DnsRecord;

  constructor(name: string, args: EgressAccessPointArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-infra:private-link:EgressAccessPoint", name, {}, opts);
    const allowed = new aws.ec2.VpcEndpointServiceAllowedPrinciple(
      `${name}-allow-gateway`,
      {
        vpcEndpointServiceId: endpointServiceId(args.endpointServiceName),
        principalArn: args.gatewayPrincipalArn,
      },
      { parent: this, provider: args.awsProvider },
    );
    this.accessPoint = new confluentcloud.AccessPoint(
      `${name}-access-point`,
      {
        displayName: args.displayName,
        environment: { id: args.environmentId },
        gateway: { id: args.gatewayId },
        awsEgressPrivateLinkEndpoint: {
          vpcEndpointServiceName: args.endpointServiceName,
          // Interfaces in several zones: a zone outage does not cut the connector off.
          enableHighAvailability: true,
        },
      },
      { parent: this, dependsOn: [allowed] },
    );
    this.dnsRecord = new confluentcloud.DnsRecord(
      `${name}-dns`,
      {
        displayName: args.displayName,
        environment: { id: args.environmentId },
        domain: args.domain,
        gateway: { id: args.gatewayId },
        privateLinkAccessPoint: { id: this.accessPoint.id },
      },
      { parent: this },
    );
    this.registerOutputs({ accessPointId: this.accessPoint.id });
  }
}
