import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import type { CidrGroup } from "./security-group-quota";

/**
 * One security-group ingress rule per CIDR: `aws.vpc.SecurityGroupIngressRule` takes exactly one
 * source, and one resource per CIDR keeps a change to one address local.
 */

/** The rule source field for a CIDR: `cidrIpv4` or `cidrIpv6`. */
export function cidrRuleSource(cidr: string): { cidrIpv4: string } | { cidrIpv6: string } {
  return cidr.includes(":") ? { cidrIpv6: cidr } : { cidrIpv4: cidr };
}

/**
 * A logical-name part derived from the CIDR itself (`203-0-113-0-24`), so adding or removing
 * one address never renames (and so replaces) the rules of the others.
 */
export function cidrRuleName(cidr: string): string {
  return cidr.toLowerCase().replace(/[^0-9a-f]+/g, "-");
}

export interface CidrIngressRule {
  /** The security group the rules are added to. */
  readonly securityGroupId: pulumi.Input<string>;
  /** The TCP port opened to each CIDR. */
  readonly port: number;
  /** The rule description, the same for all or per CIDR. */
  readonly description: string | ((cidr: string) => string);
  /** Tags of each rule beyond the provider's defaults. */
  readonly tags?: Record<string, string>;
}

/** One TCP ingress rule per CIDR, named `<namePrefix>-<cidrRuleName(cidr)>`. */
export function cidrIngressRules(
  namePrefix: string,
  cidrs: readonly string[],
  rule: CidrIngressRule,
  opts: pulumi.CustomResourceOptions,
): aws.vpc.SecurityGroupIngressRule[] {
  return cidrs.map(
    (cidr) =>
      new aws.vpc.SecurityGroupIngressRule(
        `${namePrefix}-${cidrRuleName(cidr)}`,
        {
          securityGroupId: rule.securityGroupId,
          ipProtocol: "tcp",
          fromPort: rule.port,
          toPort: rule.port,
          ...cidrRuleSource(cidr),
          description: typeof rule.description === "string" ? rule.description : rule.description(cidr),
          ...(rule.tags ? { tags: rule.tags } : {}),
        },
        opts,
      ),
  );
}

/**
 * The rules of CIDRs spread over several security groups (see spreadCidrs), each into its group. Names
 * are those of cidrIngressRules: a CIDR that moves to another group keeps its rule's name.
 */
export function spreadCidrIngressRules(
  namePrefix: string,
  groups: readonly CidrGroup[],
  rule: Omit<CidrIngressRule, "securityGroupId">,
  opts: pulumi.CustomResourceOptions,
): aws.vpc.SecurityGroupIngressRule[] {
  return groups.flatMap((group) =>
    cidrIngressRules(namePrefix, group.cidrs, { ...rule, securityGroupId: group.securityGroupId }, opts),
  );
}
