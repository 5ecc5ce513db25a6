import type { RecordedResource } from "../../tools/offline/mocks";

/**
 * Validation against the real Kubernetes OpenAPI schemas (kubernetes-models): `validate()` throws
 * naming the offending field. The package is ESM-only ("import" condition), hence the dynamic import.
 */
export interface K8sModels {
  validate(kind: "Job" | "ConfigMap" | "Secret", body: unknown): void;
  /** A recorded Job, ConfigMap or Secret, validated by its Pulumi type. */
  validateRecorded(r: RecordedResource): void;
}

type Model = new (body: never) => { validate(): void };

export async function loadK8sModels(): Promise<K8sModels> {
  const batch = (await import("kubernetes-models/batch/v1")) as unknown as { Job: Model };
  const core = (await import("kubernetes-models/v1")) as unknown as { ConfigMap: Model; Secret: Model };
  const models: Record<string, Model> = { Job: batch.Job, ConfigMap: core.ConfigMap, Secret: core.Secret };
  const byType: Record<string, string> = {
    "kubernetes:batch/v1:Job": "Job",
    "kubernetes:core/v1:ConfigMap": "ConfigMap",
    "kubernetes:core/v1:Secret": "Secret",
  };
  const validate = (kind: string, body: unknown) => {
    const M = models[kind];
    if (!M) throw new Error(`no schema wired for ${kind}`);
    new M(body as never).validate();
  };
  return {
    validate,
    validateRecorded(r) {
      const kind = byType[r.type];
      if (!kind) throw new Error(`no schema wired for ${r.type}`);
      const body: Record<string, unknown> = { ...r.inputs };
      delete body.__provider;
      validate(kind, { apiVersion: kind === "Job" ? "batch/v1" : "v1", kind, ...body });
    },
  };
}
