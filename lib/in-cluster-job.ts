import { createHash } from "node:crypto";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { JOB_SECRET_ENV, SERVICE_ACCOUNT_DIR } from "./job-main";

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
 * A finished Job and its pods are deleted this long after they finish: a day to read a failed run's
 * log (`kubectl logs job/<name>`), then nothing is left of it.
 */
export const JOB_TTL_SECONDS = 86_400;

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

/** A Job with secrets has a Secret, and removes it itself (lib/job-main.ts). */
const hasSecret = (content: JobContent) => content.secretKeys.length > 0;

/** The account of a Job with secrets: its pod's only identity towards the Kubernetes API. */
export function serviceAccountManifest(content: JobContent, name: string) {
  return {
    apiVersion: "v1",
    kind: "ServiceAccount",
    metadata: { name, namespace: content.namespace, labels: labels(content) },
  };
}

/** What that account may do: delete the Job's own Secret, by name, and nothing else. */
export function roleManifest(content: JobContent, name: string) {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "Role",
    metadata: { name, namespace: content.namespace, labels: labels(content) },
    rules: [{ apiGroups: [""], resources: ["secrets"], resourceNames: [name], verbs: ["delete"] }],
  };
}

export function roleBindingManifest(content: JobContent, name: string) {
  return {
    apiVersion: "rbac.authorization.k8s.io/v1",
    kind: "RoleBinding",
    metadata: { name, namespace: content.namespace, labels: labels(content) },
    roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name },
    subjects: [{ kind: "ServiceAccount", name, namespace: content.namespace }],
  };
}

/**
 * The Job: one pod, never restarted in place, non-root with a read-only root filesystem, no
 * privilege escalation, no capabilities, and CPU/memory limits; deleted with its pods a day after it
 * finishes (JOB_TTL_SECONDS). A Job without secrets gets no service-account token (its script never
 * calls the Kubernetes API); one with secrets runs as its own account, whose only right is deleting
 * the Job's Secret, with the API server's CA trusted by Node
 * (https://nodejs.org/api/cli.html#node_extra_ca_certsfile).
 */
export function jobManifest(content: JobContent, name: string) {
  const removesSecret = hasSecret(content);
  const env = [
    ...Object.entries(content.env).map(([k, value]) => ({ name: k, value })),
    ...content.secretKeys.map((key) => ({ name: key, valueFrom: { secretKeyRef: { name, key } } })),
    ...(removesSecret
      ? [
          { name: JOB_SECRET_ENV, value: name },
          { name: "NODE_EXTRA_CA_CERTS", value: `${SERVICE_ACCOUNT_DIR}/ca.crt` },
        ]
      : []),
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
      ttlSecondsAfterFinished: JOB_TTL_SECONDS,
      template: {
        metadata: { labels: labels(content) },
        spec: {
          restartPolicy: "Never",
          ...(removesSecret ? { serviceAccountName: name } : {}),
          automountServiceAccountToken: removesSecret,
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

/** Annotation of the Job: the uid of the Secret it runs with (see InClusterJob). */
export const SECRET_UID_ANNOTATION = "fraud-infra/secret-uid";

/**
 * ConfigMap + Job, and for a Job with secrets a Secret and the account that removes it, all named
 * `<base>-<content hash>`. Pulumi's Job await waits until the Job reports Complete and fails as soon as
 * it reports Failed (https://www.pulumi.com/registry/packages/kubernetes/api-docs/batch/v1/job/);
 * `pulumi.com/skipAwait` would let `up` go on before the action happened, so it is not set.
 *
 * The Job deletes its Secret once it has succeeded, and Kubernetes deletes the finished Job a day later.
 * Pulumi notices neither until a refresh: a plain `up` finds its state unchanged and runs nothing. A
 * refresh drops the deleted Secret from the state, so the next `up` creates it again, with a new uid.
 * The Job carries the uid of the Secret it ran with (SECRET_UID_ANNOTATION) and is replaced when that
 * changes: it runs again and removes the new copy, so the credentials never stay behind.
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
    const configMap = new k8s.core.v1.ConfigMap(
      `${name}-files`,
      { metadata, data: configMapManifest(content, "").data },
      inCluster,
    );
    const withSecret = hasSecret(content) ? this.secretAndRemover(name, args, metadata) : undefined;
    const jobMetadata = pulumi.all([this.jobName, withSecret?.secret.metadata.uid]).apply(([n, uid]) => {
      const m = jobManifest(content, n).metadata;
      return uid ? { ...m, annotations: { ...m.annotations, [SECRET_UID_ANNOTATION]: uid } } : m;
    });
    const minutes = Math.ceil(content.activeDeadlineSeconds / 60) + 5;
    // A new name is a new Job (metadata.name cannot change in place). The old one is finished (or
    // failed, and replaced under the same name): delete it first.
    this.job = new k8s.batch.v1.Job(
      `${name}-job`,
      { metadata: jobMetadata, spec: this.jobName.apply((n) => jobManifest(content, n).spec) },
      {
        ...inCluster,
        dependsOn: [configMap, ...(withSecret?.resources ?? []), ...(args.dependsOn ?? [])],
        customTimeouts: { create: `${minutes}m`, update: `${minutes}m` },
        deleteBeforeReplace: true,
        replaceOnChanges: withSecret ? ["metadata.annotations"] : [],
      },
    );
    this.registerOutputs({ jobName: this.jobName });
  }

  /** The Secret, and the account whose Role lets the Job delete it (and nothing else). */
  private secretAndRemover(
    name: string,
    args: InClusterJobArgs,
    metadata: pulumi.Output<ReturnType<typeof configMapManifest>["metadata"]>,
  ) {
    const { content } = args;
    const inCluster = { parent: this, provider: args.provider };
    const secret = new k8s.core.v1.Secret(
      `${name}-env`,
      { metadata, type: "Opaque", stringData: secretManifest(content, "", args.secrets).stringData },
      inCluster,
    );
    const account = new k8s.core.v1.ServiceAccount(
      `${name}-account`,
      { metadata: this.jobName.apply((n) => serviceAccountManifest(content, n).metadata) },
      inCluster,
    );
    const role = new k8s.rbac.v1.Role(
      `${name}-remover`,
      { metadata, rules: this.jobName.apply((n) => roleManifest(content, n).rules) },
      inCluster,
    );
    const bound = this.jobName.apply((n) => roleBindingManifest(content, n));
    const binding = new k8s.rbac.v1.RoleBinding(
      `${name}-remover`,
      { metadata, roleRef: bound.roleRef, subjects: bound.subjects },
      { ...inCluster, dependsOn: [account, role] },
    );
    return { secret, resources: [secret, binding] };
  }
}

/**
 * The provider of the EKS cluster for a downstream stack, from the aws-resources `kubeconfig` output
 * (a secret; its `aws eks get-token` entry needs the AWS CLI and credentials with an access entry).
 */
export function clusterProvider(name: string, kubeconfig: pulumi.Input<string>): k8s.Provider {
  return new k8s.Provider(name, { kubeconfig, enableServerSideApply: true });
}
