import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { spreadCidrIngressRules } from "../../../lib/cidr-rules";
import { domainAccessPolicy, opensearchSourceCidrs } from "../../../lib/opensearch-policy";
import type { CidrGroup } from "../../../lib/security-group-quota";

/**
 * The network paths this stack's sinks need, opened by this stack (the stack that creates a
 * connector opens the path it needs): Confluent's CONNECT egress CIDRs into Redshift on 5439, and
 * into the OpenSearch domain's access policy next to the operators' allowedCidrs and the NAT
 * gateways' addresses (the in-cluster Jobs that import the dashboards and create the sink user).
 */

export interface SinkNetworkPathsArgs {
  /** Confluent Cloud CONNECT egress CIDRs of the region (connector contract). */
  readonly connectEgressCidrs: readonly string[];
  /**
   * The egress CIDRs spread over Redshift's connector ingress groups (aws-resources contract) by
   * `spreadCidrs`: one 5439 rule per CIDR, in its group.
   */
  readonly redshiftIngress: readonly CidrGroup[];
  /** Redshift's port (aws-resources `redshiftPort`). */
  readonly redshiftPort: number;
  /** Admin CIDRs the aws-resources stack allows; kept in the OpenSearch policy. */
  readonly allowedCidrs: readonly string[];
  /** The NAT gateways' /32s (aws-resources `natPublicIps`); kept in the OpenSearch policy. */
  readonly natPublicIps: readonly string[];
  readonly opensearchDomainName: string;
  readonly opensearchDomainArn: string;
}

export class SinkNetworkPaths extends pulumi.ComponentResource {
  /** One rule per egress CIDR, for the Redshift sink to depend on. */
  readonly redshiftIngress: aws.vpc.SecurityGroupIngressRule[];
  readonly domainPolicy: aws.opensearch.DomainPolicy;

  constructor(name: string, args: SinkNetworkPathsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-infra:sinks:SinkNetworkPaths", name, {}, opts);
    const parent = { parent: this };

    this.redshiftIngress = spreadCidrIngressRules(
      `${name}-redshift`,
      args.redshiftIngress,
      {
        port: args.redshiftPort,
        description: "Confluent Cloud CONNECT egress to Redshift (Redshift sink connector)",
      },
      parent,
    );

    // This stack owns the domain policy from here on; aws-resources set only the initial one and
    // ignores later changes to it, so the two stacks never fight over the field.
    this.domainPolicy = new aws.opensearch.DomainPolicy(
      `${name}-opensearch-policy`,
      {
        domainName: args.opensearchDomainName,
        accessPolicies: domainAccessPolicy({
          domainArn: args.opensearchDomainArn,
          sourceCidrs: opensearchSourceCidrs(args.allowedCidrs, args.natPublicIps, args.connectEgressCidrs),
        }),
      },
      parent,
    );

    this.registerOutputs({ redshiftIngress: this.redshiftIngress, domainPolicy: this.domainPolicy });
  }
}
