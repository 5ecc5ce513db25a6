import type { RecordedResource } from "../../tools/offline/mocks";

/**
 * Validation against the real Kubernetes OpenAPI schemas (kubernetes-models): `validate()` throws
 * naming the offending field. The package is ESM-only ("import" condition), hence the dynamic import.
 */
export type K8sKind =
  "Job" | "ConfigMap" | "Secret" | "ServiceAccount" | "Namespace" | "Role" | "RoleBinding" | "NetworkPolicy";

export interface K8sModels {
  validate(kind: K8sKind, body: unknown): void;
  /** A recorded object of one of those kinds, validated by its Pulumi type. */
  validateRecorded(r: RecordedResource): void;
}

type Model = new (body: never) => { validate(): void };

/** Pulumi type → kind and apiVersion. */
const BY_TYPE: Record<string, { kind: K8sKind; apiVersion: string }> = {
  "kubernetes:batch/v1:Job": { kind: "Job", apiVersion: "batch/v1" },
  "kubernetes:core/v1:ConfigMap": { kind: "ConfigMap", apiVersion: "v1" },
  "kubernetes:core/v1:Secret": { kind: "Secret", apiVersion: "v1" },
  "kubernetes:core/v1:ServiceAccount": { kind: "ServiceAccount", apiVersion: "v1" },
  "kubernetes:core/v1:Namespace": { kind: "Namespace", apiVersion: "v1" },
  "kubernetes:rbac.authorization.k8s.io/v1:Role": {
    kind: "Role",
    apiVersion: "rbac.authorization.k8s.io/v1",
  },
  "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding": {
    kind: "RoleBinding",
    apiVersion: "rbac.authorization.k8s.io/v1",
  },
  "kubernetes:networking.k8s.io/v1:NetworkPolicy": {
    kind: "NetworkPolicy",
    apiVersion: "networking.k8s.io/v1",
  },
};

export async function loadK8sModels(): Promise<K8sModels> {
  const batch = (await import("kubernetes-models/batch/v1")) as unknown as { Job: Model };
  const core = (await import("kubernetes-models/v1")) as unknown as Record<
    "ConfigMap" | "Secret" | "ServiceAccount" | "Namespace",
    Model
  >;
  const rbac = (await import("kubernetes-models/rbac.authorization.k8s.io/v1")) as unknown as Record<
    "Role" | "RoleBinding",
    Model
  >;
  const networking = (await import("kubernetes-models/networking.k8s.io/v1")) as unknown as {
    NetworkPolicy: Model;
  };
  const models: Record<K8sKind, Model> = {
    Job: batch.Job,
    ConfigMap: core.ConfigMap,
    Secret: core.Secret,
    ServiceAccount: core.ServiceAccount,
    Namespace: core.Namespace,
    Role: rbac.Role,
    RoleBinding: rbac.RoleBinding,
    NetworkPolicy: networking.NetworkPolicy,
  };
  const validate = (kind: K8sKind, body: unknown) => {
    new models[kind](body as never).validate();
  };
  return {
    validate,
    validateRecorded(r) {
      const known = BY_TYPE[r.type];
      if (!known) throw new Error(`no schema wired for ${r.type}`);
      const body: Record<string, unknown> = { ...r.inputs };
      delete body.__provider;
      validate(known.kind, { apiVersion: known.apiVersion, kind: known.kind, ...body });
    },
  };
}
