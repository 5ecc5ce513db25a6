import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { cidrIngressRules } from "../../lib/cidr-rules";
import { connectorIngressGroups } from "./ingress-groups";
import type { LogSettings } from "./logs";
import { stackLogGroup } from "./logs";

export interface RedshiftWarehouseArgs {
  /** VPC of the security group. */
  vpcId: pulumi.Input<string>;
  /**
   * Public subnets for the subnet group, in both network modes: a cluster can only be publicly accessible
   * there, and keeping them lets private mode's fallback switch it back in place (ModifyCluster) instead
   * of replacing it. Without public access the cluster has no public address in them.
   */
  subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** Give the leader node a public address (public mode, and private mode's fallback). */
  publiclyAccessible: boolean;
  /** Tags of the cluster beyond the provider's defaults (the fallback's justification). */
  tags?: Record<string, string>;
  /**
   * The VPC's internet gateway: a publicly accessible cluster can only be created once it is attached,
   * and its public address must be gone before `destroy` detaches the gateway.
   */
  internetGateway: pulumi.Resource;
  /** Cluster identifier: lowercase letters, digits, hyphens; at most 63 characters. */
  clusterIdentifier: pulumi.Input<string>;
  /** Node type, e.g. "ra3.large". */
  nodeType: pulumi.Input<string>;
  /** Number of nodes; 1 makes a single-node cluster. */
  nodeCount: number;
  /** Days Redshift keeps its automated snapshots (1 to 35). */
  snapshotRetentionDays: number;
  /** Snapshot a newly created cluster is restored from; later changes are ignored. */
  restoreSnapshotId?: string;
  /** Database created with the cluster, e.g. "frauddetection". */
  databaseName: pulumi.Input<string>;
  /** Admin (master) user name. */
  adminUser: pulumi.Input<string>;
  /** CIDRs allowed to connect on 5439. Empty: nobody until a downstream stack adds rules. */
  allowedCidrs: string[];
  /** Protect the cluster (and its password) from deletion and keep it when removed from the stack. */
  protect: boolean;
  /**
   * Retention, key and protection of the audit-log groups.
   * @default 30 days, CloudWatch's own encryption, unprotected
   */
  logs?: LogSettings;
  /** Customer-managed key for the cluster's storage; undefined uses the AWS-managed key. */
  kmsKeyArn?: pulumi.Input<string>;
}

export const REDSHIFT_PORT = 5439;

/** Audit logs Redshift exports to CloudWatch (useractivitylog also needs the parameter below). */
const REDSHIFT_LOG_EXPORTS = ["connectionlog", "userlog", "useractivitylog"];

/** Parameter group settings: TLS for every client connection, and query-level audit logging. */
const REDSHIFT_PARAMETERS = [
  { name: "require_ssl", value: "true" },
  { name: "enable_user_activity_logging", value: "true" },
];

/**
 * Redshift admin password rules: 8–64 printable ASCII characters with an upper- and lowercase
 * letter and a digit, and none of ' " / \ @ or space. The special set is also safe in shells,
 * URLs and connector configs.
 */
export const REDSHIFT_PASSWORD_SPECIALS = "!*+-_=.~";

/** An encrypted, TLS-only Redshift cluster reachable on 5439 from listed CIDRs only. */
export class RedshiftWarehouse extends pulumi.ComponentResource {
  readonly clusterIdentifier: pulumi.Output<string>;
  /** Leader-node host name, without port. */
  readonly host: pulumi.Output<string>;
  readonly port: pulumi.Output<number>;
  /** The cluster's own group: allowedCidrs. */
  readonly securityGroupId: pulumi.Output<string>;
  /** Empty groups, also on the cluster, for the processing stack's rules (see ingress-groups.ts). */
  readonly ingressSecurityGroupIds: pulumi.Output<string[]>;
  /** Admin password; a Pulumi secret. */
  readonly adminPassword: pulumi.Output<string>;
  /** The cluster's nodes (the private NLB targets the leader's address). */
  readonly nodes: pulumi.Output<{ nodeRole: string; privateIpAddress: string }[]>;

  constructor(name: string, args: RedshiftWarehouseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-infra:redshift:RedshiftWarehouse", name, {}, opts);
    const parent = { parent: this };
    const keep = { protect: args.protect, retainOnDelete: args.protect };

    const password = new random.RandomPassword(
      `${name}-admin-password`,
      {
        length: 32,
        minUpper: 1,
        minLower: 1,
        minNumeric: 1,
        special: true,
        overrideSpecial: REDSHIFT_PASSWORD_SPECIALS,
      },
      // Losing the password of a retained cluster would lock everyone out of it.
      { ...parent, protect: args.protect },
    );
    this.adminPassword = pulumi.secret(password.result);

    const subnetGroup = new aws.redshift.SubnetGroup(
      `${name}-subnets`,
      {
        description: "Redshift subnets (public, for Confluent Cloud's managed sink)",
        subnetIds: args.subnetIds,
      },
      parent,
    );
    const parameterGroup = new aws.redshift.ParameterGroup(
      `${name}-params`,
      {
        description: "TLS required, user activity logging",
        family: "redshift-2.0",
        parameters: REDSHIFT_PARAMETERS,
      },
      parent,
    );
    // No inline rules: every rule is its own resource, so downstream stacks (Confluent egress
    // CIDRs) can add rules to this group without fighting over an inline list. No egress rule:
    // the cluster only answers connections.
    const securityGroup = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      { vpcId: args.vpcId, description: `Redshift ${REDSHIFT_PORT} from allowed CIDRs only` },
      parent,
    );
    this.securityGroupId = securityGroup.id;
    cidrIngressRules(
      `${name}-sg`,
      args.allowedCidrs,
      {
        securityGroupId: securityGroup.id,
        port: REDSHIFT_PORT,
        description: "Redshift from an allowed admin CIDR",
      },
      parent,
    );

    const ingressGroups = connectorIngressGroups(
      name,
      { vpcId: args.vpcId, port: REDSHIFT_PORT, store: "Redshift" },
      parent,
    );
    this.ingressSecurityGroupIds = pulumi.all(ingressGroups.map((g) => g.id));

    const cluster = new aws.redshift.Cluster(
      `${name}-cluster`,
      {
        clusterIdentifier: args.clusterIdentifier,
        nodeType: args.nodeType,
        clusterType: args.nodeCount === 1 ? "single-node" : "multi-node",
        numberOfNodes: args.nodeCount,
        automatedSnapshotRetentionPeriod: args.snapshotRetentionDays,
        snapshotIdentifier: args.restoreSnapshotId,
        databaseName: args.databaseName,
        masterUsername: args.adminUser,
        masterPassword: this.adminPassword,
        port: REDSHIFT_PORT,
        encrypted: "true", // typed as a string in provider v7
        kmsKeyId: args.kmsKeyArn,
        // Public mode: Confluent Cloud's fully managed Redshift sink connects over the internet, so the
        // leader node needs a public address. Exposure is limited by the security group: allowedCidrs
        // here, Confluent's egress CIDRs added by the processing stack — and every connection must use
        // TLS (require_ssl). Private mode: no public address; the sink comes through the private NLB.
        publiclyAccessible: args.publiclyAccessible,
        clusterSubnetGroupName: subnetGroup.name,
        clusterParameterGroupName: parameterGroup.name,
        vpcSecurityGroupIds: [securityGroup.id, ...ingressGroups.map((g) => g.id)],
        skipFinalSnapshot: !args.protect,
        finalSnapshotIdentifier: args.protect
          ? pulumi.interpolate`${args.clusterIdentifier}-final`
          : undefined,
        ...(args.tags ? { tags: args.tags } : {}),
      },
      // The snapshot only matters when the cluster is created: setting it must not replace the cluster.
      { ...parent, ...keep, dependsOn: [args.internetGateway], ignoreChanges: ["snapshotIdentifier"] },
    );
    this.clusterIdentifier = cluster.clusterIdentifier;
    this.host = cluster.dnsName;
    this.port = cluster.port.apply((p) => p ?? REDSHIFT_PORT);
    this.nodes = cluster.clusterNodes;

    // Pre-created so the audit logs have a retention and leave with the stack instead of piling
    // up in groups Redshift would create on its own (name format /aws/redshift/cluster/<id>/<log>).
    const logGroups = REDSHIFT_LOG_EXPORTS.map((log) =>
      stackLogGroup(
        `${name}-${log}`,
        pulumi.interpolate`/aws/redshift/cluster/${args.clusterIdentifier}/${log}`,
        args.logs ?? { retentionDays: 30, protect: false },
        parent,
      ),
    );
    new aws.redshift.Logging(
      `${name}-audit-logging`,
      {
        clusterIdentifier: cluster.clusterIdentifier,
        logDestinationType: "cloudwatch",
        logExports: REDSHIFT_LOG_EXPORTS,
      },
      { ...parent, dependsOn: logGroups },
    );

    this.registerOutputs({
      clusterIdentifier: this.clusterIdentifier,
      host: this.host,
      port: this.port,
      securityGroupId: this.securityGroupId,
      ingressSecurityGroupIds: this.ingressSecurityGroupIds,
      adminPassword: this.adminPassword,
    });
  }
}
