import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { spreadCidrIngressRules } from "../../lib/cidr-rules";
import { domainAccessPolicy } from "../../lib/opensearch-policy";
import type { CidrGroup } from "../../lib/security-group-quota";

/**
 * The network paths this stack's sinks need, opened by this stack (the stack that creates a
 * connector opens the path it needs): Confluent's CONNECT egress CIDRs into Redshift on 5439, and
 * into the OpenSearch domain's access policy next to the operators' allowedCidrs.
 */

export const REDSHIFT_PORT = 5439;

/** allowedCidrs ∪ egress CIDRs, deduplicated and sorted, so the policy text is stable. */
export function opensearchSourceCidrs(
  allowedCidrs: readonly string[],
  egressCidrs: readonly string[],
): string[] {
  return [...new Set([...allowedCidrs, ...egressCidrs])].sort();
}

export interface SinkNetworkPathsArgs {
  /** Confluent Cloud CONNECT egress CIDRs of the region (connector contract). */
  readonly connectEgressCidrs: readonly string[];
  /**
   * The egress CIDRs spread over Redshift's connector ingress groups (aws-resources contract) by
   * `spreadCidrs`: one 5439 rule per CIDR, in its group.
   */
  readonly redshiftIngress: readonly CidrGroup[];
  /** Admin CIDRs the aws-resources stack allows; kept in the OpenSearch policy. */
  readonly allowedCidrs: readonly string[];
  readonly opensearchDomainName: string;
  readonly opensearchDomainArn: string;
}

export class SinkNetworkPaths extends pulumi.ComponentResource {
  /** One rule per egress CIDR, for the Redshift sink to depend on. */
  readonly redshiftIngress: aws.vpc.SecurityGroupIngressRule[];
  readonly domainPolicy: aws.opensearch.DomainPolicy;

  constructor(name: string, args: SinkNetworkPathsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-infra:processing:SinkNetworkPaths", name, {}, opts);
    const parent = { parent: this };

    this.redshiftIngress = spreadCidrIngressRules(
      `${name}-redshift`,
      args.redshiftIngress,
      {
        port: REDSHIFT_PORT,
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
          sourceCidrs: opensearchSourceCidrs(args.allowedCidrs, args.connectEgressCidrs),
        }),
      },
      parent,
    );

    this.registerOutputs({ redshiftIngress: this.redshiftIngress, domainPolicy: this.domainPolicy });
  }
}
