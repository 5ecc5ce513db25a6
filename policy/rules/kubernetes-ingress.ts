import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { isWorldCidr, record, stringMap, strings } from "./util";

const INGRESS_TYPES: readonly string[] = [
  "kubernetes:networking.k8s.io/v1:Ingress",
  "kubernetes:networking.k8s.io/v1beta1:Ingress",
  "kubernetes:extensions/v1beta1:Ingress",
];
export const INGRESS_CLASS = "kubernetes:networking.k8s.io/v1:IngressClass";
/** EKS Auto Mode's and the AWS Load Balancer Controller's class parameters. */
const INGRESS_CLASS_PARAMS_TYPES: readonly string[] = [
  "kubernetes:eks.amazonaws.com/v1:IngressClassParams",
  "kubernetes:elbv2.k8s.aws/v1beta1:IngressClassParams",
];
const ALB_CONTROLLERS = ["eks.amazonaws.com/alb", "ingress.k8s.aws/alb"];

const ALB_ANNOTATION = "alb.ingress.kubernetes.io/";
export const INBOUND_CIDRS_ANNOTATION = `${ALB_ANNOTATION}inbound-cidrs`;
export const SCHEME_ANNOTATION = `${ALB_ANNOTATION}scheme`;

const metadata = (r: PolicyResource) => record(r.props.metadata);
const annotationsOf = (r: PolicyResource) => stringMap(metadata(r).annotations);

/** The IngressClass an Ingress names (by name or through a dependency), or the stack's default class. */
function classOf(resources: readonly PolicyResource[], ingress: PolicyResource): PolicyResource | undefined {
  const classes = resources.filter((r) => r.type === INGRESS_CLASS);
  const name = record(ingress.props.spec).ingressClassName;
  const named = classes.find(
    (c) =>
      (name !== undefined && metadata(c).name === name) || ingress.dependencies.some((d) => d.urn === c.urn),
  );
  if (named || name !== undefined || annotationsOf(ingress)["kubernetes.io/ingress.class"] !== undefined)
    return named;
  return classes.find((c) => annotationsOf(c)["ingressclass.kubernetes.io/is-default-class"] === "true");
}

/** The IngressClassParams a class points to, if it is in the stack. */
function paramsOf(
  resources: readonly PolicyResource[],
  cls: PolicyResource | undefined,
): PolicyResource | undefined {
  if (!cls) return undefined;
  const name = record(record(cls.props.spec).parameters).name;
  return resources.find(
    (r) =>
      INGRESS_CLASS_PARAMS_TYPES.includes(r.type) &&
      ((name !== undefined && metadata(r).name === name) || cls.dependencies.some((d) => d.urn === r.urn)),
  );
}

/**
 * Whether an ALB may serve the Ingress: its class's controller says so when the class is in the stack;
 * a class the stack does not declare (named, or the cluster's default) cannot be seen by a preview, so
 * the Ingress is held to the rule (fail closed).
 */
function servedByAlb(cls: PolicyResource | undefined): boolean {
  return cls ? ALB_CONTROLLERS.includes(String(record(cls.props.spec).controller)) : true;
}

/**
 * Each Ingress an ALB may serve (servedByAlb), with its annotations and the spec of its class's
 * IngressClassParams (empty when the stack declares none).
 */
function albIngresses(resources: readonly PolicyResource[]) {
  return resources
    .filter((r) => INGRESS_TYPES.includes(r.type))
    .flatMap((ingress) => {
      const cls = classOf(resources, ingress);
      if (!servedByAlb(cls)) return [];
      const params = record(paramsOf(resources, cls)?.props.spec);
      return [{ ingress, annotations: annotationsOf(ingress), params }];
    });
}

/** Comma-separated CIDRs as the annotation takes them. */
const cidrList = (v: string | undefined) =>
  (v ?? "")
    .split(",")
    .map((c) => c.trim())
    .filter((c) => c !== "");

export const k8sAlbIngressInboundCidrs: StackValidationPolicy = {
  name: "k8s-alb-ingress-inbound-cidrs",
  description:
    "An Ingress served by an Application Load Balancer (EKS Auto Mode's eks.amazonaws.com/alb or the AWS Load " +
    "Balancer Controller's class; an Ingress whose class the stack does not declare is treated as one, since a " +
    "preview cannot see it) that is internet-facing " +
    `must carry the ${INBOUND_CIDRS_ANNOTATION} annotation (or the class parameters' inboundCIDRs) with no ` +
    "0.0.0.0/0, ::/0 or CIDR of /8 or wider (IPv4) or /32 or wider (IPv6): without it the controller opens the ALB's " +
    "security group to the whole internet. The scheme comes from the class's IngressClassParams, else the " +
    `${SCHEME_ANNOTATION} annotation; when neither is visible in the stack the Ingress is held to the rule, ` +
    "so declare scheme internal to opt out. No direct Checkov or Trivy equivalent (they check " +
    "aws_lb security groups, CKV_AWS_260).",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    for (const { ingress, annotations, params } of albIngresses(args.resources)) {
      const scheme = typeof params.scheme === "string" ? params.scheme : annotations[SCHEME_ANNOTATION];
      if (scheme === "internal") continue;
      const paramCidrs = strings(params.inboundCIDRs);
      const cidrs = paramCidrs.length > 0 ? paramCidrs : cidrList(annotations[INBOUND_CIDRS_ANNOTATION]);
      const world = cidrs.filter(isWorldCidr);
      if (cidrs.length === 0) {
        reportViolation(
          `${ingress.name}: internet-facing ALB without ${INBOUND_CIDRS_ANNOTATION} admits 0.0.0.0/0; list the ` +
            "CIDRs allowed to reach it",
          ingress.urn,
        );
      } else if (world.length > 0) {
        reportViolation(
          `${ingress.name}: ${INBOUND_CIDRS_ANNOTATION} admits ${world.join(", ")}`,
          ingress.urn,
        );
      }
    }
  },
};

const LISTEN_PORTS_ANNOTATION = `${ALB_ANNOTATION}listen-ports`;
const CERTIFICATE_ANNOTATION = `${ALB_ANNOTATION}certificate-arn`;
const SSL_REDIRECT_ANNOTATION = `${ALB_ANNOTATION}ssl-redirect`;

/** The protocols of `listen-ports` (`[{"HTTP":80},{"HTTPS":443}]`); the controller's default is HTTP 80. */
function listenerProtocols(value: string | undefined): string[] {
  if (value === undefined) return ["HTTP"];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.flatMap((entry) => Object.keys(record(entry))) : ["HTTP"];
  } catch {
    return ["HTTP"];
  }
}

export interface HttpsOnlyConfig {
  /** The trial stack may serve plain HTTP (policy/config.dev.json). */
  readonly allowHttpListener?: boolean;
}

export const k8sAlbHttpsOnly: StackValidationPolicy = {
  name: "k8s-alb-https-only",
  description:
    "An Ingress served by an Application Load Balancer (as k8s-alb-ingress-inbound-cidrs decides, an unseen " +
    `class included) listens on HTTPS with a certificate (${CERTIFICATE_ANNOTATION}, or the class parameters' ` +
    `certificateARNs), and any HTTP listener only redirects to it (${SSL_REDIRECT_ANNOTATION}); without ` +
    `${LISTEN_PORTS_ANNOTATION} the controller serves HTTP 80 alone. Only the trial stack's pack config ` +
    "(allowHttpListener, policy/config.dev.json) lets plain HTTP through. Similar to Checkov CKV2_AWS_20 and " +
    "Trivy AVD-AWS-0054 (HTTP listeners redirect to HTTPS), which check aws_lb listeners.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      allowHttpListener: {
        type: "boolean",
        default: false,
        description: "Allow an ALB that serves plain HTTP: the trial stack only.",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    if (args.getConfig<HttpsOnlyConfig>().allowHttpListener === true) return;
    for (const { ingress, annotations, params } of albIngresses(args.resources)) {
      const listen = annotations[LISTEN_PORTS_ANNOTATION];
      const protocols = listenerProtocols(listen);
      const certificates =
        strings(params.certificateARNs).length > 0 || (annotations[CERTIFICATE_ANNOTATION] ?? "") !== "";
      const report = (problem: string) => reportViolation(`${ingress.name}: ${problem}`, ingress.urn);
      if (!protocols.includes("HTTPS")) {
        report(
          `the ALB serves plain HTTP (listen-ports ${listen ?? "unset: HTTP 80"}); add an HTTPS listener with a ` +
            "certificate and redirect port 80 to it",
        );
      } else if (!certificates) {
        report("the ALB lists an HTTPS listener but no certificate (certificate-arn or certificateARNs)");
      } else if (protocols.includes("HTTP") && annotations[SSL_REDIRECT_ANNOTATION] === undefined) {
        report(
          `the ALB serves plain HTTP beside HTTPS; set ${SSL_REDIRECT_ANNOTATION} so port 80 only redirects`,
        );
      }
    }
  },
};
