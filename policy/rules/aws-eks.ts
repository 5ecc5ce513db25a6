import type { ResourceValidationPolicy } from "@pulumi/policy";
import { isWorldCidr, list, record, strings } from "./util";

export const EKS_CLUSTER = "aws:eks/cluster:Cluster";

/** Control-plane log types a security review needs: API calls, audit trail, IAM authentication. */
const REQUIRED_EKS_LOG_TYPES: readonly string[] = ["api", "audit", "authenticator"];

export const eksControlPlaneLogging: ResourceValidationPolicy = {
  name: "eks-control-plane-logging",
  description:
    `EKS clusters send the ${REQUIRED_EKS_LOG_TYPES.join(", ")} control-plane logs to CloudWatch ` +
    "(enabledClusterLogTypes). Similar to Checkov CKV_AWS_37, Trivy AVD-AWS-0038 and cdk-nag AwsSolutions-EKS2, " +
    "which also want the controllerManager and scheduler logs (diagnostic, not security, and billed per GB).",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type !== EKS_CLUSTER) return;
    const enabled = strings(args.props.enabledClusterLogTypes);
    const missing = REQUIRED_EKS_LOG_TYPES.filter((t) => !enabled.includes(t));
    if (missing.length > 0)
      reportViolation(`${args.name}: control-plane log types not enabled: ${missing.join(", ")}`);
  },
};

/** The public endpoint is on unless `endpointPublicAccess` is explicitly false (EKS default: on). */
function publicEndpoint(props: Record<string, unknown>): { open: boolean; cidrs: string[] } {
  const vpc = record(props.vpcConfig);
  return { open: vpc.endpointPublicAccess !== false, cidrs: strings(vpc.publicAccessCidrs) };
}

export const eksEndpointNotWorldOpen: ResourceValidationPolicy = {
  name: "eks-endpoint-not-world-open",
  description:
    "An EKS cluster's public API endpoint, when on (endpointPublicAccess is on unless set false), must be " +
    "restricted by publicAccessCidrs: an unset or empty list means EKS's default, 0.0.0.0/0, and no entry may " +
    "be 0.0.0.0/0 or any CIDR wider than /8 (IPv4) or /32 (IPv6). A private-only endpoint passes. Mirrors " +
    "Checkov CKV_AWS_38 (which fails an empty list too) and Trivy AVD-AWS-0041; similar to Checkov CKV_AWS_39, " +
    "Trivy AVD-AWS-0040 and cdk-nag AwsSolutions-EKS1, which want the public endpoint off altogether. " +
    "A trial stack may leave the list unset only when this policy's config sets allowUnsetPublicAccessCidrs " +
    "(policy/config.dev.json, which fraud-infra passes for the dev stack); a world-wide entry never passes.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      allowUnsetPublicAccessCidrs: {
        type: "boolean",
        default: false,
        description:
          "Allow an unset publicAccessCidrs (EKS's default, every request IAM-authenticated): dev only.",
      },
    },
  },
  validateResource: (args, reportViolation) => {
    if (args.type !== EKS_CLUSTER) return;
    const { open, cidrs } = publicEndpoint(args.props);
    if (!open) return;
    const world = cidrs.filter(isWorldCidr);
    const { allowUnsetPublicAccessCidrs } = args.getConfig<{ allowUnsetPublicAccessCidrs?: boolean }>();
    if (cidrs.length === 0 && allowUnsetPublicAccessCidrs !== true) {
      reportViolation(
        `${args.name}: public API endpoint without publicAccessCidrs is open to 0.0.0.0/0; list the admin ` +
          "CIDRs or turn the public endpoint off",
      );
    } else if (world.length > 0) {
      reportViolation(`${args.name}: public API endpoint open to ${world.join(", ")}; list the admin CIDRs`);
    }
  },
};

export const eksSecretsEncryption: ResourceValidationPolicy = {
  name: "eks-secrets-encryption",
  description:
    "EKS clusters envelope-encrypt Kubernetes Secrets with a customer-managed KMS key " +
    '(encryptionConfig.resources includes "secrets" and provider.keyArn is set). Mirrors Checkov CKV_AWS_58, ' +
    "Trivy AVD-AWS-0039.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type !== EKS_CLUSTER) return;
    // v7 takes one encryptionConfig block; older shapes took a list. Accept both.
    const raw = args.props.encryptionConfig;
    const configs = Array.isArray(raw) ? list(raw).map(record) : [record(raw)];
    const ok = configs.some((c) => {
      const keyArn = record(c.provider).keyArn;
      return strings(c.resources).includes("secrets") && typeof keyArn === "string" && keyArn !== "";
    });
    if (!ok)
      reportViolation(`${args.name}: Kubernetes Secrets are not encrypted with a KMS key (encryptionConfig)`);
  },
};
