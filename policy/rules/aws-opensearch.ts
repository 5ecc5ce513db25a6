import type { ResourceValidationPolicy } from "@pulumi/policy";
import { isRecord, isTrue, isWorldCidr, list, parseJson, record, strings } from "./util";

export const OPENSEARCH_DOMAIN = "aws:opensearch/domain:Domain";
export const OPENSEARCH_DOMAIN_POLICY = "aws:opensearch/domainPolicy:DomainPolicy";

/** Endpoint TLS policies that refuse TLS 1.0/1.1. */
const TLS12_POLICIES: readonly string[] = ["Policy-Min-TLS-1-2-2019-07", "Policy-Min-TLS-1-2-PFS-2023-10"];

export const opensearchEncryptionAtRest: ResourceValidationPolicy = {
  name: "opensearch-encryption-at-rest",
  description:
    "OpenSearch domains encrypt data at rest (encryptAtRest.enabled). Mirrors Checkov CKV_AWS_5, " +
    "Trivy AVD-AWS-0048, cdk-nag AwsSolutions-OS8.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type !== OPENSEARCH_DOMAIN) return;
    if (!isTrue(record(args.props.encryptAtRest).enabled)) {
      reportViolation(`${args.name}: encryptAtRest.enabled is not true`);
    }
  },
};

export const opensearchNodeToNodeEncryption: ResourceValidationPolicy = {
  name: "opensearch-node-to-node-encryption",
  description:
    "OpenSearch domains encrypt traffic between nodes (nodeToNodeEncryption.enabled). Mirrors Checkov " +
    "CKV_AWS_6, Trivy AVD-AWS-0043, cdk-nag AwsSolutions-OS2.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type !== OPENSEARCH_DOMAIN) return;
    if (!isTrue(record(args.props.nodeToNodeEncryption).enabled)) {
      reportViolation(`${args.name}: nodeToNodeEncryption.enabled is not true`);
    }
  },
};

export const opensearchHttpsTls12: ResourceValidationPolicy = {
  name: "opensearch-https-tls12",
  description:
    "OpenSearch domains accept HTTPS only (domainEndpointOptions.enforceHttps) with a TLS 1.2+ security " +
    `policy (${TLS12_POLICIES.join(" or ")}). Mirrors Checkov CKV_AWS_83 and CKV_AWS_228, Trivy ` +
    "AVD-AWS-0046 and AVD-AWS-0126.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type !== OPENSEARCH_DOMAIN) return;
    const endpoint = record(args.props.domainEndpointOptions);
    if (endpoint.enforceHttps !== true)
      reportViolation(`${args.name}: domainEndpointOptions.enforceHttps is not true`);
    const tls = endpoint.tlsSecurityPolicy;
    if (typeof tls !== "string" || !TLS12_POLICIES.includes(tls)) {
      reportViolation(`${args.name}: tlsSecurityPolicy must be one of ${TLS12_POLICIES.join(", ")}`);
    }
  },
};

export const opensearchFineGrainedAccessControl: ResourceValidationPolicy = {
  name: "opensearch-fine-grained-access-control",
  description:
    "OpenSearch domains turn on fine-grained access control (advancedSecurityOptions.enabled) and do not " +
    "allow anonymous access. Mirrors Checkov CKV2_AWS_52; the anonymous part is similar to cdk-nag " +
    "AwsSolutions-OS5.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type !== OPENSEARCH_DOMAIN) return;
    const security = record(args.props.advancedSecurityOptions);
    if (!isTrue(security.enabled))
      reportViolation(`${args.name}: advancedSecurityOptions.enabled is not true`);
    if (isTrue(security.anonymousAuthEnabled)) reportViolation(`${args.name}: anonymous access is enabled`);
  },
};

/** True for `"*"`, `{ "AWS": "*" }` and `{ "AWS": ["*"] }`. */
function isAnyPrincipal(principal: unknown): boolean {
  if (principal === "*") return true;
  return isRecord(principal) && Object.values(principal).some((v) => v === "*" || strings(v).includes("*"));
}

/**
 * Source CIDRs of the `aws:SourceIp` condition under `operator` (`IpAddress`, or `IpAddressIfExists`,
 * which also matches a request that carries no source IP at all).
 */
function sourceIps(condition: unknown, operator: string): string[] {
  const out: string[] = [];
  for (const [key, value] of Object.entries(record(record(condition)[operator]))) {
    if (key.toLowerCase() === "aws:sourceip")
      out.push(...(typeof value === "string" ? [value] : strings(value)));
  }
  return out;
}

/**
 * Problems of a domain access policy document; empty when every open statement is IP-bound. A domain
 * in a VPC (`inVpc`) takes no IP-based policy (its security group does that job,
 * https://docs.aws.amazon.com/opensearch-service/latest/developerguide/vpc.html#vpc-security), so there
 * Principal `*` needs no source-IP condition; a world-wide one is still refused.
 */
export function accessPolicyProblems(document: unknown, inVpc = false): string[] {
  const doc = parseJson(document);
  if (!isRecord(doc)) return ["the access policy is not a JSON policy document"];
  const statements = Array.isArray(doc.Statement) ? list(doc.Statement) : [doc.Statement];
  const problems: string[] = [];
  statements.forEach((s, i) => {
    const st = record(s);
    const label = typeof st.Sid === "string" ? `statement '${st.Sid}'` : `statement ${i}`;
    if (st.Effect !== "Allow") return;
    if (st.NotPrincipal !== undefined) problems.push(`${label} allows through NotPrincipal`);
    if (!isAnyPrincipal(st.Principal)) return;
    if (sourceIps(st.Condition, "IpAddressIfExists").length > 0) {
      problems.push(
        `${label} limits Principal * with IpAddressIfExists, which also allows requests without a source IP; use IpAddress`,
      );
      return;
    }
    const ips = sourceIps(st.Condition, "IpAddress");
    if (ips.length === 0 && !inVpc)
      problems.push(`${label} allows Principal * without an aws:SourceIp condition`);
    const world = ips.filter(isWorldCidr);
    if (world.length > 0) problems.push(`${label} allows Principal * from ${world.join(", ")}`);
  });
  return problems;
}

export const opensearchAccessPolicyRestricted: ResourceValidationPolicy = {
  name: "opensearch-access-policy-restricted",
  description:
    "An OpenSearch access policy (Domain.accessPolicies or aws.opensearch.DomainPolicy) never allows " +
    "Principal * unless an IpAddress aws:SourceIp condition limits it to CIDRs narrower than /8 (IpAddressIfExists " +
    "is refused: it also matches a request without a source IP), or the domain is in a VPC (vpcOptions with " +
    "subnets: its security group limits the sources, and AWS applies no IP policy there); fine-grained access " +
    "control then authenticates each request. Mirrors cdk-nag AwsSolutions-OS3.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type !== OPENSEARCH_DOMAIN && args.type !== OPENSEARCH_DOMAIN_POLICY) return;
    const document = args.props.accessPolicies;
    if (document === undefined) return;
    const inVpc = args.type === OPENSEARCH_DOMAIN && domainInVpc(args.props);
    for (const problem of accessPolicyProblems(document, inVpc)) reportViolation(`${args.name}: ${problem}`);
  },
};

/** Whether a domain's endpoint is in a VPC (vpcOptions with at least one subnet). */
export function domainInVpc(props: Record<string, unknown>): boolean {
  return list(record(props.vpcOptions).subnetIds).length > 0;
}

/** A domain's log publishing entry of `logType`, if enabled (the provider's `enabled` defaults to true). */
function publishedLog(props: Record<string, unknown>, logType: string): Record<string, unknown> | undefined {
  const entry = list(props.logPublishingOptions)
    .filter(isRecord)
    .find((o) => o.logType === logType && o.enabled !== false && o.enabled !== "false");
  return entry && typeof entry.cloudwatchLogGroupArn === "string" ? entry : undefined;
}

export const opensearchAuditLogs: ResourceValidationPolicy = {
  name: "opensearch-audit-logs",
  description:
    "OpenSearch domains publish audit logs to CloudWatch (a logPublishingOptions entry of logType " +
    "AUDIT_LOGS, enabled, with a log group ARN), which needs fine-grained access control " +
    "(advancedSecurityOptions.enabled). The log group's resource policy and the audit categories switched " +
    "on inside the security plugin (its audit config API) are not visible to a preview. Mirrors Checkov " +
    "CKV_AWS_317, Trivy AVD-AWS-0042.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type !== OPENSEARCH_DOMAIN) return;
    if (!publishedLog(args.props, "AUDIT_LOGS")) {
      reportViolation(`${args.name}: audit logs (AUDIT_LOGS) are not published to a CloudWatch log group`);
    }
    if (!isTrue(record(args.props.advancedSecurityOptions).enabled)) {
      reportViolation(`${args.name}: audit logs need fine-grained access control (advancedSecurityOptions)`);
    }
  },
};
