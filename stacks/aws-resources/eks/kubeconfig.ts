/** What a kubeconfig for one EKS cluster needs. */
export interface KubeconfigInputs {
  /** EKS cluster name (the `--cluster-name` of `aws eks get-token`). */
  readonly clusterName: string;
  /** API server URL, `https://…eks.amazonaws.com`. */
  readonly endpoint: string;
  /** Base64 cluster CA bundle (`certificateAuthority.data`). */
  readonly certificateAuthorityData: string;
  /** Region of the cluster; passed to the AWS CLI so the token is signed for the right endpoint. */
  readonly region: string;
}

/**
 * Renders a kubeconfig (JSON, which kubectl and the Kubernetes provider read like YAML) for one
 * EKS cluster. Authentication is an `exec` plugin running `aws eks get-token`, so no long-lived
 * token is ever stored: whoever runs `pulumi up` (or kubectl with this file) needs the AWS CLI v2
 * on PATH and AWS credentials for a principal with an EKS access entry.
 */
export function renderKubeconfig(i: KubeconfigInputs): string {
  const name = i.clusterName;
  return JSON.stringify(
    {
      apiVersion: "v1",
      kind: "Config",
      clusters: [
        { name, cluster: { server: i.endpoint, "certificate-authority-data": i.certificateAuthorityData } },
      ],
      contexts: [{ name, context: { cluster: name, user: name } }],
      "current-context": name,
      users: [
        {
          name,
          user: {
            exec: {
              apiVersion: "client.authentication.k8s.io/v1beta1",
              command: "aws",
              args: ["--region", i.region, "eks", "get-token", "--cluster-name", name, "--output", "json"],
              interactiveMode: "Never",
            },
          },
        },
      ],
    },
    null,
    2,
  );
}
