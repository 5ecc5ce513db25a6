import { z } from "zod";
import type { ConfigProblem, RawConfig } from "../../lib/config";
import {
  ConfigError,
  bool,
  emptyToUndefined,
  int,
  list,
  matches,
  oneOf,
  optionalMatches,
  parseConfig,
} from "../../lib/config";
import { OFF_TRIAL_MIN_PREFIX } from "../../lib/cidr-limits";
import { checkNamesFit, isTrialStack } from "../../lib/naming";
import { adminEntryNames, checkAdminPrincipalArn } from "./eks/access-entries";
import { checkOpenSearchInstanceCount } from "../../lib/opensearch-policy";
import { ruleQuotaMessage } from "../../lib/security-group-quota";
import { MAX_BUDGET_EMAILS, budgetProblems } from "./budget";
import {
  checkEksEndpointAccess,
  checkImagesByDigest,
  checkNoPlaceholders,
  checkServedOverHttps,
  checkSnapshotRetention,
  LOG_RETENTION_DAYS,
} from "./profile-rules";
import type { KeyProblem } from "./profile-rules";
import { ACM_CERTIFICATE_ARN, DNS_NAME, checkCertificateArn, checkDomainName } from "./webapp-access";
import {
  checkNamePart,
  K8S_NAMESPACE_NAME,
  checkVpcCidr,
  zAwsRegion,
  zEmailList,
  zRestrictedCidr,
  zTagValue,
} from "../../lib/validators";
import { PROJECTS } from "../../lib/contracts";
import { NETWORK_MODES, REDSHIFT_PATHS } from "../../lib/network-mode";

/**
 * The one typed loader of this stack's configuration. Defaults live in Pulumi.yaml (the CLI and the
 * offline harness apply them); this schema only checks meaning, and every message says what is allowed.
 */

/** Instance families that run Oracle XE comfortably (x86_64, ≥ 8 GiB at size large). */
const ORACLE_INSTANCE_FAMILIES = ["t3", "t3a", "m5", "m6i", "m7i", "r5", "r6i"] as const;
const REDSHIFT_NODE_TYPES = ["ra3.large", "ra3.xlplus", "ra3.4xlarge", "ra3.16xlarge"] as const;
/** Names Redshift reserves or that would be confusing as the admin user. */
const REDSHIFT_RESERVED_USERS = ["admin", "rdsdb", "rdsadmin", "root", "public", "postgres", "user"];

/** A container image reference: [registry[:port]/]path[:tag][@sha256:digest], nothing a shell could read twice. */
export const IMAGE_REF =
  /^(?:[a-z0-9]+(?:[.-][a-z0-9]+)*(?::[0-9]{1,5})?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/;
const IMAGE_MESSAGE =
  "must be a container image reference such as registry.example.com/team/app:1.2 (lowercase path, optional :tag and @sha256:digest)";

const ORACLE_INSTANCE_TYPE = new RegExp(
  `^(${ORACLE_INSTANCE_FAMILIES.join("|")})\\.(large|xlarge|[1-9][0-9]*xlarge)$`,
);
const PREFIX_MESSAGE =
  "is required; give a short lowercase name part such as fd (letters, digits, single hyphens)";
const RETENTION_MESSAGE = `must be a CloudWatch Logs retention in days: ${LOG_RETENTION_DAYS.join(", ")}`;
const K8S_NAMESPACE_MESSAGE =
  "must be a Kubernetes namespace: at most 63 lowercase letters, digits and hyphens, starting and ending alphanumeric";

/** A list of restricted CIDRs; off the trial stack none may be wider than OFF_TRIAL_MIN_PREFIX. */
const cidrList = (ipv4Only: boolean, stack: string) =>
  list(zRestrictedCidr(isTrialStack(stack) ? undefined : OFF_TRIAL_MIN_PREFIX)).superRefine((cidrs, ctx) => {
    const seen = new Set<string>();
    for (const c of cidrs) {
      if (seen.has(c)) ctx.addIssue({ code: "custom", message: `${JSON.stringify(c)} is listed twice` });
      seen.add(c);
      if (ipv4Only && c.includes(":")) {
        ctx.addIssue({ code: "custom", message: `${JSON.stringify(c)}: only IPv4 CIDRs are allowed here` });
      }
    }
  });

/** The schema for stack `stack` (the prefix must fit AWS name limits together with the stack name). */
export function awsResourcesConfigSchema(stack: string) {
  return z.object({
    region: zAwsRegion(),
    prefix: z.preprocess(emptyToUndefined, z.string({ error: PREFIX_MESSAGE })).superRefine((v, ctx) => {
      const problem = checkNamePart(v, 20) ?? checkNamesFit(v, stack);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
    owner: zTagValue(),
    costCenter: zTagValue(),
    protectData: bool(),
    networkMode: oneOf(NETWORK_MODES),
    redshiftPath: oneOf(REDSHIFT_PATHS),
    allowedCidrs: cidrList(false, stack),
    // Up to 1000: AWS caps rules per group times groups per network interface at 1000.
    securityGroupRuleQuota: int(1, 1000),
    vpcCidr: z
      .preprocess(
        emptyToUndefined,
        z.string({ error: "is required; give a private IPv4 CIDR such as 10.0.0.0/16" }),
      )
      .superRefine((v, ctx) => {
        const problem = checkVpcCidr(v);
        if (problem) ctx.addIssue({ code: "custom", message: problem });
      }),
    natGatewayPerAz: bool(),
    oracleInstanceType: matches(
      ORACLE_INSTANCE_TYPE,
      `must be an instance type of family ${ORACLE_INSTANCE_FAMILIES.join(", ")} with size large or bigger, e.g. t3.large or m6i.xlarge`,
    ),
    oracleAmiId: optionalMatches(
      /^ami-[0-9a-f]{8,17}$/,
      "must be an AMI id such as ami-0abcdef1234567890, or empty",
    ),
    oracleImage: matches(IMAGE_REF, IMAGE_MESSAGE),
    oracleDataVolumeGiB: int(20, 1000),
    oracleDataSnapshotId: optionalMatches(
      /^snap-[0-9a-f]{8,17}$/,
      "must be an EBS snapshot id such as snap-0123456789abcdef0, or empty",
    ),
    // DLM keeps at most 1000 snapshots per schedule.
    oracleSnapshotsKept: int(1, 1000),
    eksVersion: matches(/^1\.3[1-9]$/, "must be an EKS Kubernetes version from 1.31 to 1.39, e.g. 1.34"),
    eksPublicAccessCidrs: cidrList(true, stack),
    eksEndpointPublicAccess: bool(),
    eksAdminRoleArns: list(z.string()).superRefine((arns, ctx) => {
      const problems = arns.map(checkAdminPrincipalArn).filter((p) => p !== undefined);
      for (const problem of problems) ctx.addIssue({ code: "custom", message: problem });
      if (problems.length > 0) return;
      try {
        adminEntryNames(arns);
      } catch (err) {
        ctx.addIssue({ code: "custom", message: (err as Error).message });
      }
    }),
    webappImage: matches(IMAGE_REF, IMAGE_MESSAGE),
    webappAllowedCidrs: cidrList(true, stack),
    webappDomainName: optionalMatches(
      DNS_NAME,
      "must be a lowercase DNS name such as fraud.example.com (no scheme, port or path), or empty",
    ),
    webappCertificateArn: optionalMatches(
      ACM_CERTIFICATE_ARN,
      "must be an ACM certificate ARN such as arn:aws:acm:us-east-1:123456789012:certificate/<uuid>, or empty for HTTP only",
    ),
    webappAllowHttp: bool(),
    webappReplicas: int(1, 10),
    webappNamespace: matches(K8S_NAMESPACE_NAME, K8S_NAMESPACE_MESSAGE),
    jobsNamespace: matches(K8S_NAMESPACE_NAME, K8S_NAMESPACE_MESSAGE),
    redshiftNodeType: oneOf(REDSHIFT_NODE_TYPES),
    redshiftNodeCount: int(1, 16),
    // Automated snapshots are named rs:<cluster>-<time>; manual ones are plain identifiers.
    redshiftSnapshotIdentifier: optionalMatches(
      /^(rs:)?[a-z][a-z0-9-]{0,254}$/,
      "must be a Redshift snapshot identifier such as rs:fd-prod-a1b2-2026-12-01-03-00-00, or empty",
    ),
    // 0 would switch automated snapshots off; 35 is Redshift's maximum.
    redshiftSnapshotRetentionDays: int(1, 35),
    redshiftDatabase: matches(
      /^[a-z][a-z0-9_]{0,63}$/,
      "must be a lowercase identifier: a letter, then up to 63 lowercase letters, digits or underscores",
    ),
    redshiftAdminUser: matches(
      /^[a-z][a-z0-9_]{0,127}$/,
      "must be a lowercase identifier: a letter, then lowercase letters, digits or underscores",
    ).refine((v) => !REDSHIFT_RESERVED_USERS.includes(v), {
      error: `must not be a reserved user name (${REDSHIFT_RESERVED_USERS.join(", ")})`,
    }),
    opensearchInstanceType: matches(
      /^[a-z0-9]+\.[0-9]*x?(nano|micro|small|medium|large)\.search$/,
      "must be an OpenSearch instance type ending in .search, e.g. t3.small.search or r6g.large.search",
    ),
    opensearchInstanceCount: int(1, 10).superRefine((n, ctx) => {
      const problem = checkOpenSearchInstanceCount(n);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
    opensearchVolumeGiB: int(10, 1024),
    opensearchEngineVersion: matches(/^OpenSearch_\d+\.\d+$/, "must look like OpenSearch_2.19"),
    logRetentionDays: z.preprocess(
      (v) => (typeof v === "string" && v.trim() !== "" ? Number(v) : emptyToUndefined(v)),
      z
        .number({ error: RETENTION_MESSAGE })
        .refine((d) => LOG_RETENTION_DAYS.includes(d), { error: RETENTION_MESSAGE }),
    ),
    customerManagedKey: bool(),
    opensearchMasterUser: matches(
      /^[A-Za-z][A-Za-z0-9_-]{0,15}$/,
      "must be 1-16 letters, digits, _ or -, starting with a letter",
    ),
    monthlyBudgetUsd: z.preprocess(
      (v) => (typeof v === "string" && v.trim() !== "" ? Number(v) : undefined),
      z
        .number({ error: BUDGET_MESSAGE })
        .positive({ error: BUDGET_MESSAGE })
        .max(1_000_000, { error: BUDGET_MESSAGE })
        .optional(),
    ),
    budgetAlertEmails: zEmailList(MAX_BUDGET_EMAILS, "an AWS Budgets limit"),
    // Read by the plan's cost estimate only (tools/plan/cost); declared here so they are known keys.
    costNatGbPerDay: int(0, 100000),
    costLogMbPerDay: int(0, 1000000),
    costAlbLcus: int(0, 1000),
    costEksNodeInstanceType: matches(
      /^[a-z][a-z0-9-]*\.([1-9][0-9]*)?x?large$/,
      "must be an EC2 instance type of size large or bigger, e.g. c6a.large",
    ),
    costEksNodeCount: int(0, 100),
    costSnapshotChangeGbPerDay: int(0, 100000),
    costRunnerMinutesPerDay: int(0, 1440),
  });
}

const BUDGET_MESSAGE =
  "must be a positive number of US dollars up to 1000000, e.g. 300, or empty for no budget";

export type AwsResourcesConfig = z.output<ReturnType<typeof awsResourcesConfigSchema>>;

/** Every key this stack reads, as declared in Pulumi.yaml. */
export const CONFIG_KEYS: readonly string[] = Object.keys(awsResourcesConfigSchema("dev").shape);

/**
 * Rules that read several keys (or the stack name), checked once every key is valid on its own;
 * each problem is reported on the key the user has to change.
 */
function crossKeyProblems(cfg: AwsResourcesConfig, stack: string, raw: RawConfig): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const add = (...found: (KeyProblem | undefined)[]) => {
    for (const p of found) if (p) problems.push({ key: p.key, value: raw[p.key], message: p.message });
  };
  add(...budgetProblems(cfg.monthlyBudgetUsd, cfg.budgetAlertEmails));
  // Each data store's own security group holds one rule per allowed CIDR, plus (Oracle) the EKS nodes' rule.
  const rules = cfg.allowedCidrs.length + 1;
  if (rules > cfg.securityGroupRuleQuota) {
    const message = ruleQuotaMessage("allowedCidrs", rules, 1, cfg.securityGroupRuleQuota);
    problems.push({ key: "allowedCidrs", value: raw.allowedCidrs, message });
  }
  add(checkSnapshotRetention(stack, cfg.redshiftSnapshotRetentionDays));
  if (cfg.jobsNamespace === cfg.webappNamespace) {
    problems.push({
      key: "jobsNamespace",
      value: raw.jobsNamespace,
      message:
        "must differ from webappNamespace: the deploy Jobs' Secrets must not share a namespace with the web app",
    });
  }
  add(checkEksEndpointAccess(stack, cfg.eksEndpointPublicAccess, cfg.eksPublicAccessCidrs));
  const cert = cfg.webappCertificateArn && checkCertificateArn(cfg.webappCertificateArn, cfg.region);
  if (cert) problems.push({ key: "webappCertificateArn", value: raw.webappCertificateArn, message: cert });
  const domain = !cert && checkDomainName(cfg.webappDomainName, cfg.webappCertificateArn);
  if (domain) problems.push({ key: "webappDomainName", value: raw.webappDomainName, message: domain });
  // Off the trial stack: no placeholder addresses, HTTPS unless deliberately waived, images by digest.
  add(
    ...checkNoPlaceholders(stack, cfg),
    checkServedOverHttps(stack, cfg.webappCertificateArn, cfg.webappAllowHttp),
    ...checkImagesByDigest(stack, { webappImage: cfg.webappImage, oracleImage: cfg.oracleImage }),
  );
  return problems;
}

/** Validates raw config for `stack`; throws a ConfigError naming every bad key, value and what is allowed. */
export function loadAwsResourcesConfig(raw: RawConfig, stack: string): AwsResourcesConfig {
  const cfg = parseConfig(PROJECTS.awsResources, awsResourcesConfigSchema(stack), raw);
  const problems = crossKeyProblems(cfg, stack, raw);
  if (problems.length > 0) throw new ConfigError(PROJECTS.awsResources, problems);
  return cfg;
}
