import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { adminEntryNames, clusterAdminPolicyArn, publicEndpointWarning } from "./access-entries";
import { renderKubeconfig } from "./kubeconfig";
import type { LogSettings } from "../logs";
import { stackLogGroup } from "../logs";

export interface EksClusterArgs {
  /** VPC the cluster lives in (kept for callers and future use; EKS derives it from the subnets). */
  vpcId: pulumi.Input<string>;
  /** Private subnets (≥ 2 AZs) for the control-plane ENIs and the Auto Mode nodes. */
  subnetIds: pulumi.Input<pulumi.Input<string>[]>;
  /** Physical cluster name (also the name `aws eks get-token` uses). */
  clusterName: pulumi.Input<string>;
  /** Kubernetes version, e.g. "1.33". */
  version: pulumi.Input<string>;
  /**
   * CIDRs allowed to reach the public API endpoint. Empty keeps EKS's default (any address,
   * IAM-authenticated) and logs a warning. The machine running `pulumi up` must be inside them.
   */
  publicAccessCidrs: string[];
  /**
   * Whether the API has a public endpoint at all; false keeps it private (reachable from the VPC only).
   * @default true
   */
  endpointPublicAccess?: boolean;
  /**
   * IAM role/user ARNs that get cluster-admin through an access entry. Do not list the identity
   * that deploys the stack: it already gets admin through `bootstrapClusterCreatorAdminPermissions`,
   * and a second entry for the same principal fails.
   */
  adminRoleArns: string[];
  /**
   * Retention, key and protection of the control-plane log group.
   * @default 30 days, CloudWatch's own encryption, unprotected
   */
  logs?: LogSettings;
}

/** AWS managed policies the Auto Mode cluster role needs (https://docs.aws.amazon.com/eks/latest/userguide/auto-cluster-iam-role.html). */
const CLUSTER_ROLE_POLICIES = [
  "AmazonEKSClusterPolicy",
  "AmazonEKSComputePolicy",
  "AmazonEKSBlockStoragePolicy",
  "AmazonEKSLoadBalancingPolicy",
  "AmazonEKSNetworkingPolicy",
] as const;

/** AWS managed policies of the Auto Mode node role. */
const NODE_ROLE_POLICIES = [
  "AmazonEKSWorkerNodeMinimalPolicy",
  "AmazonEC2ContainerRegistryPullOnly",
] as const;

const CONTROL_PLANE_LOG_TYPES = ["api", "audit", "authenticator"];

function trustPolicy(service: string, actions: string[]): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: actions }],
  });
}

/**
 * An EKS cluster in Auto Mode (EKS runs compute, load balancing and block storage), its IAM
 * roles, secrets encryption, control-plane logs, admin access entries, and a Kubernetes provider
 * for the objects deployed into it.
 */
export class EksCluster extends pulumi.ComponentResource {
  readonly cluster: aws.eks.Cluster;
  readonly clusterName: pulumi.Output<string>;
  /** kubeconfig using `aws eks get-token` (needs the AWS CLI); a Pulumi secret. */
  readonly kubeconfig: pulumi.Output<string>;
  readonly k8sProvider: k8s.Provider;

  constructor(name: string, args: EksClusterArgs, opts?: pulumi.ComponentResourceOptions) {
    // Validates the whole list before anything registers.
    const adminNames = adminEntryNames(args.adminRoleArns);
    super("fraud-infra:eks:EksCluster", name, {}, opts);
    const parent = { parent: this };
    const partition = aws.getPartitionOutput({}, parent).partition;
    const managedPolicy = (policy: string) => pulumi.interpolate`arn:${partition}:iam::aws:policy/${policy}`;

    const clusterRole = new aws.iam.Role(
      `${name}-cluster-role`,
      {
        description: "EKS Auto Mode cluster role",
        assumeRolePolicy: trustPolicy("eks.amazonaws.com", ["sts:AssumeRole", "sts:TagSession"]),
      },
      parent,
    );
    const clusterAttachments = CLUSTER_ROLE_POLICIES.map(
      (policy) =>
        new aws.iam.RolePolicyAttachment(
          `${name}-cluster-${policy}`,
          { role: clusterRole.name, policyArn: managedPolicy(policy) },
          parent,
        ),
    );
    const nodeRole = new aws.iam.Role(
      `${name}-node-role`,
      {
        description: "EKS Auto Mode node role",
        assumeRolePolicy: trustPolicy("ec2.amazonaws.com", ["sts:AssumeRole"]),
      },
      parent,
    );
    const nodeAttachments = NODE_ROLE_POLICIES.map(
      (policy) =>
        new aws.iam.RolePolicyAttachment(
          `${name}-node-${policy}`,
          { role: nodeRole.name, policyArn: managedPolicy(policy) },
          parent,
        ),
    );

    const secretsKey = new aws.kms.Key(
      `${name}-secrets-key`,
      { description: "EKS envelope encryption of Kubernetes secrets", enableKeyRotation: true },
      parent,
    );
    // Created here rather than by EKS so it has a retention and is deleted with the stack.
    const logGroup = stackLogGroup(
      `${name}-control-plane-logs`,
      pulumi.interpolate`/aws/eks/${args.clusterName}/cluster`,
      args.logs ?? { retentionDays: 30, protect: false },
      parent,
    );

    const publicAccess = args.endpointPublicAccess ?? true;
    const warning = publicAccess ? publicEndpointWarning(args.publicAccessCidrs) : undefined;
    if (warning) pulumi.log.warn(warning, this);

    this.cluster = new aws.eks.Cluster(
      `${name}-cluster`,
      {
        name: args.clusterName,
        version: args.version,
        roleArn: clusterRole.arn,
        // Auto Mode: these three switches and bootstrapSelfManagedAddons=false go together.
        bootstrapSelfManagedAddons: false,
        computeConfig: { enabled: true, nodePools: ["general-purpose"], nodeRoleArn: nodeRole.arn },
        kubernetesNetworkConfig: { elasticLoadBalancing: { enabled: true } },
        storageConfig: { blockStorage: { enabled: true } },
        accessConfig: {
          authenticationMode: "API_AND_CONFIG_MAP",
          bootstrapClusterCreatorAdminPermissions: true,
        },
        vpcConfig: {
          subnetIds: args.subnetIds,
          endpointPrivateAccess: true,
          endpointPublicAccess: publicAccess,
          publicAccessCidrs:
            publicAccess && args.publicAccessCidrs.length > 0 ? args.publicAccessCidrs : undefined,
        },
        enabledClusterLogTypes: CONTROL_PLANE_LOG_TYPES,
        encryptionConfig: { provider: { keyArn: secretsKey.arn }, resources: ["secrets"] },
      },
      {
        ...parent,
        // Policies must exist before and outlive the cluster, or EKS cannot clean up the
        // security groups and ENIs it created.
        dependsOn: [...clusterAttachments, ...nodeAttachments, logGroup],
      },
    );
    this.clusterName = this.cluster.name;

    for (const [arn, short] of adminNames) {
      const entry = new aws.eks.AccessEntry(
        `${name}-admin-${short}`,
        { clusterName: this.cluster.name, principalArn: arn, type: "STANDARD" },
        parent,
      );
      new aws.eks.AccessPolicyAssociation(
        `${name}-admin-${short}`,
        {
          clusterName: this.cluster.name,
          principalArn: arn,
          policyArn: clusterAdminPolicyArn(arn),
          accessScope: { type: "cluster" },
        },
        { ...parent, dependsOn: [entry] },
      );
    }

    const region = aws.getRegionOutput({}, parent).region;
    this.kubeconfig = pulumi.secret(
      pulumi
        .all([this.cluster.name, this.cluster.endpoint, this.cluster.certificateAuthority, region])
        .apply(([clusterName, endpoint, ca, r]) =>
          renderKubeconfig({ clusterName, endpoint, certificateAuthorityData: ca.data, region: r }),
        ),
    );
    // The kubeconfig is built from the cluster's outputs, so every object deployed through this
    // provider depends on the cluster and is deleted before it.
    this.k8sProvider = new k8s.Provider(
      `${name}-k8s`,
      { kubeconfig: this.kubeconfig, enableServerSideApply: true },
      { ...parent, dependsOn: [this.cluster] },
    );
    // NetworkPolicies are enforced only once Auto Mode's network policy controller is switched on by
    // this ConfigMap (https://docs.aws.amazon.com/eks/latest/userguide/auto-net-pol.html); server-side
    // apply takes it over if it exists.
    new k8s.core.v1.ConfigMap(
      `${name}-network-policy`,
      {
        metadata: { name: "amazon-vpc-cni", namespace: "kube-system" },
        data: { "enable-network-policy-controller": "true" },
      },
      { parent: this, provider: this.k8sProvider, deletedWith: this.cluster },
    );

    this.registerOutputs({ clusterName: this.clusterName, kubeconfig: this.kubeconfig });
  }
}
