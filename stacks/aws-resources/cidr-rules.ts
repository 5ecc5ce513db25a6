/**
 * Pure helpers for one-rule-per-CIDR security group ingress (`aws.vpc.SecurityGroupIngressRule`
 * takes exactly one source, and one resource per CIDR keeps a change to one address local).
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
