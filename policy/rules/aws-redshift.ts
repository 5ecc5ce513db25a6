import type { PolicyResource, ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import type { Ingress } from "./aws-network";
import { INGRESS_RULE, SECURITY_GROUP, SECURITY_GROUP_RULE, ingressOf, opensTcpPort } from "./aws-network";
import { isRecord, isTrue, isWorldCidr, list, related } from "./util";

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

/** Redshift's default port, used when a cluster does not set `port`. */
export const REDSHIFT_DEFAULT_PORT = 5439;

/** Ingress of a security group: its inline rules and the rule resources attached to it in the stack. */
function ingressOfGroup(resources: readonly PolicyResource[], group: PolicyResource): Ingress[] {
  const attached = [SECURITY_GROUP_RULE, INGRESS_RULE].flatMap((type) =>
    related(resources, group, type, "securityGroupId", undefined),
  );
  return [group, ...attached].flatMap((r) => ingressOf(r.type, r.props));
}

export const redshiftPublicAccessRestricted: StackValidationPolicy = {
  name: "redshift-public-access-restricted",
  description:
    "A publicly accessible Redshift cluster must name its own security groups (vpcSecurityGroupIds; none " +
    "means the VPC's default group), every one of them a group of the same stack whose id flows into " +
    "vpcSecurityGroupIds (so a preview sees its rules), and none of them may admit the cluster's port (or all " +
    "traffic) from 0.0.0.0/0, ::/0 or any CIDR of /8 or wider (IPv4) or /32 or wider (IPv6), inline or " +
    "through SecurityGroupRule / SecurityGroupIngressRule " +
    "resources of the stack. Rules other stacks add to those groups are held to security-group-no-world-" +
    "ingress. Public access itself is allowed because Confluent Cloud's fully managed Redshift sink " +
    "connects over the internet. Similar to Checkov CKV_AWS_87 and cdk-nag AwsSolutions-RS8, with that " +
    "exception.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    for (const cluster of args.resources.filter((r) => r.type === REDSHIFT_CLUSTER)) {
      if (!isTrue(cluster.props.publiclyAccessible)) continue;
      const report = (problem: string) =>
        reportViolation(`${cluster.name}: publicly accessible, ${problem}`, cluster.urn);
      const ids = list(cluster.props.vpcSecurityGroupIds);
      if (ids.length === 0) {
        report("but names no vpcSecurityGroupIds (the VPC's default group would apply)");
        continue;
      }
      // Only the groups whose ids flowed into vpcSecurityGroupIds: any other dependency (dependsOn,
      // another input) says nothing about which groups guard the cluster.
      const groups = (cluster.propertyDependencies.vpcSecurityGroupIds ?? []).filter(
        (d) => d.type === SECURITY_GROUP,
      );
      if (groups.length < ids.length) {
        report("but not all of its security groups are managed in this stack, so their rules are unseen");
      }
      const port = typeof cluster.props.port === "number" ? cluster.props.port : REDSHIFT_DEFAULT_PORT;
      for (const group of groups) {
        const world = ingressOfGroup(args.resources, group)
          .filter((r) => opensTcpPort(r, port))
          .flatMap((r) => r.cidrs.filter(isWorldCidr));
        if (world.length > 0) {
          report(
            `and security group ${group.name} admits port ${port} from ${[...new Set(world)].join(", ")}`,
          );
        }
      }
    }
  },
};

/** The value of one parameter of a Redshift parameter group, if set. */
function parameterValue(props: Record<string, unknown>, name: string): string | undefined {
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

export const redshiftClusterSslParameterGroup: StackValidationPolicy = {
  name: "redshift-cluster-ssl-parameter-group",
  description:
    "The parameter group a Redshift cluster names (clusterParameterGroupName: the group whose name flows into " +
    "it, or the group of that name) is managed in the same stack and sets require_ssl = true, so TLS cannot be " +
    "turned off by a group a preview does not see. Stack-level companion of " +
    "redshift-require-ssl (Checkov CKV_AWS_105, cdk-nag AwsSolutions-RS1).",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    for (const cluster of args.resources.filter((r) => r.type === REDSHIFT_CLUSTER)) {
      const name = cluster.props.clusterParameterGroupName;
      const named = cluster.propertyDependencies.clusterParameterGroupName ?? [];
      const groups = args.resources.filter(
        (g) =>
          g.type === REDSHIFT_PARAMETER_GROUP &&
          (named.some((d) => d.urn === g.urn) || (name !== undefined && g.props.name === name)),
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
