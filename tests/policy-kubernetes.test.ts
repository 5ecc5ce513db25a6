import assert from "node:assert/strict";
import { test } from "node:test";
import {
  CONFIG_MAP,
  k8sConfigMapNoCredentials,
  k8sContainerResourceLimits,
  k8sNoPrivilegeEscalation,
  k8sRunAsNonRoot,
} from "../policy/rules/kubernetes";
import { violations } from "../policy/testing";

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

test("non-root (advisory): pod or container level, and a container-level false wins", () => {
  assert.equal(k8sRunAsNonRoot.enforcementLevel, "advisory");
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
