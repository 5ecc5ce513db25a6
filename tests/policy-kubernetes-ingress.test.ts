import assert from "node:assert/strict";
import { test } from "node:test";
import type { StackResourceFixture } from "../tools/plan/policy/args";
import {
  INBOUND_CIDRS_ANNOTATION,
  INGRESS_CLASS,
  SCHEME_ANNOTATION,
  k8sAlbHttpsOnly,
  k8sAlbIngressInboundCidrs,
} from "../policy/rules/kubernetes-ingress";
import { stackViolations } from "./helpers/policy";

const INGRESS = "kubernetes:networking.k8s.io/v1:Ingress";

/** The web app's objects as the stack declares them: Auto Mode class params, class, Ingress. */
function webapp(annotations: Record<string, string>, scheme = "internet-facing"): StackResourceFixture[] {
  return [
    {
      type: "kubernetes:eks.amazonaws.com/v1:IngressClassParams",
      name: "params",
      urn: "urn:params",
      props: { metadata: { name: "alb" }, spec: { scheme } },
    },
    {
      type: INGRESS_CLASS,
      name: "class",
      urn: "urn:class",
      props: {
        metadata: { name: "alb" },
        spec: {
          controller: "eks.amazonaws.com/alb",
          parameters: { apiGroup: "eks.amazonaws.com", kind: "IngressClassParams", name: "alb" },
        },
      },
      dependencyUrns: ["urn:params"],
    },
    {
      type: INGRESS,
      name: "webapp-ingress",
      urn: "urn:ingress",
      props: { metadata: { name: "webapp", annotations }, spec: { ingressClassName: "alb" } },
      dependencyUrns: ["urn:class"],
    },
  ];
}

const messages = (fixtures: StackResourceFixture[]) =>
  stackViolations(k8sAlbIngressInboundCidrs, fixtures).map((v) => v.message);

test("ALB ingress: an internet-facing ALB needs narrow inbound-cidrs", () => {
  assert.deepEqual(messages(webapp({ [INBOUND_CIDRS_ANNOTATION]: "203.0.113.7/32, 198.51.100.0/24" })), []);
  assert.deepEqual(messages(webapp({})), [
    `webapp-ingress: internet-facing ALB without ${INBOUND_CIDRS_ANNOTATION} admits 0.0.0.0/0; list the CIDRs allowed to reach it`,
  ]);
  assert.deepEqual(messages(webapp({ [INBOUND_CIDRS_ANNOTATION]: "203.0.113.7/32,0.0.0.0/0" })), [
    `webapp-ingress: ${INBOUND_CIDRS_ANNOTATION} admits 0.0.0.0/0`,
  ]);
  assert.equal(messages(webapp({ [INBOUND_CIDRS_ANNOTATION]: " , " })).length, 1);
  const [finding] = stackViolations(k8sAlbIngressInboundCidrs, webapp({}));
  assert.equal(finding?.urn, "urn:ingress");
});

test("ALB ingress: internal ALBs and other controllers pass; an unknown scheme is held to the rule", () => {
  assert.deepEqual(messages(webapp({}, "internal")), []);
  const nginx = webapp({}).map((r) =>
    r.type === INGRESS_CLASS
      ? { ...r, props: { metadata: { name: "alb" }, spec: { controller: "k8s.io/ingress-nginx" } } }
      : r,
  );
  assert.deepEqual(messages(nginx), []);
  // Only the Ingress in this stack, with the annotation-driven controller's conventions.
  const lone = (annotations: Record<string, string>): StackResourceFixture[] => [
    { type: INGRESS, name: "api", props: { metadata: { annotations }, spec: { ingressClassName: "alb" } } },
  ];
  assert.deepEqual(messages(lone({ [SCHEME_ANNOTATION]: "internal" })), []);
  assert.equal(messages(lone({ [SCHEME_ANNOTATION]: "internet-facing" })).length, 1);
  assert.equal(messages(lone({})).length, 1);
  const annotated: StackResourceFixture[] = [
    {
      type: INGRESS,
      name: "legacy",
      props: {
        metadata: {
          annotations: { "kubernetes.io/ingress.class": "alb", [SCHEME_ANNOTATION]: "internet-facing" },
        },
      },
    },
  ];
  assert.equal(messages(annotated).length, 1);
});

test("ALB ingress: the Load Balancer Controller's IngressClassParams inboundCIDRs count", () => {
  const lbc = (inboundCIDRs: string[]): StackResourceFixture[] => [
    {
      type: "kubernetes:elbv2.k8s.aws/v1beta1:IngressClassParams",
      name: "params",
      props: { metadata: { name: "public" }, spec: { scheme: "internet-facing", inboundCIDRs } },
    },
    {
      type: INGRESS_CLASS,
      name: "class",
      props: {
        metadata: { name: "public" },
        spec: {
          controller: "ingress.k8s.aws/alb",
          parameters: { kind: "IngressClassParams", name: "public" },
        },
      },
    },
    { type: INGRESS, name: "api", props: { metadata: {}, spec: { ingressClassName: "public" } } },
  ];
  assert.deepEqual(messages(lbc(["10.0.0.0/16"])), []);
  assert.deepEqual(messages(lbc(["::/0"])), [`api: ${INBOUND_CIDRS_ANNOTATION} admits ::/0`]);
});

test("ALB ingress: a class the stack does not declare is held to the rule (fail closed)", () => {
  // The class lives in another stack or was made by hand: a preview cannot see whether it is an ALB.
  const unseen = (annotations: Record<string, string>): StackResourceFixture[] => [
    {
      type: INGRESS,
      name: "api",
      props: { metadata: { annotations }, spec: { ingressClassName: "shared" } },
    },
  ];
  assert.deepEqual(messages(unseen({})), [
    `api: internet-facing ALB without ${INBOUND_CIDRS_ANNOTATION} admits 0.0.0.0/0; list the CIDRs allowed to reach it`,
  ]);
  assert.deepEqual(messages(unseen({ [INBOUND_CIDRS_ANNOTATION]: "203.0.113.0/24" })), []);
  assert.deepEqual(messages(unseen({ [SCHEME_ANNOTATION]: "internal" })), []);
});

const httpsMessages = (fixtures: StackResourceFixture[], config: Record<string, unknown> = {}) =>
  stackViolations(k8sAlbHttpsOnly, fixtures, config).map((v) => v.message);
const LISTEN = "alb.ingress.kubernetes.io/listen-ports";
const CERT = "alb.ingress.kubernetes.io/certificate-arn";
const REDIRECT = "alb.ingress.kubernetes.io/ssl-redirect";
const ARN = "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d";

test("ALB HTTPS: HTTPS with a certificate, port 80 only redirecting, passes", () => {
  const https = { [LISTEN]: '[{"HTTP":80},{"HTTPS":443}]', [CERT]: ARN, [REDIRECT]: "443" };
  assert.deepEqual(httpsMessages(webapp(https)), []);
  assert.deepEqual(httpsMessages(webapp({ [LISTEN]: '[{"HTTPS":443}]', [CERT]: ARN })), []);
});

test("ALB HTTPS: an HTTP-only listener, HTTPS without a certificate, or HTTP served beside HTTPS fails", () => {
  assert.deepEqual(httpsMessages(webapp({ [LISTEN]: '[{"HTTP":80}]' })), [
    'webapp-ingress: the ALB serves plain HTTP (listen-ports [{"HTTP":80}]); add an HTTPS listener with a certificate and redirect port 80 to it',
  ]);
  // No listen-ports: the controller opens HTTP 80 only.
  assert.equal(httpsMessages(webapp({})).length, 1);
  assert.match(httpsMessages(webapp({ [LISTEN]: '[{"HTTPS":443}]' }))[0] ?? "", /no certificate/);
  assert.match(
    httpsMessages(webapp({ [LISTEN]: '[{"HTTP":80},{"HTTPS":443}]', [CERT]: ARN }))[0] ?? "",
    /serves plain HTTP beside HTTPS.*ssl-redirect/,
  );
});

test("ALB HTTPS: only the trial stack's pack config lets plain HTTP through; other controllers are not held", () => {
  assert.deepEqual(httpsMessages(webapp({ [LISTEN]: '[{"HTTP":80}]' }), { allowHttpListener: true }), []);
  const nginx = webapp({}).map((r) =>
    r.type === INGRESS_CLASS
      ? { ...r, props: { metadata: { name: "alb" }, spec: { controller: "k8s.io/ingress-nginx" } } }
      : r,
  );
  assert.deepEqual(httpsMessages(nginx), []);
});
