import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { deployJobsNetworkPolicy, podSecurityLabels } from "./pod-isolation";

export interface DeployJobsNamespaceArgs {
  /** Kubernetes provider of the target cluster. */
  readonly provider: k8s.Provider;
  /** The EKS cluster; the namespace goes before it on destroy. */
  readonly cluster: pulumi.Resource;
  readonly namespace: string;
  /** The web app the first-transaction Job calls, and its pods' port. */
  readonly webappNamespace: string;
  readonly webappPort: number;
}

/**
 * The namespace of the deploy-time Jobs the connector and processing stacks run in the cluster
 * (lib/in-cluster-job.ts). Their Secrets carry data-store credentials, so they live apart from the
 * internet-facing web app: no other workload runs here, and each Job's own account may only delete
 * its own Secret. Pod Security "restricted" is enforced, and a NetworkPolicy admits nothing in and
 * lets the Jobs reach only what they call (pod-isolation.ts).
 */
export class DeployJobsNamespace extends pulumi.ComponentResource {
  /** The namespace's name, once it exists. */
  readonly namespace: pulumi.Output<string>;

  constructor(name: string, args: DeployJobsNamespaceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-infra:k8s:DeployJobsNamespace", name, {}, opts);
    const inCluster = {
      parent: this,
      provider: args.provider,
      dependsOn: [args.cluster],
      deletedWith: args.cluster,
    };
    const labels = {
      "app.kubernetes.io/part-of": "fraud-infra",
      "app.kubernetes.io/component": "deploy-job",
    };
    const ns = new k8s.core.v1.Namespace(
      `${name}-ns`,
      { metadata: { name: args.namespace, labels: { ...labels, ...podSecurityLabels() } } },
      inCluster,
    );
    this.namespace = ns.metadata.name;
    const policy = deployJobsNetworkPolicy({
      namespace: args.namespace,
      webappNamespace: args.webappNamespace,
      webappPort: args.webappPort,
    });
    new k8s.networking.v1.NetworkPolicy(
      `${name}-policy`,
      { metadata: { ...policy.metadata, namespace: this.namespace, labels }, spec: policy.spec },
      inCluster,
    );
    this.registerOutputs({ namespace: this.namespace });
  }
}
