import assert from "node:assert/strict";
import { before, test } from "node:test";
import type { JobContent } from "../lib/in-cluster-job";
import {
  configMapManifest,
  contentHash,
  JOB_IMAGE,
  JOB_TTL_SECONDS,
  jobManifest,
  jobObjectName,
  roleBindingManifest,
  roleManifest,
  secretDigest,
  secretManifest,
  serviceAccountManifest,
} from "../lib/in-cluster-job";
import { bundleJobScript } from "../lib/bundle";
import { k8sConfigMapNoCredentials } from "../policy/rules/kubernetes";
import { violations } from "./helpers/policy";
import type { K8sModels } from "./helpers/k8s-objects";
import { loadK8sModels } from "./helpers/k8s-objects";

let k8s: K8sModels;
before(async () => {
  k8s = await loadK8sModels();
});

const content: JobContent = {
  baseName: "opensearch-setup",
  namespace: "fraud-demo",
  script: "console.log('hi')",
  files: { "template.json": "{}" },
  env: { OPENSEARCH_ENDPOINT: "search-x.us-east-1.es.amazonaws.com" },
  secretKeys: ["MASTER_PASSWORD"],
  activeDeadlineSeconds: 900,
};

test("the Job, its Secret, its ConfigMap and its Secret's remover are valid against the Kubernetes schemas", () => {
  const name = jobObjectName(content, contentHash(content, secretDigest({ MASTER_PASSWORD: "x" })));
  k8s.validate("Job", jobManifest(content, name));
  k8s.validate("Job", jobManifest(noSecrets, name));
  k8s.validate("ConfigMap", configMapManifest(content, name));
  k8s.validate("Secret", secretManifest(content, name, { MASTER_PASSWORD: "x" }));
  k8s.validate("ServiceAccount", serviceAccountManifest(content, name));
  k8s.validate("Role", roleManifest(content, name));
  k8s.validate("RoleBinding", roleBindingManifest(content, name));
  // The check does fail: a Job without its pod template, or with a mistyped field, is refused.
  assert.throws(() => k8s.validate("Job", { ...jobManifest(content, name), spec: { backoffLimit: "two" } }));
});

test("the Job runs the pinned image as non-root, read-only, without privileges, with limits and deadlines", () => {
  const job = jobManifest(content, "opensearch-setup-0123456789");
  const pod = job.spec.template.spec;
  const c = pod.containers[0]!;
  assert.match(JOB_IMAGE, /:[\w.-]+@sha256:[0-9a-f]{64}$/, "pinned by tag and digest");
  assert.equal(c.image, JOB_IMAGE);
  assert.equal(pod.securityContext.runAsNonRoot, true);
  assert.ok(pod.securityContext.runAsUser > 0);
  assert.equal(pod.restartPolicy, "Never");
  assert.equal(c.securityContext.readOnlyRootFilesystem, true);
  assert.equal(c.securityContext.allowPrivilegeEscalation, false);
  assert.deepEqual(c.securityContext.capabilities.drop, ["ALL"]);
  assert.ok(c.resources.limits.cpu && c.resources.limits.memory);
  assert.equal(job.spec.activeDeadlineSeconds, 900);
  assert.ok(job.spec.backoffLimit >= 0 && job.spec.backoffLimit <= 3);
  // Credentials come from the Secret by reference, never as a literal value or an argument.
  assert.deepEqual(c.env, [
    { name: "OPENSEARCH_ENDPOINT", value: "search-x.us-east-1.es.amazonaws.com" },
    {
      name: "MASTER_PASSWORD",
      valueFrom: { secretKeyRef: { name: "opensearch-setup-0123456789", key: "MASTER_PASSWORD" } },
    },
    { name: "JOB_SECRET_NAME", value: "opensearch-setup-0123456789" },
    { name: "NODE_EXTRA_CA_CERTS", value: "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt" },
  ]);
  assert.deepEqual(c.command, ["node", "/job/main.js"]);
  assert.equal(
    job.metadata.annotations["pulumi.com/replaceUnready"],
    "true",
    "a failed Job runs again next time",
  );
});

const noSecrets: JobContent = { ...content, secretKeys: [] };

test("a finished Job and its pods are removed after a day; one with secrets removes its Secret itself, and may do nothing else", () => {
  const name = "opensearch-setup-0123456789";
  const job = jobManifest(content, name);
  assert.equal(job.spec.ttlSecondsAfterFinished, JOB_TTL_SECONDS);
  assert.ok(
    JOB_TTL_SECONDS >= 3600 && JOB_TTL_SECONDS <= 7 * 86400,
    "long enough to read a failed run's log",
  );
  const pod = job.spec.template.spec;
  assert.equal(pod.serviceAccountName, name, "its own account");
  assert.equal(pod.automountServiceAccountToken, true, "the token that deletes the Secret");
  assert.deepEqual(roleManifest(content, name).rules, [
    { apiGroups: [""], resources: ["secrets"], resourceNames: [name], verbs: ["delete"] },
  ]);
  const binding = roleBindingManifest(content, name);
  assert.deepEqual(binding.roleRef, { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name });
  assert.deepEqual(binding.subjects, [{ kind: "ServiceAccount", name, namespace: content.namespace }]);
  // Without secrets: no token and no account; nothing to remove.
  const plain = jobManifest(noSecrets, name);
  assert.equal(plain.spec.ttlSecondsAfterFinished, JOB_TTL_SECONDS);
  assert.equal(plain.spec.template.spec.automountServiceAccountToken, false);
  assert.equal(plain.spec.template.spec.serviceAccountName, undefined);
  assert.deepEqual(
    plain.spec.template.spec.containers[0]!.env.map((e) => e.name),
    ["OPENSEARCH_ENDPOINT"],
  );
});

test("any change of what the Job runs gives new names (the Job runs again); the same content keeps them", () => {
  const base = contentHash(content, secretDigest({ MASTER_PASSWORD: "a" }));
  assert.equal(base, contentHash({ ...content }, secretDigest({ MASTER_PASSWORD: "a" })));
  const variants = [
    contentHash({ ...content, script: "console.log('bye')" }, secretDigest({ MASTER_PASSWORD: "a" })),
    contentHash({ ...content, files: { "template.json": "{ }" } }, secretDigest({ MASTER_PASSWORD: "a" })),
    contentHash(
      { ...content, env: { OPENSEARCH_ENDPOINT: "other" } },
      secretDigest({ MASTER_PASSWORD: "a" }),
    ),
    contentHash(content, secretDigest({ MASTER_PASSWORD: "b" })),
  ];
  for (const v of variants) assert.notEqual(v, base);
  assert.match(jobObjectName(content, base), /^opensearch-setup-[0-9a-f]{10}$/);
  assert.throws(() => jobObjectName({ ...content, baseName: "Bad_Name" }, base), /DNS label/);
});

test("bundled Job scripts are self-contained and pass the ConfigMap credential rule", () => {
  for (const entry of [
    "stacks/connector/first-transaction-main.ts",
    "stacks/processing/opensearch-setup/job-main.ts",
  ]) {
    const script = bundleJobScript(entry);
    assert.doesNotMatch(script, /require\(["']@pulumi\//, `${entry} must not pull in a Pulumi SDK`);
    const cm = configMapManifest({ ...content, script }, "x");
    const found = violations(k8sConfigMapNoCredentials, {
      type: "kubernetes:core/v1:ConfigMap",
      name: "x",
      props: cm,
    });
    assert.deepEqual(found, [], entry);
  }
});
