import assert from "node:assert/strict";
import { before, test } from "node:test";
import {
  deployJobsNetworkPolicy,
  podSecurityLabels,
  webappNetworkPolicy,
} from "../stacks/aws-resources/pod-isolation";
import type { K8sModels } from "./helpers/k8s-objects";
import { loadK8sModels } from "./helpers/k8s-objects";

// The namespaces' fences as pure functions: valid objects, and refusals of what would open them.

let k8s: K8sModels;
before(async () => {
  k8s = await loadK8sModels();
});

const WEBAPP = {
  namespace: "frauddemo",
  podLabels: { "app.kubernetes.io/name": "fraud-demo" },
  port: 8000,
  loadBalancerCidrs: ["10.0.0.0/20"],
  jobsNamespace: "fraud-deploy-jobs",
};

test("the policies and labels are valid Kubernetes objects", () => {
  const asObject = (kind: "NetworkPolicy", body: object) => ({
    apiVersion: "networking.k8s.io/v1",
    kind,
    ...body,
  });
  k8s.validate("NetworkPolicy", asObject("NetworkPolicy", webappNetworkPolicy(WEBAPP)));
  k8s.validate(
    "NetworkPolicy",
    asObject(
      "NetworkPolicy",
      deployJobsNetworkPolicy({
        namespace: "fraud-deploy-jobs",
        webappNamespace: "frauddemo",
        webappPort: 8000,
      }),
    ),
  );
  k8s.validate("Namespace", {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: "x", labels: podSecurityLabels() },
  });
  // The check bites: a port as a word the schema does not allow.
  assert.throws(() =>
    k8s.validate("NetworkPolicy", asObject("NetworkPolicy", { spec: { policyTypes: "Ingress" } })),
  );
});

test("restricted is enforced, audited and warned, at the cluster's version", () => {
  assert.deepEqual(podSecurityLabels(), {
    "pod-security.kubernetes.io/enforce": "restricted",
    "pod-security.kubernetes.io/enforce-version": "latest",
    "pod-security.kubernetes.io/audit": "restricted",
    "pod-security.kubernetes.io/audit-version": "latest",
    "pod-security.kubernetes.io/warn": "restricted",
    "pod-security.kubernetes.io/warn-version": "latest",
  });
});

test("the web app policy refuses no subnets or a world-open one instead of admitting everyone", () => {
  assert.throws(() => webappNetworkPolicy({ ...WEBAPP, loadBalancerCidrs: [] }), /load balancer's subnets/);
  assert.throws(
    () => webappNetworkPolicy({ ...WEBAPP, loadBalancerCidrs: ["0.0.0.0/0"] }),
    /load balancer subnet 0\.0\.0\.0\/0/,
  );
});
