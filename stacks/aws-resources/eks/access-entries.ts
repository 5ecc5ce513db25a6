/**
 * Pure helpers for EKS API access: who may administer the cluster and from where. Kept apart
 * from the component so the rules are tested without a Pulumi engine.
 */

const PRINCIPAL_ARN = /^arn:(aws|aws-cn|aws-us-gov):iam::(\d{12}):(role|user)\/([\w+=,.@/-]+)$/;

/**
 * An access entry needs the ARN of an IAM role or user. A session ARN
 * (`arn:aws:sts::…:assumed-role/<role>/<session>`) is what `aws sts get-caller-identity` prints
 * for SSO/assumed roles, but EKS rejects it — so say how to turn it into the role ARN.
 * Returns `undefined` when the ARN is usable, otherwise what is allowed.
 */
export function checkAdminPrincipalArn(arn: string): string | undefined {
  if (PRINCIPAL_ARN.test(arn)) return undefined;
  const assumed = /^arn:([\w-]+):sts::(\d{12}):assumed-role\/([^/]+)\/.+$/.exec(arn);
  if (assumed) {
    const [, partition, account, role] = assumed;
    return `${JSON.stringify(arn)} is an STS session ARN; use the role ARN arn:${partition}:iam::${account}:role/${role} (for SSO roles include the path, e.g. role/aws-reserved/sso.amazonaws.com/…)`;
  }
  return `${JSON.stringify(arn)} must be an IAM role or user ARN, e.g. arn:aws:iam::123456789012:role/platform-admin`;
}

/** The EKS access policy that grants cluster-wide admin, in the principal's partition. */
export function clusterAdminPolicyArn(principalArn: string): string {
  const partition = principalArn.split(":")[1] ?? "aws";
  return `arn:${partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy`;
}

/**
 * A stable, readable logical-name part for a principal (`role-platform-admin`), so reordering
 * the config list never replaces an access entry. Throws when two ARNs would share a name.
 */
export function adminEntryNames(principalArns: readonly string[]): Map<string, string> {
  const names = new Map<string, string>();
  const seen = new Map<string, string>();
  for (const arn of new Set(principalArns)) {
    const match = PRINCIPAL_ARN.exec(arn);
    if (!match) throw new Error(checkAdminPrincipalArn(arn));
    const [, , , kind, path] = match;
    const short = `${kind}-${(path ?? "").split("/").pop() ?? ""}`.toLowerCase();
    const other = seen.get(short);
    if (other)
      throw new Error(`admin principals ${other} and ${arn} have the same name; list only one of them`);
    seen.set(short, arn);
    names.set(arn, short);
  }
  return names;
}

/**
 * EKS leaves the public API endpoint open to 0.0.0.0/0 when no CIDRs are given. That is
 * IAM-authenticated, but still worth a warning that says how to narrow it.
 */
export function publicEndpointWarning(publicAccessCidrs: readonly string[]): string | undefined {
  if (publicAccessCidrs.length > 0) return undefined;
  return (
    "The EKS API endpoint is reachable from any address (every request is still IAM-authenticated). " +
    "To restrict it, list the CIDRs that run `pulumi up` and kubectl (including CI runners) in the " +
    "cluster's public-access CIDRs config; the Kubernetes provider talks to this endpoint during deploys."
  );
}
