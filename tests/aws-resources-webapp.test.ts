import assert from "node:assert/strict";
import { test } from "node:test";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { RecordedResource } from "../tools/offline/mocks";
import { runStack } from "../tools/offline/run-stack";
import type { StackRun } from "../tools/offline/run-stack";
import { renderKubeconfig } from "../stacks/aws-resources/kubeconfig";
import { FraudWebApp, imagePullPolicy } from "../stacks/aws-resources/webapp";
import { onlyOfType } from "./helpers/resources";

const DB_PASSWORD = "Oracle-Pw-3xample-9f8e7d6c";
const IMAGE = "public.ecr.aws/v3a9u0p7/demo/fraud-webapp:latest";

/** A bare cluster and a provider built from its outputs, as EksCluster wires them. */
async function program() {
  const provider = new aws.Provider("aws", { region: "us-east-1" });
  const cluster = new aws.eks.Cluster(
    "cluster",
    { roleArn: "arn:aws:iam::123456789012:role/eks", vpcConfig: { subnetIds: ["subnet-a", "subnet-b"] } },
    { provider },
  );
  const kubeconfig = pulumi
    .all([cluster.name, cluster.endpoint, cluster.certificateAuthority])
    .apply(([clusterName, endpoint, ca]) =>
      renderKubeconfig({ clusterName, endpoint, certificateAuthorityData: ca.data, region: "us-east-1" }),
    );
  const k8sProvider = new k8s.Provider("k8s", {
    kubeconfig: pulumi.secret(kubeconfig),
    enableServerSideApply: true,
  });
  const app = new FraudWebApp("webapp", {
    provider: k8sProvider,
    cluster,
    namespace: "fraud-demo",
    appName: "fraud-webapp",
    image: IMAGE,
    replicas: 2,
    database: {
      host: "10.0.1.25",
      port: 1521,
      serviceName: "XEPDB1",
      user: "sample",
      password: pulumi.secret(DB_PASSWORD),
    },
  });
  return { url: app.url };
}

let cached: Promise<StackRun> | undefined;
const run = () =>
  (cached ??= runStack({ project: "webapp-test", stack: "dev", region: "us-east-1", config: {}, program }));
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const at = (r: RecordedResource, path: string): any =>
  path.split(".").reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], r.inputs);

test("DB credentials live in a Secret, never a ConfigMap or any other object", async () => {
  const r = await run();
  assert.equal(r.resources.filter((x) => x.type === "kubernetes:core/v1:ConfigMap").length, 0);
  const secret = onlyOfType(r, "kubernetes:core/v1:Secret");
  assert.equal(at(secret, "type"), "Opaque");
  assert.deepEqual(at(secret, "stringData"), { DB_USER: "sample", DB_PASSWORD });
  assert.ok(
    secret.secretInputPaths.some((p) => p.startsWith("stringData")),
    "stringData is a secret input",
  );
  for (const other of r.resources.filter((x) => x !== secret)) {
    assert.ok(
      !JSON.stringify(other.inputs).includes(DB_PASSWORD),
      `password leaked into ${other.type} ${other.name}`,
    );
  }
});

test("the Deployment reads credentials by secretKeyRef and sets probes, resources and a restricted security context", async () => {
  const r = await run();
  const deployment = onlyOfType(r, "kubernetes:apps/v1:Deployment");
  assert.equal(at(deployment, "spec.replicas"), 2);
  const pod = at(deployment, "spec.template.spec");
  assert.equal(pod.automountServiceAccountToken, false);
  assert.deepEqual(pod.securityContext, { seccompProfile: { type: "RuntimeDefault" } });
  const [c] = pod.containers;
  assert.equal(pod.containers.length, 1);
  assert.equal(c.image, IMAGE);
  assert.equal(c.imagePullPolicy, "Always");
  assert.deepEqual(c.ports, [{ name: "http", containerPort: 8000 }]);
  assert.deepEqual(c.env.slice(0, 3), [
    { name: "DB_HOST", value: "10.0.1.25" },
    { name: "DB_PORT", value: "1521" },
    { name: "DB_NAME", value: "XEPDB1" },
  ]);
  for (const key of ["DB_USER", "DB_PASSWORD"]) {
    const env = c.env.find((e: { name: string }) => e.name === key);
    assert.equal(env.value, undefined, `${key} has no literal value`);
    assert.equal(env.valueFrom.secretKeyRef.key, key);
    // The Secret is auto-named by the provider: logical name + random suffix.
    assert.match(String(env.valueFrom.secretKeyRef.name), /^webapp-db-[0-9a-f]{8}$/);
  }
  for (const probe of ["startupProbe", "readinessProbe", "livenessProbe"]) {
    assert.deepEqual(c[probe].httpGet, { path: "/health/", port: "http" }, probe);
  }
  assert.ok(
    c.startupProbe.periodSeconds * c.startupProbe.failureThreshold >= 300,
    "start-up gets at least 5 min",
  );
  assert.deepEqual(c.resources, {
    requests: { cpu: "250m", memory: "512Mi" },
    limits: { cpu: "1", memory: "1Gi" },
  });
  assert.deepEqual(c.securityContext, {
    allowPrivilegeEscalation: false,
    capabilities: { drop: ["ALL"] },
    seccompProfile: { type: "RuntimeDefault" },
  });
});

test("Service, IngressClassParams, IngressClass and Ingress route / to the app through an internet-facing ALB", async () => {
  const r = await run();
  const service = onlyOfType(r, "kubernetes:core/v1:Service");
  assert.equal(at(service, "spec.type"), "ClusterIP");
  assert.deepEqual(at(service, "spec.ports"), [
    { name: "http", port: 80, targetPort: "http", protocol: "TCP" },
  ]);
  const params = onlyOfType(r, "kubernetes:eks.amazonaws.com/v1:IngressClassParams");
  assert.deepEqual(at(params, "spec"), { scheme: "internet-facing" });
  const ingressClass = onlyOfType(r, "kubernetes:networking.k8s.io/v1:IngressClass");
  assert.deepEqual(at(ingressClass, "metadata.name"), "alb");
  assert.deepEqual(at(ingressClass, "spec"), {
    controller: "eks.amazonaws.com/alb",
    parameters: { apiGroup: "eks.amazonaws.com", kind: "IngressClassParams", name: "alb" },
  });
  const ingress = onlyOfType(r, "kubernetes:networking.k8s.io/v1:Ingress");
  assert.equal(at(ingress, "spec.ingressClassName"), "alb");
  assert.deepEqual(at(ingress, "spec.rules"), [
    {
      http: {
        paths: [
          {
            path: "/",
            pathType: "Prefix",
            backend: { service: { name: "fraud-webapp", port: { name: "http" } } },
          },
        ],
      },
    },
  ]);
  assert.equal(at(ingress, "metadata.annotations")["alb.ingress.kubernetes.io/target-type"], "ip");
  assert.equal(at(ingress, "metadata.annotations")["alb.ingress.kubernetes.io/healthcheck-path"], "/health/");
  assert.match(
    String(r.outputs.url),
    /^http:\/\/k8s-[0-9a-f]+-[0-9a-f]+\.us-east-1\.elb\.amazonaws\.com\/fraud-demo\/$/,
  );
  assert.deepEqual(r.secretOutputNames, []);
});

test("destroy order: the Ingress goes through the provider built from the cluster and is really deleted", async () => {
  const r = await run();
  const cluster = onlyOfType(r, "aws:eks/cluster:Cluster");
  const provider = onlyOfType(r, "pulumi:providers:kubernetes");
  assert.ok(provider.dependencyUrns.includes(cluster.urn), "provider depends on the cluster");
  const k8sObjects = r.resources.filter((x) => x.type.startsWith("kubernetes:"));
  assert.equal(k8sObjects.length, 7);
  for (const obj of k8sObjects) {
    assert.ok(obj.providerRef.startsWith(`${provider.urn}::`), `${obj.type} uses the cluster's provider`);
    assert.ok(obj.dependencyUrns.includes(cluster.urn), `${obj.type} depends on the cluster`);
  }
  const ingress = onlyOfType(r, "kubernetes:networking.k8s.io/v1:Ingress");
  assert.equal(ingress.deletedWithUrn, "", "the Ingress must be deleted so the ALB goes with it");
  for (const obj of k8sObjects.filter((x) => x !== ingress)) {
    assert.equal(obj.deletedWithUrn, cluster.urn, `${obj.type} is skipped when the cluster is deleted`);
  }
  const service = onlyOfType(r, "kubernetes:core/v1:Service");
  assert.ok(ingress.dependencyUrns.includes(service.urn), "Ingress is deleted before its Service");
});

test("imagePullPolicy re-pulls only moving tags", () => {
  const cases: [string, string][] = [
    ["repo/app:latest", "Always"],
    ["repo/app", "Always"],
    ["registry.local:5000/app", "Always"],
    ["registry.local:5000/app:1.4.2", "IfNotPresent"],
    ["repo/app:1.0", "IfNotPresent"],
    ["repo/app@sha256:abc123", "IfNotPresent"],
  ];
  for (const [image, policy] of cases) assert.equal(imagePullPolicy(image), policy, image);
});
