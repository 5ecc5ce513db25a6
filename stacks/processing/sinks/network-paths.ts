import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { spreadCidrIngressRules } from "../../../lib/cidr-rules";
import { EgressAccessPoint } from "../../../lib/egress-access-point";
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
  /** Tags of the 5439 rules (the justification of private mode's Redshift fallback). */
  readonly redshiftRuleTags?: Record<string, string>;
  /** Admin CIDRs the aws-resources stack allows; kept in the OpenSearch policy. */
  readonly allowedCidrs: readonly string[];
  /** The NAT gateways' /32s (aws-resources `natPublicIps`); kept in the OpenSearch policy. */
  readonly natPublicIps: readonly string[];
  readonly opensearchDomainName: string;
  readonly opensearchDomainArn: string;
  /**
   * Private mode: the domain is in the VPC and keeps the policy aws-resources gave it (no source-IP
   * policy applies to it), so this stack writes none.
   */
  readonly opensearchInVpc: boolean;
  /** Private mode's Redshift hop over PrivateLink (absent in public mode and in its fallback). */
  readonly redshiftPrivateLink?: {
    readonly environmentId: string;
    readonly gatewayId: string;
    readonly gatewayPrincipalArn: string;
    readonly endpointServiceName: string;
    /** Redshift's own host name, which Confluent then resolves to the access point. */
    readonly host: string;
    readonly displayName: string;
    readonly awsProvider: aws.Provider;
  };
}

export class SinkNetworkPaths extends pulumi.ComponentResource {
  /** What the Redshift sink needs first: one rule per egress CIDR, or the PrivateLink hop. */
  readonly redshiftIngress: pulumi.Resource[];
  /** The public domain's policy (public mode). */
  readonly domainPolicy?: aws.opensearch.DomainPolicy;

  constructor(name: string, args: SinkNetworkPathsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-infra:sinks:SinkNetworkPaths", name, {}, opts);
    const parent = { parent: this };

    const redshiftRules = spreadCidrIngressRules(
      `${name}-redshift`,
      args.redshiftIngress,
      {
        port: args.redshiftPort,
        description: "Confluent Cloud CONNECT egress to Redshift (Redshift sink connector)",
        ...(args.redshiftRuleTags ? { tags: args.redshiftRuleTags } : {}),
      },
      parent,
    );

    // docs/design-decisions.md#private-networking: the Redshift hop without a Confluent guide (unverified).
    const link = args.redshiftPrivateLink;
    const redshiftLink =
      link &&
      new EgressAccessPoint(
        `${name}-redshift-link`,
        {
          environmentId: link.environmentId,
          gatewayId: link.gatewayId,
          gatewayPrincipalArn: link.gatewayPrincipalArn,
          endpointServiceName: link.endpointServiceName,
          domain: link.host,
          displayName: link.displayName,
          awsProvider: link.awsProvider,
        },
        parent,
      );
    this.redshiftIngress = [...redshiftRules, ...(redshiftLink ? [redshiftLink.dnsRecord] : [])];

    // This stack owns the domain policy from here on; aws-resources set only the initial one and
    // ignores later changes to it, so the two stacks never fight over the field.
    this.domainPolicy = args.opensearchInVpc
      ? undefined
      : new aws.opensearch.DomainPolicy(
          `${name}-opensearch-policy`,
          {
            domainName: args.opensearchDomainName,
            accessPolicies: domainAccessPolicy({
              domainArn: args.opensearchDomainArn,
              sourceCidrs: opensearchSourceCidrs(
                args.allowedCidrs,
                args.natPublicIps,
                args.connectEgressCidrs,
              ),
            }),
          },
          parent,
        );

    this.registerOutputs({ redshiftIngress: this.redshiftIngress, domainPolicy: this.domainPolicy });
  }
}
