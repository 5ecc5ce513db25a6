import assert from "node:assert/strict";
import { test } from "node:test";
import * as aws from "@pulumi/aws";
import { runStack, StackRunError } from "../tools/offline/run-stack";
import type { StackRun } from "../tools/offline/run-stack";
import { EksCluster } from "../stacks/aws-resources/eks/eks-cluster";
import type { EksClusterArgs } from "../stacks/aws-resources/eks/eks-cluster";
import {
  adminEntryNames,
  checkAdminPrincipalArn,
  clusterAdminPolicyArn,
  publicEndpointWarning,
} from "../stacks/aws-resources/eks/access-entries";
import { renderKubeconfig } from "../stacks/aws-resources/eks/kubeconfig";
import { byName, ofType } from "./helpers/resources";

const REGION = "eu-west-1";
const ADMIN_ROLE = "arn:aws:iam::123456789012:role/platform/platform-admin";
const ADMIN_USER = "arn:aws:iam::123456789012:user/alice";

const baseArgs: EksClusterArgs = {
  vpcId: "vpc-0123",
  subnetIds: ["subnet-private-a", "subnet-private-b", "subnet-private-c"],
  clusterName: "fd-dev-eks-a1b2",
  version: "1.33",
  publicAccessCidrs: ["203.0.113.0/24"],
  adminRoleArns: [ADMIN_ROLE, ADMIN_USER],
};

function runEks(args: Partial<EksClusterArgs> = {}): Promise<StackRun> {
  return runStack({
    project: "eks-test",
    stack: "dev",
    region: REGION,
    config: {},
    program: async () => {
      const provider = new aws.Provider("aws", {
        region: REGION,
        defaultTags: { tags: { Project: "fraud-infra" } },
      });
      const eks = new EksCluster("eks", { ...baseArgs, ...args }, { providers: [provider] });
      return { clusterName: eks.clusterName, kubeconfig: eks.kubeconfig };
    },
  });
}

test("IAM roles trust the right services and carry exactly the Auto Mode managed policies", async () => {
  const run = await runEks();
  const trust = (name: string) => JSON.parse(String(byName(run, name).inputs.assumeRolePolicy));
  assert.deepEqual(trust("eks-cluster-role").Statement, [
    {
      Effect: "Allow",
      Principal: { Service: "eks.amazonaws.com" },
      Action: ["sts:AssumeRole", "sts:TagSession"],
    },
  ]);
  assert.deepEqual(trust("eks-node-role").Statement, [
    { Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: ["sts:AssumeRole"] },
  ]);
  const attached = (prefix: string) =>
    ofType(run, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
      .filter((r) => r.name.startsWith(prefix))
      .map((r) => r.inputs.policyArn)
      .sort();
  assert.deepEqual(attached("eks-cluster-"), [
    "arn:aws:iam::aws:policy/AmazonEKSBlockStoragePolicy",
    "arn:aws:iam::aws:policy/AmazonEKSClusterPolicy",
    "arn:aws:iam::aws:policy/AmazonEKSComputePolicy",
    "arn:aws:iam::aws:policy/AmazonEKSLoadBalancingPolicy",
    "arn:aws:iam::aws:policy/AmazonEKSNetworkingPolicy",
  ]);
  assert.deepEqual(attached("eks-node-"), [
    "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
    "arn:aws:iam::aws:policy/AmazonEKSWorkerNodeMinimalPolicy",
  ]);
});

test("the cluster runs in Auto Mode in private subnets, with logs, secrets encryption and restricted API CIDRs", async () => {
  const run = await runEks();
  const cluster = byName(run, "eks-cluster");
  const key = byName(run, "eks-secrets-key");
  assert.equal(key.inputs.enableKeyRotation, true);
  const nodeRoleArn = "arn:aws:iam::123456789012:role/eks-node-role"; // mocked ARN of the node role
  const i = cluster.inputs;
  assert.equal(i.name, "fd-dev-eks-a1b2");
  assert.equal(i.version, "1.33");
  assert.equal(i.bootstrapSelfManagedAddons, false);
  assert.deepEqual(i.computeConfig, { enabled: true, nodePools: ["general-purpose"], nodeRoleArn });
  assert.deepEqual(i.kubernetesNetworkConfig, { elasticLoadBalancing: { enabled: true } });
  assert.deepEqual(i.storageConfig, { blockStorage: { enabled: true } });
  assert.deepEqual(i.accessConfig, {
    authenticationMode: "API_AND_CONFIG_MAP",
    bootstrapClusterCreatorAdminPermissions: true,
  });
  assert.deepEqual(i.vpcConfig, {
    subnetIds: baseArgs.subnetIds,
    endpointPrivateAccess: true,
    endpointPublicAccess: true,
    publicAccessCidrs: ["203.0.113.0/24"],
  });
  assert.deepEqual(i.enabledClusterLogTypes, ["api", "audit", "authenticator"]);
  const encryption = i.encryptionConfig as { provider: { keyArn: string }; resources: string[] };
  assert.deepEqual(encryption.resources, ["secrets"]);
  assert.match(
    encryption.provider.keyArn,
    new RegExp(`^arn:aws:kms:${REGION}:123456789012:key/[0-9a-f-]{36}$`),
  );
  assert.equal(byName(run, "eks-control-plane-logs").inputs.name, "/aws/eks/fd-dev-eks-a1b2/cluster");
});

test("the cluster depends on every role policy attachment and on its log group", async () => {
  const run = await runEks();
  const cluster = byName(run, "eks-cluster");
  const required = [
    ...ofType(run, "aws:iam/rolePolicyAttachment:RolePolicyAttachment"),
    byName(run, "eks-control-plane-logs"),
  ];
  assert.equal(required.length, 8);
  for (const r of required) assert.ok(cluster.dependencyUrns.includes(r.urn), `cluster depends on ${r.name}`);
});

test("each admin principal gets an access entry and a cluster-scoped AmazonEKSClusterAdminPolicy association", async () => {
  const run = await runEks();
  const entries = ofType(run, "aws:eks/accessEntry:AccessEntry");
  const assocs = ofType(run, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation");
  assert.deepEqual(entries.map((e) => e.name).sort(), [
    "eks-admin-role-platform-admin",
    "eks-admin-user-alice",
  ]);
  for (const arn of [ADMIN_ROLE, ADMIN_USER]) {
    const entry = entries.find((e) => e.inputs.principalArn === arn);
    const assoc = assocs.find((a) => a.inputs.principalArn === arn);
    assert.ok(entry && assoc);
    assert.deepEqual(entry.inputs, { clusterName: "fd-dev-eks-a1b2", principalArn: arn, type: "STANDARD" });
    assert.equal(
      assoc.inputs.policyArn,
      "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
    );
    assert.deepEqual(assoc.inputs.accessScope, { type: "cluster" });
    assert.ok(assoc.dependencyUrns.includes(entry.urn), "association waits for its entry");
  }
});

test("kubeconfig is a secret exec-based config and feeds a server-side-apply provider that depends on the cluster", async () => {
  const run = await runEks();
  assert.deepEqual(run.secretOutputNames, ["kubeconfig"]);
  const kubeconfig = JSON.parse(String(run.outputs.kubeconfig));
  const cluster = byName(run, "eks-cluster");
  assert.match(kubeconfig.clusters[0].cluster.server, /^https:\/\/.+\.eks\.amazonaws\.com$/);
  assert.deepEqual(kubeconfig.users[0].user.exec.args, [
    "--region",
    REGION,
    "eks",
    "get-token",
    "--cluster-name",
    "fd-dev-eks-a1b2",
    "--output",
    "json",
  ]);
  const provider = byName(run, "eks-k8s");
  assert.equal(provider.type, "pulumi:providers:kubernetes");
  // Provider inputs travel to the engine as strings.
  assert.equal(provider.inputs.enableServerSideApply, "true");
  assert.ok(provider.secretInputPaths.includes("kubeconfig"), "kubeconfig reaches the provider as a secret");
  assert.ok(provider.dependencyUrns.includes(cluster.urn));
});

test("an empty publicAccessCidrs leaves EKS's default and warns how to restrict it", async () => {
  const run = await runEks({ publicAccessCidrs: [] });
  const vpc = byName(run, "eks-cluster").inputs.vpcConfig as Record<string, unknown>;
  assert.equal("publicAccessCidrs" in vpc, false);
  assert.match(publicEndpointWarning([]) ?? "", /reachable from any address.*IAM-authenticated.*restrict/s);
  assert.equal(publicEndpointWarning(["203.0.113.0/24"]), undefined);
});

test("a session ARN in adminRoleArns is rejected before any resource registers", async () => {
  const bad = "arn:aws:sts::123456789012:assumed-role/deployer/alice";
  await assert.rejects(runEks({ adminRoleArns: [bad] }), (err: unknown) => {
    assert.ok(err instanceof StackRunError);
    assert.match(err.message, /STS session ARN; use the role ARN arn:aws:iam::123456789012:role\/deployer/);
    assert.deepEqual(
      err.resources.filter((r) => r.type.startsWith("aws:eks") || r.type.startsWith("aws:iam")),
      [],
    );
    return true;
  });
});

test("principal ARN checks, names and the admin policy ARN", () => {
  assert.equal(checkAdminPrincipalArn(ADMIN_ROLE), undefined);
  assert.equal(checkAdminPrincipalArn("arn:aws-cn:iam::123456789012:role/ops"), undefined);
  for (const bad of [
    "",
    "platform-admin",
    "arn:aws:iam::123:role/x",
    "arn:aws:iam::123456789012:group/admins",
  ]) {
    assert.match(checkAdminPrincipalArn(bad) ?? "", /must be an IAM role or user ARN/, bad);
  }
  assert.deepEqual(
    [...adminEntryNames([ADMIN_USER, ADMIN_ROLE, ADMIN_USER])],
    [
      [ADMIN_USER, "user-alice"],
      [ADMIN_ROLE, "role-platform-admin"],
    ],
  );
  assert.throws(
    () => adminEntryNames(["arn:aws:iam::123456789012:role/a/ops", "arn:aws:iam::123456789012:role/b/ops"]),
    /have the same name/,
  );
  assert.equal(
    clusterAdminPolicyArn("arn:aws-us-gov:iam::123456789012:role/ops"),
    "arn:aws-us-gov:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
  );
});

test("renderKubeconfig produces one cluster/context/user wired to aws eks get-token", () => {
  const cfg = JSON.parse(
    renderKubeconfig({
      clusterName: "c1",
      endpoint: "https://X.eks.amazonaws.com",
      certificateAuthorityData: "Q0E=",
      region: "us-west-2",
    }),
  );
  assert.deepEqual(cfg, {
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: "c1",
        cluster: { server: "https://X.eks.amazonaws.com", "certificate-authority-data": "Q0E=" },
      },
    ],
    contexts: [{ name: "c1", context: { cluster: "c1", user: "c1" } }],
    "current-context": "c1",
    users: [
      {
        name: "c1",
        user: {
          exec: {
            apiVersion: "client.authentication.k8s.io/v1beta1",
            command: "aws",
            args: ["--region", "us-west-2", "eks", "get-token", "--cluster-name", "c1", "--output", "json"],
            interactiveMode: "Never",
          },
        },
      },
    ],
  });
});
