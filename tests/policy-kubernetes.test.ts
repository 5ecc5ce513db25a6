import assert from "node:assert/strict";
import { test } from "node:test";
import {
  CONFIG_MAP,
  k8sConfigMapNoCredentials,
  k8sContainerResourceLimits,
  k8sEnvNoLiteralSecrets,
  k8sNoPrivilegeEscalation,
  k8sRunAsNonRoot,
} from "../policy/rules/kubernetes";
import { violations } from "./helpers/policy";

const configMap = (data: Record<string, string>) => ({
  type: CONFIG_MAP,
  name: "app-config",
  props: { data },
});

test("ConfigMap: settings pass; credential keys and secret-looking values fail", () => {
  assert.deepEqual(
    violations(
      k8sConfigMapNoCredentials,
      configMap({ DB_HOST: "oracle", DB_PORT: "1521", DB_SECRET_NAME: "db" }),
    ),
    [],
  );
  // The reference stored these in a ConfigMap.
  assert.deepEqual(
    violations(
      k8sConfigMapNoCredentials,
      configMap({ DB_PASSWORD: "password", ADMIN_USER_PASSWORD: "admin" }),
    ),
    [
      "app-config: data key 'DB_PASSWORD' looks like a credential; use a Secret",
      "app-config: data key 'ADMIN_USER_PASSWORD' looks like a credential; use a Secret",
    ],
  );
  assert.deepEqual(
    violations(k8sConfigMapNoCredentials, configMap({ "settings.ini": "[db]\npassword = hunter2\n" })),
    ["app-config: data key 'settings.ini' contains a credential assigned a literal value (line 2)"],
  );
});

const deployment = (container: Record<string, unknown>, podSecurity: Record<string, unknown> = {}) => ({
  type: "kubernetes:apps/v1:Deployment",
  name: "webapp",
  props: {
    spec: {
      template: {
        spec: { securityContext: podSecurity, containers: [{ name: "web", image: "x", ...container }] },
      },
    },
  },
});
const LIMITS = { resources: { limits: { cpu: "1", memory: "1Gi" } } };

test("resource limits: CPU and memory limits on every container", () => {
  assert.deepEqual(violations(k8sContainerResourceLimits, deployment(LIMITS)), []);
  assert.deepEqual(
    violations(k8sContainerResourceLimits, deployment({ resources: { limits: { memory: "1Gi" } } })),
    ["webapp containers[web]: no resources.limits.cpu"],
  );
  const cron = {
    type: "kubernetes:batch/v1:CronJob",
    name: "nightly",
    props: {
      spec: {
        jobTemplate: {
          spec: { template: { spec: { initContainers: [{ name: "init" }], containers: [LIMITS] } } },
        },
      },
    },
  };
  assert.deepEqual(violations(k8sContainerResourceLimits, cron), [
    "nightly initContainers[init]: no resources.limits.cpu / memory",
  ]);
});

test("privilege escalation: must be explicitly false", () => {
  assert.deepEqual(
    violations(
      k8sNoPrivilegeEscalation,
      deployment({ securityContext: { allowPrivilegeEscalation: false } }),
    ),
    [],
  );
  assert.deepEqual(violations(k8sNoPrivilegeEscalation, deployment({})), [
    "webapp containers[web]: securityContext.allowPrivilegeEscalation is not false",
  ]);
});

test("non-root (mandatory): pod or container level, and a container-level false wins", () => {
  assert.equal(k8sRunAsNonRoot.enforcementLevel, "mandatory");
  assert.deepEqual(violations(k8sRunAsNonRoot, deployment({}, { runAsNonRoot: true })), []);
  assert.deepEqual(violations(k8sRunAsNonRoot, deployment({ securityContext: { runAsUser: 1000 } })), []);
  assert.deepEqual(violations(k8sRunAsNonRoot, deployment({})), [
    "webapp containers[web]: may run as root (no runAsNonRoot/runAsUser)",
  ]);
  assert.deepEqual(
    violations(
      k8sRunAsNonRoot,
      deployment({ securityContext: { runAsNonRoot: false } }, { runAsNonRoot: true }),
    ),
    ["webapp containers[web]: runs as root (runAsNonRoot: false)"],
  );
});

test("non-workload kinds are ignored by the container rules", () => {
  const service = {
    type: "kubernetes:core/v1:Service",
    name: "svc",
    props: { spec: { ports: [{ port: 80 }] } },
  };
  for (const rule of [k8sContainerResourceLimits, k8sNoPrivilegeEscalation, k8sRunAsNonRoot]) {
    assert.deepEqual(violations(rule, service), []);
  }
});

test("ConfigMap: an index template's tokenizer is no token; a token with a literal value is", () => {
  const template = JSON.stringify({
    analysis: { analyzer: { reasons_csv: { tokenizer: "reasons_comma" } } },
  });
  assert.deepEqual(violations(k8sConfigMapNoCredentials, configMap({ "setup.json": template })), []);
  assert.deepEqual(violations(k8sConfigMapNoCredentials, configMap({ tokenizer: "reasons_comma" })), []);
  assert.equal(
    violations(k8sConfigMapNoCredentials, configMap({ "setup.json": '{"token": "abc123"}' })).length,
    1,
  );
});

test("ConfigMap: binaryData is base64-decoded before the checks; PASS and passphrase keys count", () => {
  const b64 = (text: string) => Buffer.from(text).toString("base64");
  const binary = (binaryData: Record<string, string>) => ({
    type: CONFIG_MAP,
    name: "app-config",
    props: { binaryData },
  });
  assert.deepEqual(
    violations(k8sConfigMapNoCredentials, binary({ "app.ini": b64("[db]\nhost = oracle\n") })),
    [],
  );
  assert.deepEqual(
    violations(k8sConfigMapNoCredentials, binary({ "app.ini": b64("[db]\npassword = hunter2\n") })),
    ["app-config: binaryData key 'app.ini' contains a credential assigned a literal value (line 2)"],
  );
  assert.deepEqual(violations(k8sConfigMapNoCredentials, binary({ DB_PASSWORD: b64("${DB_PASSWORD}") })), []);
  assert.deepEqual(violations(k8sConfigMapNoCredentials, binary({ DB_PASSWORD: b64("hunter2") })), [
    "app-config: binaryData key 'DB_PASSWORD' looks like a credential; use a Secret",
  ]);
  assert.deepEqual(
    violations(k8sConfigMapNoCredentials, configMap({ PASS: "hunter2", ssh_passphrase: "correct horse" })),
    [
      "app-config: data key 'PASS' looks like a credential; use a Secret",
      "app-config: data key 'ssh_passphrase' looks like a credential; use a Secret",
    ],
  );
  assert.deepEqual(violations(k8sConfigMapNoCredentials, configMap({ BYPASS_CACHE: "true" })), []);
});

const withEnv = (type: string, env: unknown[], initEnv: unknown[] = []) => {
  const pod = { initContainers: [{ name: "init", env: initEnv }], containers: [{ name: "web", env }] };
  const specs: Record<string, unknown> = {
    "kubernetes:core/v1:Pod": pod,
    "kubernetes:batch/v1:CronJob": { jobTemplate: { spec: { template: { spec: pod } } } },
  };
  return { type, name: "app", props: { spec: specs[type] ?? { template: { spec: pod } } } };
};

test("env: literal credentials in env[].value fail in every workload kind; secretKeyRef and references pass", () => {
  const safe = [
    { name: "DB_HOST", value: "oracle" },
    { name: "DB_PASSWORD", valueFrom: { secretKeyRef: { name: "db", key: "password" } } },
    { name: "DB_PASSWORD_COPY", value: "$(DB_PASSWORD)" },
    { name: "DB_SECRET_NAME", value: "fd-dev-oracle" },
    { name: "API_TOKEN", value: "" },
  ];
  const kinds = [
    "kubernetes:apps/v1:Deployment",
    "kubernetes:apps/v1:StatefulSet",
    "kubernetes:apps/v1:DaemonSet",
    "kubernetes:batch/v1:Job",
    "kubernetes:batch/v1:CronJob",
    "kubernetes:core/v1:Pod",
  ];
  for (const kind of kinds) {
    assert.deepEqual(violations(k8sEnvNoLiteralSecrets, withEnv(kind, safe, safe)), [], kind);
    assert.deepEqual(
      violations(
        k8sEnvNoLiteralSecrets,
        withEnv(
          kind,
          [{ name: "DB_PASS", value: "hunter2" }],
          [{ name: "ADMIN_PASSWORD", value: "$ecretPassw0rd" }],
        ),
      ),
      [
        "app initContainers[init]: env 'ADMIN_PASSWORD' holds a literal credential; use valueFrom.secretKeyRef",
        "app containers[web]: env 'DB_PASS' holds a literal credential; use valueFrom.secretKeyRef",
      ],
      kind,
    );
  }
  const url = withEnv(kinds[0]!, [{ name: "DATABASE_URL", value: "postgres://app:hunter2@db:5432/app" }]);
  assert.deepEqual(violations(k8sEnvNoLiteralSecrets, url), [
    "app containers[web]: env 'DATABASE_URL' contains a URL with a literal password (line 1)",
  ]);
  assert.deepEqual(violations(k8sEnvNoLiteralSecrets, configMap({ DB_PASSWORD: "x" })), []);
});
