/**
 * Pure rules of the OpenSearch domain: its resource-based access policy (owned first by
 * aws-resources, then by processing: docs/design-decisions.md#the-opensearch-access-policy-has-two-owners-in-sequence)
 * and how data nodes are spread over availability zones.
 */

/**
 * How every password of the domain's internal user database is generated, the master user's and the
 * sink user's alike: 32 characters with upper, lower, digit and special, so they pass the rules fine-grained
 * access control applies (or a stricter `password_validation_regex`). The special set avoids characters
 * that need quoting in shells, URLs or basic-auth headers.
 */
export const OPENSEARCH_PASSWORD_RULES = {
  length: 32,
  minUpper: 1,
  minLower: 1,
  minNumeric: 1,
  minSpecial: 1,
  special: true,
  overrideSpecial: "!*+-_=.~",
} as const;

export interface DomainAccessPolicyInput {
  /** `arn:<partition>:es:<region>:<account>:domain/<name>`. */
  readonly domainArn: string;
  /** Source CIDRs allowed to send (unsigned) HTTP requests; FGAC then authenticates them. */
  readonly sourceCidrs: readonly string[];
}

/** The union of CIDR lists, deduplicated and sorted, so the policy text is stable. */
export function opensearchSourceCidrs(...lists: (readonly string[])[]): string[] {
  return [...new Set(lists.flat())].sort();
}

/**
 * The domain access policy. With fine-grained access control on, AWS recommends a policy that
 * does not require signed requests, so the principal is `*` — narrowed by `aws:SourceIp` to the
 * given CIDRs, with FGAC (basic auth) authenticating every request. With no CIDRs the policy
 * denies every HTTP request: there is never an unconditioned allow for `*`.
 */
export function domainAccessPolicy({ domainArn, sourceCidrs }: DomainAccessPolicyInput): string {
  const base = { Principal: { AWS: "*" }, Action: "es:ESHttp*", Resource: `${domainArn}/*` };
  const statement =
    sourceCidrs.length === 0
      ? { Sid: "NoSourceAllowedYet", Effect: "Deny", ...base }
      : {
          Sid: "AllowListedSources",
          Effect: "Allow",
          ...base,
          Condition: { IpAddress: { "aws:SourceIp": [...sourceCidrs] } },
        };
  return JSON.stringify({ Version: "2012-10-17", Statement: [statement] });
}

/**
 * The access policy of a domain in a VPC: Principal `*` without a source-IP condition, since AWS applies
 * no IP-based policy to VPC domains (their security group does that job,
 * https://docs.aws.amazon.com/opensearch-service/latest/developerguide/vpc.html#vpc-security), and
 * fine-grained access control authenticates every request.
 */
export function vpcDomainAccessPolicy(domainArn: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AllowInsideTheVpc",
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: "es:ESHttp*",
        Resource: `${domainArn}/*`,
      },
    ],
  });
}

/** The subnets a domain of `count` data nodes spans: one per zone it is spread over. */
export function domainSubnetCount(count: number): number {
  return zoneLayout(count).availabilityZoneCount ?? 1;
}

export interface ZoneLayout {
  readonly zoneAwarenessEnabled: boolean;
  readonly availabilityZoneCount?: number;
}

/**
 * Returns `undefined` when `count` data nodes can be spread evenly (1 node, an even number, or a
 * multiple of 3), otherwise what is allowed — for the stack's config schema and the component.
 */
export function checkOpenSearchInstanceCount(count: number): string | undefined {
  if (Number.isInteger(count) && count >= 1 && (count === 1 || count % 2 === 0 || count % 3 === 0))
    return undefined;
  return `${count} data nodes cannot be spread evenly over availability zones; use 1, an even number, or a multiple of 3`;
}

/** 3 AZs when the count is a multiple of 3, else 2 AZs when even, no zone awareness for 1 node. */
export function zoneLayout(count: number): ZoneLayout {
  const problem = checkOpenSearchInstanceCount(count);
  if (problem) throw new Error(problem);
  if (count % 3 === 0) return { zoneAwarenessEnabled: true, availabilityZoneCount: 3 };
  if (count % 2 === 0) return { zoneAwarenessEnabled: true, availabilityZoneCount: 2 };
  return { zoneAwarenessEnabled: false };
}
