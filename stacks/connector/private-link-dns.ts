/**
 * Pure rules of the ingress PrivateLink DNS inside the VPC, after Confluent's own module
 * (github.com/confluentinc/terraform-provider-confluent, examples/configurations/
 * enterprise-privatelinkattachment-aws-kafka-acls/aws-privatelink-endpoint/privatelink.tf): a private
 * hosted zone for the access point's DNS domain, a wildcard record to the VPC endpoint, and one zonal
 * record per zone to the endpoint's interface in that zone.
 */

/**
 * The endpoint's zonal DNS name in `zoneName` (`<vpce id>-<zone name>.<rest>`), the target of that zone's
 * record, from its regional DNS name (`vpce-…-abcd.vpce-svc-….vpce.amazonaws.com`).
 */
export function zonalTarget(endpointDnsName: string, zoneName: string): string {
  const dot = endpointDnsName.indexOf(".");
  if (dot <= 0) throw new Error(`${JSON.stringify(endpointDnsName)} is not a VPC endpoint DNS name`);
  return `${endpointDnsName.slice(0, dot)}-${zoneName}${endpointDnsName.slice(dot)}`;
}

/**
 * The DNS domain of the region's private Flink endpoint (`https://flink.<region>.aws.private.confluent.cloud`
 * → `<region>.aws.private.confluent.cloud`): the statements are created through that name, so the VPC
 * resolves it to the same endpoint.
 */
export function flinkPrivateDomain(privateRestEndpoint: string): string {
  const host = /^https:\/\/([^/:]+)/.exec(privateRestEndpoint)?.[1] ?? "";
  const dot = host.indexOf(".");
  if (dot <= 0 || !host.endsWith(".confluent.cloud")) {
    throw new Error(
      `the Flink region's private endpoint ${JSON.stringify(privateRestEndpoint)} is not a Confluent Cloud URL`,
    );
  }
  return host.slice(dot + 1);
}

/** One endpoint of a Kafka cluster, as the provider lists them. */
export interface ClusterEndpoint {
  readonly accessPointId: string;
  readonly bootstrapEndpoint: string;
  readonly restEndpoint: string;
}

/** The cluster's endpoints through one access point; an error when the cluster lists none for it. */
export function accessPointEndpoint(
  endpoints: readonly ClusterEndpoint[],
  accessPointId: string,
): ClusterEndpoint {
  const found = endpoints.find((e) => e.accessPointId === accessPointId);
  if (!found) {
    throw new Error(
      `the Kafka cluster lists no endpoint for the ingress access point ${accessPointId} ` +
        `(it lists ${endpoints.map((e) => e.accessPointId).join(", ") || "none"})`,
    );
  }
  return found;
}
