import { createHash } from "node:crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";

/**
 * Deploy-time actions that run inside the EKS cluster instead of on the machine running
 * `pulumi up`: a Kubernetes Job runs a bundled Node.js script (lib/bundle.ts) once. Its traffic
 * leaves through the VPC's NAT gateways, whose fixed addresses the data stores admit, so a laptop and
 * a CI runner deploy alike.
 *
 * The image is the official Node.js image, pinned by tag and digest: the scripts reuse the stacks'
 * tested TypeScript clients (retries, 401/403 messages) instead of a second copy in shell. The image
 * runs as root by default but ships the unprivileged `node` user, uid/gid 1000
 * (https://github.com/nodejs/docker-node/blob/main/docs/BestPractices.md#non-root-user), which the
 * pod runs as.
 */
export const JOB_IMAGE =
  "docker.io/library/node:24.7.0-alpine3.22@sha256:be4d5e92ac68483ec71440bf5934865b4b7fcb93588f17a24d411d15f0204e4f";
const JOB_USER_ID = 1000;

/** Where the ConfigMap (script and data files) is mounted in the container. */
const JOB_MOUNT = "/job";
export const JOB_SCRIPT_FILE = "main.js";

export interface JobContent {
  /** Base of the object names, a DNS label of at most 40 characters. */
  readonly baseName: string;
  readonly namespace: string;
  /** The bundled script, run as `node /job/main.js`. */
  readonly script: string;
  /** Non-secret data files next to the script (templates, ndjson). */
  readonly files: Readonly<Record<string, string>>;
  /** Non-secret environment. */
  readonly env: Readonly<Record<string, string>>;
  /** Names of the environment variables that come from the Job's Secret. */
  readonly secretKeys: readonly string[];
  /** The pod is stopped after this long, whatever the script does. */
  readonly activeDeadlineSeconds: number;
}

/** Pod retries after a failed run (the scripts retry requests themselves; this covers a lost node). */
const JOB_BACKOFF_LIMIT = 2;

/**
 * A short digest of everything the Job runs (its whole rendered spec, script, data files and the
 * secret values' digest): any change gives the objects new names, so the Job runs again instead of
 * Pulumi trying to patch an immutable pod template.
 */
export function contentHash(content: JobContent, secretDigest: string): string {
  const h = createHash("sha256");
  h.update(
    JSON.stringify([
      jobManifest(content, "<name>"),
      content.script,
      Object.entries(content.files).sort(),
      secretDigest,
    ]),
  );
  return h.digest("hex").slice(0, 10);
}

/** A digest of the secret values, short enough to tell versions apart and to reveal nothing of them. */
export function secretDigest(values: Readonly<Record<string, string>>): string {
  return createHash("sha256")
    .update(JSON.stringify(Object.entries(values).sort()))
    .digest("hex")
    .slice(0, 12);
}

export function jobObjectName(content: JobContent, hash: string): string {
  if (!/^[a-z]([a-z0-9-]{0,38}[a-z0-9])?$/.test(content.baseName)) {
    throw new Error(
      `Job base name ${JSON.stringify(content.baseName)} must be a DNS label of ≤ 40 characters`,
    );
  }
  return `${content.baseName}-${hash}`;
}

const labels = (content: JobContent) => ({
  "app.kubernetes.io/name": content.baseName,
  "app.kubernetes.io/part-of": "fraud-infra",
  "app.kubernetes.io/component": "deploy-job",
});

export function configMapManifest(content: JobContent, name: string) {
  return {
    apiVersion: "v1",
    kind: "ConfigMap",
    metadata: { name, namespace: content.namespace, labels: labels(content) },
    data: { [JOB_SCRIPT_FILE]: content.script, ...content.files },
  };
}

export function secretManifest<T>(content: JobContent, name: string, values: Readonly<Record<string, T>>) {
  return {
    apiVersion: "v1",
    kind: "Secret",
    metadata: { name, namespace: content.namespace, labels: labels(content) },
    type: "Opaque",
    stringData: { ...values },
  };
}

/**
 * The Job: one pod, never restarted in place, non-root with a read-only root filesystem, no
 * privilege escalation, no capabilities, no service-account token (the script never calls the
 * Kubernetes API), and CPU/memory limits. No `ttlSecondsAfterFinished`: the finished Job and its pod
 * stay (they hold nothing but their logs) so `kubectl logs job/<name>` works after a failed `up`, and
 * Pulumi's state keeps matching the cluster; the next content change replaces them.
 */
export function jobManifest(content: JobContent, name: string) {
  const env = [
    ...Object.entries(content.env).map(([k, value]) => ({ name: k, value })),
    ...content.secretKeys.map((key) => ({ name: key, valueFrom: { secretKeyRef: { name, key } } })),
  ];
  return {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: {
      name,
      namespace: content.namespace,
      labels: labels(content),
      // A Job that failed (say, before a policy was fixed) is replaced, so it runs again, on the next `up`
      // (https://www.pulumi.com/registry/packages/kubernetes/api-docs/batch/v1/job/).
      annotations: { "pulumi.com/replaceUnready": "true" },
    },
    spec: {
      backoffLimit: JOB_BACKOFF_LIMIT,
      activeDeadlineSeconds: content.activeDeadlineSeconds,
      template: {
        metadata: { labels: labels(content) },
        spec: {
          restartPolicy: "Never",
          automountServiceAccountToken: false,
          securityContext: {
            runAsNonRoot: true,
            runAsUser: JOB_USER_ID,
            runAsGroup: JOB_USER_ID,
            seccompProfile: { type: "RuntimeDefault" },
          },
          containers: [
            {
              name: "run",
              image: JOB_IMAGE,
              imagePullPolicy: "IfNotPresent",
              command: ["node", `${JOB_MOUNT}/${JOB_SCRIPT_FILE}`],
              env,
              resources: {
                requests: { cpu: "50m", memory: "96Mi" },
                limits: { cpu: "500m", memory: "256Mi" },
              },
              securityContext: {
                allowPrivilegeEscalation: false,
                readOnlyRootFilesystem: true,
                capabilities: { drop: ["ALL"] },
              },
              volumeMounts: [
                { name: "job", mountPath: JOB_MOUNT, readOnly: true },
                { name: "tmp", mountPath: "/tmp" },
              ],
            },
          ],
          volumes: [
            { name: "job", configMap: { name } },
            { name: "tmp", emptyDir: { sizeLimit: "16Mi" } },
          ],
        },
      },
    },
  };
}

export interface InClusterJobArgs {
  readonly content: JobContent;
  /** Values of `content.secretKeys`, into the Job's Secret (never the ConfigMap or the command line). */
  readonly secrets: Readonly<Record<string, pulumi.Input<string>>>;
  /** Provider of the target cluster, built from the aws-resources `kubeconfig` output. */
  readonly provider: k8s.Provider;
  /** What must exist before the Job runs (a policy that admits the NAT addresses, a running connector). */
  readonly dependsOn?: readonly pulumi.Resource[];
}

/**
 * ConfigMap + Secret + Job, all named `<base>-<content hash>`. Pulumi's Job await waits until the Job
 * reports Complete and fails as soon as it reports Failed
 * (https://www.pulumi.com/registry/packages/kubernetes/api-docs/batch/v1/job/); `pulumi.com/skipAwait`
 * would let `up` go on before the action happened, so it is not set.
 */
export class InClusterJob extends pulumi.ComponentResource {
  readonly job: k8s.batch.v1.Job;
  readonly jobName: pulumi.Output<string>;

  constructor(name: string, args: InClusterJobArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-infra:k8s:InClusterJob", name, {}, opts);
    const { content } = args;
    const missing = content.secretKeys.filter((k) => !(k in args.secrets));
    if (missing.length > 0) throw new Error(`InClusterJob ${name}: no value for ${missing.join(", ")}`);
    const inCluster = { parent: this, provider: args.provider };

    // The digest of a random password reveals nothing of it; unsecret keeps the names readable.
    const digest = pulumi.unsecret(pulumi.all(args.secrets).apply((values) => secretDigest(values)));
    this.jobName = digest.apply((d) => jobObjectName(content, contentHash(content, d)));

    const metadata = this.jobName.apply((n) => configMapManifest(content, n).metadata);
    const jobMetadata = this.jobName.apply((n) => jobManifest(content, n).metadata);
    const configMap = new k8s.core.v1.ConfigMap(
      `${name}-files`,
      { metadata, data: configMapManifest(content, "").data },
      inCluster,
    );
    const secret = new k8s.core.v1.Secret(
      `${name}-env`,
      { metadata, type: "Opaque", stringData: secretManifest(content, "", args.secrets).stringData },
      inCluster,
    );
    const minutes = Math.ceil(content.activeDeadlineSeconds / 60) + 5;
    // A new name is a new Job (metadata.name cannot change in place). The old one is finished (or
    // failed, and replaced under the same name): delete it first.
    this.job = new k8s.batch.v1.Job(
      `${name}-job`,
      { metadata: jobMetadata, spec: this.jobName.apply((n) => jobManifest(content, n).spec) },
      {
        ...inCluster,
        dependsOn: [configMap, secret, ...(args.dependsOn ?? [])],
        customTimeouts: { create: `${minutes}m`, update: `${minutes}m` },
        deleteBeforeReplace: true,
      },
    );
    this.registerOutputs({ jobName: this.jobName });
  }
}

/**
 * The provider of the EKS cluster for a downstream stack, from the aws-resources `kubeconfig` output
 * (a secret; its `aws eks get-token` entry needs the AWS CLI and credentials with an access entry).
 */
export function clusterProvider(name: string, kubeconfig: pulumi.Input<string>): k8s.Provider {
  return new k8s.Provider(name, { kubeconfig, enableServerSideApply: true });
}
