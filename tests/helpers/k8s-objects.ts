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

/** A kubernetes-models class: it knows its apiVersion (`batch/v1`, `v1` for the core group). */
type Model = { new (body: never): { validate(): void }; readonly apiVersion: string };

/**
 * The kind and apiVersion of a Pulumi type token, `kubernetes:<group>/<version>:<Kind>` (the core
 * group is `core/v1` in the token, `v1` in the object), or undefined for a token of another form.
 */
function typeMetaOf(type: string): { kind: string; apiVersion: string } | undefined {
  const m = /^kubernetes:([^:]+\/[^:]+):([^:]+)$/.exec(type);
  return m ? { kind: m[2]!, apiVersion: m[1]!.replace(/^core\//, "") } : undefined;
}

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
  const isKind = (kind: string): kind is K8sKind => Object.hasOwn(models, kind);
  const validate = (kind: K8sKind, body: unknown) => {
    new models[kind](body as never).validate();
  };
  return {
    validate,
    validateRecorded(r) {
      const meta = typeMetaOf(r.type);
      // A kind is wired for the group/version its schema is for, not for a same-named kind elsewhere.
      if (!meta || !isKind(meta.kind) || models[meta.kind].apiVersion !== meta.apiVersion) {
        throw new Error(`no schema wired for ${r.type}`);
      }
      const body: Record<string, unknown> = { ...r.inputs };
      delete body.__provider;
      validate(meta.kind, { apiVersion: meta.apiVersion, kind: meta.kind, ...body });
    },
  };
}
