import assert from "node:assert/strict";
import { test } from "node:test";
import * as aws from "@pulumi/aws";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { RecordedResource } from "../tools/offline/mocks";
import { runStack } from "../tools/offline/run-stack";
import type { StackRun } from "../tools/offline/run-stack";
import { renderKubeconfig } from "../stacks/aws-resources/eks/kubeconfig";
import { FraudWebApp, imagePullPolicy } from "../stacks/aws-resources/webapp";
import {
  ALB_SSL_POLICY,
  albAccessAnnotations,
  checkCertificateArn,
  checkDomainName,
  DNS_NAME,
  webappInboundCidrs,
  webappUrl,
} from "../stacks/aws-resources/webapp-access";
import { one } from "./helpers/resources";

const DB_PASSWORD = "Oracle-Pw-3xample-9f8e7d6c";
const IMAGE = "public.ecr.aws/v3a9u0p7/demo/fraud-webapp:latest";
const INBOUND = ["203.0.113.0/24", "198.51.100.7/32"];
const ALB_SUBNETS = ["10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/20"];
const CERT = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d";

/** A bare cluster and a provider built from its outputs, as EksCluster wires them. */
async function program(certificateArn?: string, domainName?: string) {
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
    inboundCidrs: INBOUND,
    loadBalancerCidrs: ALB_SUBNETS,
    jobsNamespace: "fraud-deploy-jobs",
    certificateArn,
    domainName,
  });
  return { url: app.url };
}

let cached: Promise<StackRun> | undefined;
const run = () =>
  (cached ??= runStack({
    project: "webapp-test",
    stack: "dev",
    region: "us-east-1",
    config: {},
    program: () => program(),
  }));
let cachedTls: Promise<StackRun> | undefined;
const runTls = () =>
  (cachedTls ??= runStack({
    project: "webapp-test",
    stack: "dev",
    region: "us-east-1",
    config: {},
    program: () => program(CERT, "fraud.example.com"),
  }));
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const at = (r: RecordedResource, path: string): any =>
  path.split(".").reduce<unknown>((v, k) => (v as Record<string, unknown> | undefined)?.[k], r.inputs);

test("DB credentials live in a Secret, never a ConfigMap or any other object", async () => {
  const r = await run();
  assert.equal(r.resources.filter((x) => x.type === "kubernetes:core/v1:ConfigMap").length, 0);
  const secret = one(r, "kubernetes:core/v1:Secret");
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
  const deployment = one(r, "kubernetes:apps/v1:Deployment");
  assert.equal(at(deployment, "spec.replicas"), 2);
  const pod = at(deployment, "spec.template.spec");
  assert.equal(pod.automountServiceAccountToken, false);
  // Pod Security "restricted": non-root, as the image's own user (uid 1001).
  assert.deepEqual(pod.securityContext, {
    runAsNonRoot: true,
    runAsUser: 1001,
    runAsGroup: 1001,
    seccompProfile: { type: "RuntimeDefault" },
  });
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

test("the namespace enforces Pod Security restricted; a NetworkPolicy admits only the ALB's subnets and the Jobs, on the app's port", async () => {
  const r = await run();
  const ns = one(r, "kubernetes:core/v1:Namespace");
  const labels = at(ns, "metadata.labels") as Record<string, string>;
  for (const mode of ["enforce", "audit", "warn"]) {
    assert.equal(labels[`pod-security.kubernetes.io/${mode}`], "restricted", mode);
  }
  const policy = one(r, "kubernetes:networking.k8s.io/v1:NetworkPolicy");
  assert.equal(at(policy, "metadata.namespace"), "fraud-demo");
  assert.deepEqual(at(policy, "spec.podSelector"), {
    matchLabels: at(one(r, "kubernetes:apps/v1:Deployment"), "spec.selector.matchLabels"),
  });
  assert.deepEqual(at(policy, "spec.policyTypes"), ["Ingress"]);
  assert.deepEqual(at(policy, "spec.ingress"), [
    {
      from: [
        ...ALB_SUBNETS.map((cidr) => ({ ipBlock: { cidr } })),
        { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "fraud-deploy-jobs" } } },
      ],
      ports: [{ protocol: "TCP", port: 8000 }],
    },
  ]);
});

test("Service, IngressClassParams, IngressClass and Ingress route / to the app through an internet-facing ALB", async () => {
  const r = await run();
  const service = one(r, "kubernetes:core/v1:Service");
  assert.equal(at(service, "spec.type"), "ClusterIP");
  assert.deepEqual(at(service, "spec.ports"), [
    { name: "http", port: 80, targetPort: "http", protocol: "TCP" },
  ]);
  const params = one(r, "kubernetes:eks.amazonaws.com/v1:IngressClassParams");
  assert.deepEqual(at(params, "spec"), { scheme: "internet-facing" });
  const ingressClass = one(r, "kubernetes:networking.k8s.io/v1:IngressClass");
  assert.deepEqual(at(ingressClass, "metadata.name"), "alb");
  assert.deepEqual(at(ingressClass, "spec"), {
    controller: "eks.amazonaws.com/alb",
    parameters: { apiGroup: "eks.amazonaws.com", kind: "IngressClassParams", name: "alb" },
  });
  const ingress = one(r, "kubernetes:networking.k8s.io/v1:Ingress");
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

test("the ALB admits only the given CIDRs and listens on HTTP 80 alone without a certificate", async () => {
  const annotations = at(one(await run(), "kubernetes:networking.k8s.io/v1:Ingress"), "metadata.annotations");
  assert.equal(annotations["alb.ingress.kubernetes.io/inbound-cidrs"], INBOUND.join(","));
  assert.deepEqual(JSON.parse(annotations["alb.ingress.kubernetes.io/listen-ports"]), [{ HTTP: 80 }]);
  for (const tls of ["certificate-arn", "ssl-redirect", "ssl-policy"]) {
    assert.equal(annotations[`alb.ingress.kubernetes.io/${tls}`], undefined, tls);
  }
});

test("with a certificate the ALB serves HTTPS with a TLS 1.2+ policy, redirects 80, and the URL is https", async () => {
  const r = await runTls();
  const annotations = at(one(r, "kubernetes:networking.k8s.io/v1:Ingress"), "metadata.annotations");
  assert.deepEqual(JSON.parse(annotations["alb.ingress.kubernetes.io/listen-ports"]), [
    { HTTP: 80 },
    { HTTPS: 443 },
  ]);
  assert.equal(annotations["alb.ingress.kubernetes.io/certificate-arn"], CERT);
  assert.equal(annotations["alb.ingress.kubernetes.io/ssl-redirect"], "443");
  assert.equal(annotations["alb.ingress.kubernetes.io/ssl-policy"], ALB_SSL_POLICY);
  assert.match(ALB_SSL_POLICY, /^ELBSecurityPolicy-TLS13-1-2-/, "TLS 1.3 and 1.2 only");
  assert.equal(annotations["alb.ingress.kubernetes.io/inbound-cidrs"], INBOUND.join(","));
  // The certificate names the configured DNS name, never the ALB's generated host.
  assert.equal(r.outputs.url, "https://fraud.example.com/fraud-demo/");
});

test("URLs and DNS names: HTTPS needs the certificate's DNS name", () => {
  const alb = "k8s-a-b.us-east-1.elb.amazonaws.com";
  assert.equal(webappUrl(alb, "/fraud-demo/"), `http://${alb}/fraud-demo/`);
  assert.equal(webappUrl(alb, "/x/", "fraud.example.com", CERT), "https://fraud.example.com/x/");
  assert.match(checkDomainName(undefined, CERT) ?? "", /is required with webappCertificateArn/);
  assert.equal(checkDomainName("fraud.example.com", CERT), undefined);
  assert.equal(checkDomainName(undefined, undefined), undefined);
  for (const bad of [
    "https://fraud.example.com",
    "fraud.example.com/x",
    "Fraud.Example.com",
    "localhost",
    "a..b.com",
  ]) {
    assert.ok(!DNS_NAME.test(bad), bad);
  }
  assert.ok(DNS_NAME.test("fraud.eu-1.example.com"));
});

test("inbound CIDRs: admin and web app lists merged, IPv4 only, each once; empty falls back to the VPC range", () => {
  assert.deepEqual(
    webappInboundCidrs(
      ["203.0.113.0/24", "2001:db8::/48"],
      ["198.51.100.7/32", "203.0.113.0/24"],
      "10.0.0.0/16",
    ),
    ["203.0.113.0/24", "198.51.100.7/32"],
  );
  // The controller opens an ALB without inbound CIDRs to 0.0.0.0/0: never hand it an empty list.
  assert.deepEqual(webappInboundCidrs([], [], "10.0.0.0/16"), ["10.0.0.0/16"]);
  assert.deepEqual(webappInboundCidrs(["2001:db8::/48"], [], "10.1.0.0/16"), ["10.1.0.0/16"]);
  assert.throws(() => albAccessAnnotations({ inboundCidrs: [] }), /at least one inbound CIDR/);
});

test("certificate ARNs: ACM format and the load balancer's region", () => {
  assert.equal(checkCertificateArn(CERT, "us-east-1"), undefined);
  assert.match(
    checkCertificateArn(CERT, "eu-west-1") ?? "",
    /certificate of us-east-1; the load balancer runs in eu-west-1/,
  );
  assert.match(
    checkCertificateArn("arn:aws:iam::123456789012:server-certificate/web", "us-east-1") ?? "",
    /must be an ACM certificate ARN/,
  );
  assert.match(
    checkCertificateArn(CERT.replace("0a1b2c3d", "0A1B2C3D"), "us-east-1") ?? "",
    /ACM certificate ARN/,
  );
});

test("destroy order: the Ingress goes through the provider built from the cluster and is really deleted", async () => {
  const r = await run();
  const cluster = one(r, "aws:eks/cluster:Cluster");
  const provider = one(r, "pulumi:providers:kubernetes");
  assert.ok(provider.dependencyUrns.includes(cluster.urn), "provider depends on the cluster");
  const k8sObjects = r.resources.filter((x) => x.type.startsWith("kubernetes:"));
  assert.equal(k8sObjects.length, 8);
  for (const obj of k8sObjects) {
    assert.ok(obj.providerRef.startsWith(`${provider.urn}::`), `${obj.type} uses the cluster's provider`);
    assert.ok(obj.dependencyUrns.includes(cluster.urn), `${obj.type} depends on the cluster`);
  }
  const ingress = one(r, "kubernetes:networking.k8s.io/v1:Ingress");
  assert.equal(ingress.deletedWithUrn, "", "the Ingress must be deleted so the ALB goes with it");
  for (const obj of k8sObjects.filter((x) => x !== ingress)) {
    assert.equal(obj.deletedWithUrn, cluster.urn, `${obj.type} is skipped when the cluster is deleted`);
  }
  const service = one(r, "kubernetes:core/v1:Service");
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
