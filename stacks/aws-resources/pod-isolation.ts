import { checkRestrictedCidr } from "../../lib/validators";

/**
 * How the cluster's two namespaces are fenced, as pure functions: Pod Security admission labels and
 * the NetworkPolicies of the web app and of the deploy Jobs. The components only create what these
 * return.
 */

/**
 * Pod Security admission at the `restricted` level, enforced and also audited and warned, against the
 * cluster's own version of the standard
 * (https://kubernetes.io/docs/concepts/security/pod-security-admission/#pod-security-admission-labels-for-namespaces).
 */
export function podSecurityLabels(): Record<string, string> {
  const labels: Record<string, string> = {};
  for (const mode of ["enforce", "audit", "warn"]) {
    labels[`pod-security.kubernetes.io/${mode}`] = "restricted";
    labels[`pod-security.kubernetes.io/${mode}-version`] = "latest";
  }
  return labels;
}

/** Pods of the namespace `name`, by the label Kubernetes sets on every namespace. */
const inNamespace = (name: string) => ({
  namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": name } },
});

export interface WebappPolicyInput {
  readonly namespace: string;
  /** The app's pod labels (the Deployment's selector). */
  readonly podLabels: Readonly<Record<string, string>>;
  readonly port: number;
  /** Where the load balancer's nodes live: the public subnets' CIDRs (it targets pod IPs directly). */
  readonly loadBalancerCidrs: readonly string[];
  /** The deploy Jobs' namespace: the first-transaction Job calls the app's Service. */
  readonly jobsNamespace: string;
}

/** The web app's pods admit the load balancer (traffic and health checks) and the Jobs, on the app's port. */
export function webappNetworkPolicy(input: WebappPolicyInput) {
  if (input.loadBalancerCidrs.length === 0)
    throw new Error("the web app policy needs the load balancer's subnets");
  for (const cidr of input.loadBalancerCidrs) {
    const problem = checkRestrictedCidr(cidr);
    if (problem) throw new Error(`load balancer subnet ${cidr}: ${problem}`);
  }
  return {
    metadata: { name: "webapp-ingress", namespace: input.namespace },
    spec: {
      podSelector: { matchLabels: { ...input.podLabels } },
      policyTypes: ["Ingress"],
      ingress: [
        {
          from: [
            ...input.loadBalancerCidrs.map((cidr) => ({ ipBlock: { cidr } })),
            inNamespace(input.jobsNamespace),
          ],
          ports: [{ protocol: "TCP", port: input.port }],
        },
      ],
    },
  };
}

export interface JobsPolicyInput {
  readonly namespace: string;
  readonly webappNamespace: string;
  readonly webappPort: number;
}

/**
 * The deploy Jobs admit nothing and reach only what they call: DNS, HTTPS (OpenSearch through the NAT
 * gateways or, in private mode, in the VPC; the Kubernetes API to delete a Job's Secret) and the web app's
 * pods on its port.
 */
export function deployJobsNetworkPolicy(input: JobsPolicyInput) {
  return {
    metadata: { name: "deploy-jobs", namespace: input.namespace },
    spec: {
      podSelector: {},
      policyTypes: ["Ingress", "Egress"],
      egress: [
        {
          ports: [
            { protocol: "UDP", port: 53 },
            { protocol: "TCP", port: 53 },
          ],
        },
        { ports: [{ protocol: "TCP", port: 443 }] },
        { to: [inNamespace(input.webappNamespace)], ports: [{ protocol: "TCP", port: input.webappPort }] },
      ],
    },
  };
}
