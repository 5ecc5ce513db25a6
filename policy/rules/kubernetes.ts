import type { ResourceValidationArgs, ResourceValidationPolicy } from "@pulumi/policy";
import { describeHits, findSecretMaterial, isCredentialKey, isReference } from "./secret-patterns";
import { isRecord, list, record } from "./util";

export const CONFIG_MAP = "kubernetes:core/v1:ConfigMap";

/** Workload kinds and where their pod template's spec lives. */
const POD_SPEC_PATH: Record<string, readonly string[]> = {
  "kubernetes:core/v1:Pod": ["spec"],
  "kubernetes:apps/v1:Deployment": ["spec", "template", "spec"],
  "kubernetes:apps/v1:StatefulSet": ["spec", "template", "spec"],
  "kubernetes:apps/v1:DaemonSet": ["spec", "template", "spec"],
  "kubernetes:apps/v1:ReplicaSet": ["spec", "template", "spec"],
  "kubernetes:batch/v1:Job": ["spec", "template", "spec"],
  "kubernetes:batch/v1:CronJob": ["spec", "jobTemplate", "spec", "template", "spec"],
};

interface Container {
  readonly label: string;
  readonly spec: Record<string, unknown>;
}

/** The pod spec of a workload, or undefined for other types. */
export function podSpec(
  args: Pick<ResourceValidationArgs, "type" | "props">,
): Record<string, unknown> | undefined {
  const path = POD_SPEC_PATH[args.type];
  if (!path) return undefined;
  return path.reduce<Record<string, unknown>>((node, key) => record(node[key]), args.props);
}

/** Init and app containers, labelled `containers[web]` / `initContainers[migrate]`. */
export function containersOf(pod: Record<string, unknown>): Container[] {
  const out: Container[] = [];
  for (const field of ["initContainers", "containers"]) {
    list(pod[field])
      .filter(isRecord)
      .forEach((c, i) =>
        out.push({ label: `${field}[${typeof c.name === "string" ? c.name : i}]`, spec: c }),
      );
  }
  return out;
}

function forEachContainer(
  args: ResourceValidationArgs,
  check: (c: Container, pod: Record<string, unknown>) => string | undefined,
  report: (message: string) => void,
): void {
  const pod = podSpec(args);
  if (!pod) return;
  for (const c of containersOf(pod)) {
    const problem = check(c, pod);
    if (problem) report(`${args.name} ${c.label}: ${problem}`);
  }
}

/** A ConfigMap value as text: `binaryData` values are base64. */
function configMapText(field: string, value: unknown): string {
  if (typeof value !== "string") return "";
  return field === "binaryData" ? Buffer.from(value, "base64").toString("utf8") : value;
}

export const k8sConfigMapNoCredentials: ResourceValidationPolicy = {
  name: "k8s-configmap-no-credentials",
  description:
    "ConfigMaps hold no credentials: no data or binaryData key named like a password/pass/passphrase/" +
    "secret/token/key with a literal value, and no value containing secret-looking material (private keys, " +
    "AWS access key ids, `password=…`); binaryData is base64-decoded first. Credentials belong in a " +
    "Kubernetes Secret (encrypted with KMS by eks-secrets-encryption). No direct scanner equivalent; similar " +
    "in intent to Checkov's CKV_SECRET_* detectors.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type !== CONFIG_MAP) return;
    for (const field of ["data", "binaryData"]) {
      for (const [key, value] of Object.entries(record(args.props[field]))) {
        const text = configMapText(field, value);
        if (isCredentialKey(key) && !isReference(text)) {
          reportViolation(`${args.name}: ${field} key '${key}' looks like a credential; use a Secret`);
          continue;
        }
        const hits = findSecretMaterial(text);
        if (hits.length > 0)
          reportViolation(`${args.name}: ${field} key '${key}' contains ${describeHits(hits)}`);
      }
    }
  },
};

export const k8sEnvNoLiteralSecrets: ResourceValidationPolicy = {
  name: "k8s-env-no-literal-secrets",
  description:
    "No container or init container of a Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, Job or CronJob " +
    "has a literal credential in env[].value: a variable named like a password/pass/secret/token/key gets " +
    "its value through valueFrom.secretKeyRef (or a reference such as $(OTHER_VAR)), and no value contains " +
    "secret-looking material. A literal value is stored in the workload's spec, readable by anyone who can " +
    "read the workload. Similar to Kubescape C-0012 (credentials in configuration files); no direct Checkov " +
    "or Trivy equivalent.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    const pod = podSpec(args);
    if (!pod) return;
    for (const c of containersOf(pod)) {
      for (const env of list(c.spec.env).filter(isRecord)) {
        const name = typeof env.name === "string" ? env.name : "?";
        if (typeof env.value !== "string") continue;
        if (isCredentialKey(name) && !isReference(env.value)) {
          reportViolation(
            `${args.name} ${c.label}: env '${name}' holds a literal credential; use valueFrom.secretKeyRef`,
          );
          continue;
        }
        const hits = findSecretMaterial(env.value);
        if (hits.length > 0)
          reportViolation(`${args.name} ${c.label}: env '${name}' contains ${describeHits(hits)}`);
      }
    }
  },
};

export const k8sContainerResourceLimits: ResourceValidationPolicy = {
  name: "k8s-container-resource-limits",
  description:
    "Every container (including init containers) of a Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, " +
    "Job or CronJob sets CPU and memory limits, so one pod cannot starve the node. Mirrors Checkov " +
    "CKV_K8S_11 and CKV_K8S_13, Trivy KSV011 and KSV018.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) =>
    forEachContainer(
      args,
      (c) => {
        const limits = record(record(c.spec.resources).limits);
        const missing = ["cpu", "memory"].filter((k) => limits[k] === undefined);
        return missing.length > 0 ? `no resources.limits.${missing.join(" / ")}` : undefined;
      },
      reportViolation,
    ),
};

export const k8sNoPrivilegeEscalation: ResourceValidationPolicy = {
  name: "k8s-no-privilege-escalation",
  description:
    "Every container sets securityContext.allowPrivilegeEscalation = false (the default is true). Mirrors " +
    "Checkov CKV_K8S_20, Trivy KSV001.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) =>
    forEachContainer(
      args,
      (c) =>
        record(c.spec.securityContext).allowPrivilegeEscalation === false
          ? undefined
          : "securityContext.allowPrivilegeEscalation is not false",
      reportViolation,
    ),
};

export const k8sRunAsNonRoot: ResourceValidationPolicy = {
  name: "k8s-run-as-non-root",
  description:
    "Containers must run as a non-root user (runAsNonRoot or a non-zero runAsUser, on the container or " +
    "the pod), as Pod Security's restricted level, which both namespaces enforce, requires. Mirrors Checkov " +
    "CKV_K8S_23, Trivy KSV012.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) =>
    forEachContainer(
      args,
      (c, pod) => {
        const nonRoot = (ctx: Record<string, unknown>) =>
          ctx.runAsNonRoot === true || (typeof ctx.runAsUser === "number" && ctx.runAsUser > 0);
        const container = record(c.spec.securityContext);
        const podCtx = record(pod.securityContext);
        // A container-level `runAsNonRoot: false` overrides the pod's setting.
        if (container.runAsNonRoot === false) return "runs as root (runAsNonRoot: false)";
        return nonRoot(container) || nonRoot(podCtx)
          ? undefined
          : "may run as root (no runAsNonRoot/runAsUser)";
      },
      reportViolation,
    ),
};
