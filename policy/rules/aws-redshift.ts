import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { isRecord, isTrue, list, strings } from "./util";

export const REDSHIFT_CLUSTER = "aws:redshift/cluster:Cluster";
export const REDSHIFT_PARAMETER_GROUP = "aws:redshift/parameterGroup:ParameterGroup";
export const REDSHIFT_LOGGING = "aws:redshift/logging:Logging";

export const redshiftEncrypted: ResourceValidationPolicy = {
  name: "redshift-encrypted",
  description:
    'Redshift clusters are encrypted at rest (`encrypted`, a string "true" in AWS provider v7; a boolean ' +
    "is accepted too). Mirrors Checkov CKV_AWS_64, cdk-nag AwsSolutions-RS6.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type !== REDSHIFT_CLUSTER) return;
    if (!isTrue(args.props.encrypted)) reportViolation(`${args.name}: encrypted is not "true"`);
  },
};

export const redshiftPublicAccessRestricted: ResourceValidationPolicy = {
  name: "redshift-public-access-restricted",
  description:
    "A Redshift cluster may be publicly accessible only inside a subnet group and behind its own security " +
    "groups (vpcSecurityGroupIds), whose ingress security-group-no-world-ingress keeps off the internet. " +
    "Public access is needed because Confluent Cloud's fully managed Redshift sink connects over the " +
    "internet. Similar to Checkov CKV_AWS_87 and cdk-nag AwsSolutions-RS8, with that exception.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type !== REDSHIFT_CLUSTER || !isTrue(args.props.publiclyAccessible)) return;
    const missing: string[] = [];
    if (strings(args.props.vpcSecurityGroupIds).length === 0) missing.push("vpcSecurityGroupIds");
    if (typeof args.props.clusterSubnetGroupName !== "string") missing.push("clusterSubnetGroupName");
    if (missing.length > 0) {
      reportViolation(`${args.name}: publicly accessible without ${missing.join(" and ")} restricting it`);
    }
  },
};

/** The value of one parameter of a Redshift parameter group, if set. */
export function parameterValue(props: Record<string, unknown>, name: string): string | undefined {
  const p = list(props.parameters).find((x) => isRecord(x) && x.name === name);
  return isRecord(p) && p.value !== undefined ? String(p.value) : undefined;
}

export const redshiftRequireSsl: ResourceValidationPolicy = {
  name: "redshift-require-ssl",
  description:
    "Redshift parameter groups set require_ssl = true, and every cluster names a parameter group of its " +
    "own (the default group allows plaintext connections). Mirrors Checkov CKV_AWS_105, cdk-nag " +
    "AwsSolutions-RS1.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type === REDSHIFT_PARAMETER_GROUP && parameterValue(args.props, "require_ssl") !== "true") {
      reportViolation(`${args.name}: parameter require_ssl is not "true"`);
    }
    if (args.type === REDSHIFT_CLUSTER) {
      const group = args.props.clusterParameterGroupName;
      if (typeof group !== "string" || group.startsWith("default.")) {
        reportViolation(`${args.name}: uses the default parameter group, which does not require SSL`);
      }
    }
  },
};

/**
 * The resources of `type` that belong to `target`: they depend on it (an output of it flows into
 * them, under a real preview and offline alike) or name it through `key`.
 */
function related(
  resources: readonly PolicyResource[],
  target: PolicyResource,
  type: string,
  key: string,
  value: unknown,
): PolicyResource[] {
  return resources.filter(
    (r) =>
      r.type === type &&
      (r.dependencies.some((d) => d.urn === target.urn) || (value !== undefined && r.props[key] === value)),
  );
}

export const redshiftClusterSslParameterGroup: StackValidationPolicy = {
  name: "redshift-cluster-ssl-parameter-group",
  description:
    "The parameter group a Redshift cluster names is managed in the same stack and sets require_ssl = true, " +
    "so TLS cannot be turned off by a group the plan does not see. Stack-level companion of " +
    "redshift-require-ssl (Checkov CKV_AWS_105, cdk-nag AwsSolutions-RS1).",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    for (const cluster of args.resources.filter((r) => r.type === REDSHIFT_CLUSTER)) {
      const name = cluster.props.clusterParameterGroupName;
      const groups = args.resources.filter(
        (g) =>
          g.type === REDSHIFT_PARAMETER_GROUP &&
          (cluster.dependencies.some((d) => d.urn === g.urn) ||
            (name !== undefined && g.props.name === name)),
      );
      if (groups.length === 0) {
        reportViolation(`${cluster.name}: its parameter group is not managed in this stack`, cluster.urn);
      } else if (!groups.some((g) => parameterValue(g.props, "require_ssl") === "true")) {
        reportViolation(`${cluster.name}: its parameter group does not set require_ssl = true`, cluster.urn);
      }
    }
  },
};

export const redshiftAuditLogging: StackValidationPolicy = {
  name: "redshift-audit-logging",
  description:
    "Redshift clusters export audit logs (an aws.redshift.Logging resource for the cluster). Advisory: " +
    "audit logs are an operational record, not a protection, and a throwaway dev cluster may skip them. " +
    "Mirrors Checkov CKV_AWS_71, cdk-nag AwsSolutions-RS5.",
  enforcementLevel: "advisory",
  validateStack: (args, reportViolation) => {
    for (const cluster of args.resources.filter((r) => r.type === REDSHIFT_CLUSTER)) {
      const logging = related(
        args.resources,
        cluster,
        REDSHIFT_LOGGING,
        "clusterIdentifier",
        cluster.props.clusterIdentifier,
      );
      if (logging.length === 0) reportViolation(`${cluster.name}: no audit logging configured`, cluster.urn);
    }
  },
};
