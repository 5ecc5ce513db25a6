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
    for (const ingress of args.resources.filter((r) => INGRESS_TYPES.includes(r.type))) {
      const cls = classOf(args.resources, ingress);
      if (!servedByAlb(cls)) continue;
      const params = record(paramsOf(args.resources, cls)?.props.spec);
      const annotations = annotationsOf(ingress);
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
