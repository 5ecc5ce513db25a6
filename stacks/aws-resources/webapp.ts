import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { podSecurityLabels, webappNetworkPolicy } from "./pod-isolation";
import { albAccessAnnotations, webappUrl } from "./webapp-access";

export interface FraudWebAppArgs {
  /** Kubernetes provider of the target cluster (built from the cluster's kubeconfig). */
  provider: k8s.Provider;
  /** The EKS cluster; every object depends on it so `destroy` removes them before the cluster. */
  cluster: pulumi.Resource;
  /** Namespace to create for the app. */
  namespace: string;
  /** Name of the Deployment, Service and Ingress. */
  appName: string;
  /** Container image, e.g. "public.ecr.aws/v3a9u0p7/demo/fraud-webapp:latest". */
  image: string;
  /** Pod replicas. */
  replicas: number;
  /** Oracle connection of the app (Django reads DB_HOST, DB_PORT, DB_NAME, DB_USER, DB_PASSWORD). */
  database: {
    host: pulumi.Input<string>;
    port: number;
    /** Service name of the pluggable database, e.g. "XEPDB1". */
    serviceName: string;
    user: string;
    password: pulumi.Input<string>;
  };
  /**
   * Resources the Deployment waits for, e.g. the database's readiness gate: the app migrates its
   * schema at start-up and would crash-loop until the database user exists.
   * @default []
   */
  databaseReady?: pulumi.Resource[];
  /** Source CIDRs the ALB admits (see `webappInboundCidrs`); never empty. */
  inboundCidrs: readonly string[];
  /** The public subnets' CIDRs, where the ALB's nodes live: the only addresses the pods admit besides the Jobs. */
  loadBalancerCidrs: readonly string[];
  /** The deploy Jobs' namespace, whose first-transaction Job calls the app. */
  jobsNamespace: string;
  /** ACM certificate: HTTPS on 443, port 80 redirects. Unset: HTTP on 80 only. */
  certificateArn?: string;
  /** DNS name (covered by the certificate) that points at the ALB; the URL uses it when set. */
  domainName?: string;
}

export const APP_PORT = 8000;
/**
 * The image's own user: its Dockerfile runs `useradd -u 1001 -m appuser` and `USER appuser`
 * (https://github.com/confluentinc/demo-dsp-fraud-detection/blob/main/webapp/Dockerfile). Given by
 * number, so the kubelet can check `runAsNonRoot` (Pod Security "restricted").
 */
const APP_USER_ID = 1001;
const HEALTH_PATH = "/health/";
const UI_PATH = "/fraud-demo/";
/** Name of the IngressClass and its IngressClassParams (cluster-scoped). */
const INGRESS_CLASS = "alb";

/** `latest` (or no tag) moves, so it must be re-pulled; a fixed tag or digest need not be. */
export function imagePullPolicy(image: string): "Always" | "IfNotPresent" {
  if (image.includes("@")) return "IfNotPresent";
  const lastSegment = image.split("/").pop() ?? image;
  const tag = lastSegment.includes(":") ? lastSegment.split(":").pop() : undefined;
  return tag === undefined || tag === "latest" ? "Always" : "IfNotPresent";
}

/**
 * The fraud web app on EKS Auto Mode: namespace, DB credentials in a Secret, Deployment with
 * probes, limits and a restricted security context, ClusterIP Service, and an internet-facing
 * ALB through the Auto Mode IngressClass.
 *
 * Destroy order: the Ingress owns an ALB (and its ENIs/security groups) that the Auto Mode
 * controller removes only when the Ingress object is deleted; left behind, they block deletion of
 * the subnets and VPC. Every object here uses `provider`, whose kubeconfig comes from the cluster,
 * and also `dependsOn` the cluster, so Pulumi deletes them before the cluster. `deletedWith` lets
 * Pulumi skip deleting objects that hold no AWS resources when the cluster goes anyway — never the
 * Ingress, whose deletion must really happen for the controller to remove the ALB.
 */
export class FraudWebApp extends pulumi.ComponentResource {
  /** UI URL, `https://<domain name>/fraud-demo/`, or `http://<alb host>/fraud-demo/` without a certificate. */
  readonly url: pulumi.Output<string>;
  /** The app's namespace, once it exists. */
  readonly namespace: pulumi.Output<string>;
  /** `http://<service>.<namespace>.svc.cluster.local/`: the app from inside the cluster, bypassing the ALB. */
  readonly serviceUrl: pulumi.Output<string>;

  constructor(name: string, args: FraudWebAppArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-infra:webapp:FraudWebApp", name, {}, opts);
    const inCluster = { parent: this, provider: args.provider, dependsOn: [args.cluster] };
    const skippedWithCluster = { ...inCluster, deletedWith: args.cluster };
    const labels = { "app.kubernetes.io/name": args.appName, "app.kubernetes.io/part-of": "fraud-infra" };

    const ns = new k8s.core.v1.Namespace(
      `${name}-ns`,
      { metadata: { name: args.namespace, labels: { ...labels, ...podSecurityLabels() } } },
      skippedWithCluster,
    );
    const namespace = ns.metadata.name;

    // Auto-named: a changed password replaces the Secret under a new name, which rolls the pods.
    const dbSecret = new k8s.core.v1.Secret(
      `${name}-db`,
      {
        metadata: { namespace, labels },
        type: "Opaque",
        stringData: { DB_USER: args.database.user, DB_PASSWORD: args.database.password },
      },
      skippedWithCluster,
    );
    const fromSecret = (key: string) => ({
      name: key,
      valueFrom: { secretKeyRef: { name: dbSecret.metadata.name, key } },
    });
    const probe = (periodSeconds: number, failureThreshold: number) => ({
      httpGet: { path: HEALTH_PATH, port: "http" },
      periodSeconds,
      timeoutSeconds: 5,
      failureThreshold,
    });

    const deployment = new k8s.apps.v1.Deployment(
      `${name}-deployment`,
      {
        metadata: { name: args.appName, namespace, labels },
        spec: {
          replicas: args.replicas,
          selector: { matchLabels: { "app.kubernetes.io/name": args.appName } },
          template: {
            metadata: { labels },
            spec: {
              automountServiceAccountToken: false, // the app never calls the Kubernetes API
              securityContext: {
                runAsNonRoot: true,
                runAsUser: APP_USER_ID,
                runAsGroup: APP_USER_ID,
                seccompProfile: { type: "RuntimeDefault" },
              },
              containers: [
                {
                  name: args.appName,
                  image: args.image,
                  imagePullPolicy: imagePullPolicy(args.image),
                  ports: [{ name: "http", containerPort: APP_PORT }],
                  env: [
                    { name: "DB_HOST", value: args.database.host },
                    { name: "DB_PORT", value: String(args.database.port) },
                    { name: "DB_NAME", value: args.database.serviceName },
                    fromSecret("DB_USER"),
                    fromSecret("DB_PASSWORD"),
                  ],
                  resources: {
                    requests: { cpu: "250m", memory: "512Mi" },
                    limits: { cpu: "1", memory: "1Gi" },
                  },
                  // Start-up runs migrations and creates 1,000 users before gunicorn listens:
                  // allow up to 10 minutes before liveness takes over.
                  startupProbe: probe(10, 60),
                  readinessProbe: probe(10, 3),
                  // /health/ also checks the database; a generous threshold keeps a short
                  // database blip from restarting every pod.
                  livenessProbe: probe(20, 6),
                  // readOnlyRootFilesystem is left off: the paths the app writes at start-up are
                  // not documented, and forcing it would stop the app.
                  securityContext: {
                    allowPrivilegeEscalation: false,
                    capabilities: { drop: ["ALL"] },
                    seccompProfile: { type: "RuntimeDefault" },
                  },
                },
              ],
            },
          },
        },
      },
      // Pods start only once the database reports ready (databaseReady); the timeout still allows for
      // migrations and the 1,000-user load on first start.
      {
        ...skippedWithCluster,
        dependsOn: [...skippedWithCluster.dependsOn, ...(args.databaseReady ?? [])],
        customTimeouts: { create: "30m", update: "30m" },
      },
    );

    const policy = webappNetworkPolicy({
      namespace: args.namespace,
      podLabels: { "app.kubernetes.io/name": args.appName },
      port: APP_PORT,
      loadBalancerCidrs: args.loadBalancerCidrs,
      jobsNamespace: args.jobsNamespace,
    });
    new k8s.networking.v1.NetworkPolicy(
      `${name}-ingress-policy`,
      { metadata: { ...policy.metadata, namespace, labels }, spec: policy.spec },
      skippedWithCluster,
    );

    const service = new k8s.core.v1.Service(
      `${name}-service`,
      {
        metadata: { name: args.appName, namespace, labels },
        spec: {
          type: "ClusterIP",
          selector: deployment.spec.selector.matchLabels,
          ports: [{ name: "http", port: 80, targetPort: "http", protocol: "TCP" }],
        },
      },
      skippedWithCluster,
    );

    const classParams = new k8s.apiextensions.CustomResource(
      `${name}-ingress-class-params`,
      {
        apiVersion: "eks.amazonaws.com/v1",
        kind: "IngressClassParams",
        metadata: { name: INGRESS_CLASS },
        spec: { scheme: "internet-facing" },
      },
      skippedWithCluster,
    );
    const ingressClass = new k8s.networking.v1.IngressClass(
      `${name}-ingress-class`,
      {
        metadata: { name: INGRESS_CLASS },
        spec: {
          controller: "eks.amazonaws.com/alb",
          parameters: {
            apiGroup: "eks.amazonaws.com",
            kind: "IngressClassParams",
            name: classParams.metadata.name,
          },
        },
      },
      skippedWithCluster,
    );

    const ingress = new k8s.networking.v1.Ingress(
      `${name}-ingress`,
      {
        metadata: {
          name: args.appName,
          namespace,
          labels,
          annotations: {
            // ClusterIP Service: the ALB targets pod IPs directly.
            "alb.ingress.kubernetes.io/target-type": "ip",
            // The app has no route at "/", so the ALB default health check would fail.
            "alb.ingress.kubernetes.io/healthcheck-path": HEALTH_PATH,
            // Who may connect, and over which listeners: the app has write endpoints and no login.
            ...albAccessAnnotations({ inboundCidrs: args.inboundCidrs, certificateArn: args.certificateArn }),
          },
        },
        spec: {
          ingressClassName: ingressClass.metadata.name,
          // The UI at /fraud-demo/ posts to /create-…/ endpoints at the root, so route "/".
          rules: [
            {
              http: {
                paths: [
                  {
                    path: "/",
                    pathType: "Prefix",
                    backend: { service: { name: service.metadata.name, port: { name: "http" } } },
                  },
                ],
              },
            },
          ],
        },
      },
      // No deletedWith (see the class comment). ALB provisioning and removal take minutes.
      { ...inCluster, customTimeouts: { create: "20m", update: "20m", delete: "20m" } },
    );

    this.url = ingress.status.apply((status) => {
      const lb = status.loadBalancer?.ingress?.[0];
      const host = lb?.hostname ?? lb?.ip;
      if (!host)
        throw new Error(`Ingress ${args.namespace}/${args.appName} reports no load balancer address`);
      return webappUrl(host, UI_PATH, args.domainName, args.certificateArn);
    });

    this.namespace = namespace;
    // Only once the Deployment is available, so a Job that calls it finds a ready endpoint.
    this.serviceUrl = pulumi
      .all([service.metadata.name, namespace, deployment.status])
      .apply(([svc, ns]) => `http://${svc}.${ns}.svc.cluster.local/`);

    this.registerOutputs({ url: this.url, serviceUrl: this.serviceUrl });
  }
}
