/**
 * Pure rules of who reaches the web app's load balancer and over what: the ALB's inbound CIDRs
 * and its listeners. Annotation names and semantics are the AWS Load Balancer Controller's
 * (https://kubernetes-sigs.github.io/aws-load-balancer-controller/latest/guide/ingress/annotations/),
 * which EKS Auto Mode honours on the Ingress except for the few it lists as unsupported
 * (group.name, waf-acl-id, web-acl-id, shield-advanced-protection; "Considerations" in
 * https://docs.aws.amazon.com/eks/latest/userguide/auto-configure-alb.html).
 */

const ANNOTATION = "alb.ingress.kubernetes.io";

/**
 * TLS 1.3 and 1.2 only, AWS's recommended ALB policy
 * (https://docs.aws.amazon.com/elasticloadbalancing/latest/application/describe-ssl-policies.html).
 * Without it the controller uses ELBSecurityPolicy-2016-08, which still accepts TLS 1.0.
 */
export const ALB_SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/** `arn:<partition>:acm:<region>:<account>:certificate/<uuid>`. */
export const ACM_CERTIFICATE_ARN =
  /^arn:aws(?:-[a-z]+)*:acm:([a-z]{2}(?:-[a-z]+)+-\d):\d{12}:certificate\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/**
 * An ALB can only use an ACM certificate of its own region. Returns `undefined` when `arn` is a
 * certificate ARN of `region`, otherwise what is allowed.
 */
export function checkCertificateArn(arn: string, region: string): string | undefined {
  const match = ACM_CERTIFICATE_ARN.exec(arn);
  if (!match) {
    return "must be an ACM certificate ARN such as arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d, or empty for HTTP only";
  }
  if (match[1] !== region) {
    return `is a certificate of ${match[1]}; the load balancer runs in ${region} and can only use a certificate issued (or imported) there`;
  }
  return undefined;
}

/**
 * The ALB's inbound CIDRs: the admin CIDRs plus the web app's own list, IPv4 only (the ALB is
 * IPv4; the controller drops IPv6 ranges on it anyway), each once. The controller opens an ALB
 * with no inbound CIDRs to 0.0.0.0/0, so an empty result is replaced by the VPC's own range:
 * no internet client has such a source address, so the ALB then admits nobody from outside.
 */
export function webappInboundCidrs(
  allowedCidrs: readonly string[],
  webappAllowedCidrs: readonly string[],
  vpcCidr: string,
): string[] {
  const ipv4 = [...new Set([...allowedCidrs, ...webappAllowedCidrs])].filter((c) => !c.includes(":"));
  return ipv4.length > 0 ? ipv4 : [vpcCidr];
}

export interface AlbAccess {
  /** From `webappInboundCidrs`. */
  readonly inboundCidrs: readonly string[];
  /** ACM certificate; unset serves plain HTTP on port 80. */
  readonly certificateArn?: string;
}

/** The listener and source annotations of the web app's Ingress. */
export function albAccessAnnotations({ inboundCidrs, certificateArn }: AlbAccess): Record<string, string> {
  if (inboundCidrs.length === 0) throw new Error("the ALB needs at least one inbound CIDR");
  const annotations: Record<string, string> = {
    [`${ANNOTATION}/inbound-cidrs`]: inboundCidrs.join(","),
  };
  if (!certificateArn) {
    annotations[`${ANNOTATION}/listen-ports`] = JSON.stringify([{ HTTP: 80 }]);
    return annotations;
  }
  return {
    ...annotations,
    [`${ANNOTATION}/listen-ports`]: JSON.stringify([{ HTTP: 80 }, { HTTPS: 443 }]),
    [`${ANNOTATION}/certificate-arn`]: certificateArn,
    // Port 80 only answers with a redirect to 443.
    [`${ANNOTATION}/ssl-redirect`]: "443",
    [`${ANNOTATION}/ssl-policy`]: ALB_SSL_POLICY,
  };
}

/** A DNS name such as fraud.example.com: at least two labels, no scheme, port or path. */
export const DNS_NAME =
  /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

/**
 * No certificate can name the ALB's generated host, so HTTPS needs the DNS name the certificate
 * covers; that name is then the one the URL (and `fraud-infra verify`) uses.
 */
export function checkDomainName(
  domainName: string | undefined,
  certificateArn: string | undefined,
): string | undefined {
  if (certificateArn && !domainName) {
    return "is required with webappCertificateArn: give the DNS name the certificate covers (e.g. fraud.example.com), which you point at the load balancer";
  }
  return undefined;
}

/** The UI's URL: through the configured DNS name over HTTPS, else straight to the ALB's host over HTTP. */
export function webappUrl(
  albHost: string,
  path: string,
  domainName?: string,
  certificateArn?: string,
): string {
  const scheme = certificateArn ? "https" : "http";
  return `${scheme}://${domainName ?? albHost}${path}`;
}
