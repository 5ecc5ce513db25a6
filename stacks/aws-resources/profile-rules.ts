import ipaddr from "ipaddr.js";
import { isTrialStack } from "../../lib/naming";

/**
 * Pure rules that depend on the stack (dev or anything else) or on several config keys at once,
 * shared by the config loader and the components.
 */

/**
 * Retention values CloudWatch Logs accepts (PutRetentionPolicy), without 0 ("never expire"): every log
 * group of this stack ages out
 * (https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html).
 */
export const LOG_RETENTION_DAYS: readonly number[] = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

export interface KeyProblem {
  readonly key: string;
  readonly message: string;
}

/**
 * EKS opens a public endpoint with no CIDRs to 0.0.0.0/0. Only the dev stack may keep that; every
 * other stack lists its CIDRs or turns the public endpoint off. A private-only endpoint with CIDRs
 * is a contradiction (EKS ignores them), so it is refused too.
 */
export function checkEksEndpointAccess(
  stack: string,
  publicAccess: boolean,
  publicAccessCidrs: readonly string[],
): KeyProblem | undefined {
  if (!publicAccess && publicAccessCidrs.length > 0) {
    return {
      key: "eksPublicAccessCidrs",
      message:
        "must be empty when eksEndpointPublicAccess is false (the endpoint then has no public side to restrict)",
    };
  }
  if (!isTrialStack(stack) && publicAccess && publicAccessCidrs.length === 0) {
    return {
      key: "eksPublicAccessCidrs",
      message:
        `is required on stack "${stack}": list the IPv4 CIDRs of the machines that run pulumi up and kubectl ` +
        "(e.g. 203.0.113.7/32), or set eksEndpointPublicAccess to false for a private-only endpoint " +
        "(deployments must then run from inside the VPC)",
    };
  }
  return undefined;
}

/** The fewest days of Redshift snapshots a stack other than dev may keep: a week of restore points. */
export const MIN_REDSHIFT_SNAPSHOT_DAYS = 7;

/** Only the dev stack may keep Redshift's automated snapshots for less than a week. */
export function checkSnapshotRetention(stack: string, days: number): KeyProblem | undefined {
  if (isTrialStack(stack) || days >= MIN_REDSHIFT_SNAPSHOT_DAYS) return undefined;
  return {
    key: "redshiftSnapshotRetentionDays",
    message: `must be at least ${MIN_REDSHIFT_SNAPSHOT_DAYS} on stack "${stack}" (only dev may keep fewer days of restore points)`,
  };
}

/**
 * A stack other than the trial stack serves the web app over HTTPS (a certificate, and with it the DNS
 * name it covers), unless `allowHttp` waives it deliberately.
 */
export function checkServedOverHttps(
  stack: string,
  certificateArn: string | undefined,
  allowHttp: boolean,
): KeyProblem | undefined {
  if (isTrialStack(stack) || certificateArn || allowHttp) return undefined;
  return {
    key: "webappCertificateArn",
    message:
      `is required on stack "${stack}": the web app's load balancer would serve plain HTTP; issue an ACM ` +
      "certificate for its DNS name and set webappCertificateArn and webappDomainName (docs/production.md), " +
      "or set webappAllowHttp to true to serve HTTP deliberately",
  };
}

/** `…@sha256:<64 hex>`: an image pinned to one build, whatever its tag says. */
const DIGEST = /@sha256:[0-9a-f]{64}$/;

/**
 * A stack other than the trial stack names every image by digest: a tag can be moved to another build,
 * and these images run next to the Oracle credentials (the web app's pod, the host whose role reads
 * Secrets Manager).
 */
export function checkImagesByDigest(stack: string, images: Readonly<Record<string, string>>): KeyProblem[] {
  if (isTrialStack(stack)) return [];
  return Object.entries(images)
    .filter(([, image]) => !DIGEST.test(image))
    .map(([key]) => ({
      key,
      message:
        `must name the image by digest (@sha256:<digest>) on stack "${stack}": a tag can be moved to another ` +
        "build; mirror the image into your ECR and use the digest the push prints (docs/production.md)",
    }));
}

/** Ranges reserved for documentation (RFC 5737, RFC 3849): placeholders, never a real client. */
const DOCUMENTATION_RANGES = ["192.0.2.0/24", "198.51.100.0/24", "203.0.113.0/24", "2001:db8::/32"];

/** The CIDRs among `cidrs` that lie inside a documentation range. */
export function documentationCidrs(cidrs: readonly string[]): string[] {
  return cidrs.filter((cidr) => {
    const [addr] = ipaddr.parseCIDR(cidr);
    return DOCUMENTATION_RANGES.some((range) => {
      const parsed = ipaddr.parseCIDR(range);
      return addr.kind() === parsed[0].kind() && addr.match(parsed);
    });
  });
}

/** The config keys that hold client addresses, where a documentation range can only be a placeholder. */
export const ADDRESS_KEYS = ["allowedCidrs", "eksPublicAccessCidrs", "webappAllowedCidrs"] as const;

/** A stack other than the trial stack keeps no documentation placeholder in an address key. */
export function checkNoPlaceholders(
  stack: string,
  lists: Readonly<Record<(typeof ADDRESS_KEYS)[number], readonly string[]>>,
): KeyProblem[] {
  if (isTrialStack(stack)) return [];
  return ADDRESS_KEYS.flatMap((key) => {
    const placeholders = documentationCidrs(lists[key]);
    if (placeholders.length === 0) return [];
    return [
      {
        key,
        message:
          `${placeholders.join(", ")} is a documentation range (a placeholder no real client has); replace it ` +
          "with your own addresses (docs/production.md)",
      },
    ];
  });
}

/** A warning naming each config key that still holds a documentation placeholder, or undefined. */
export function placeholderWarning(lists: Readonly<Record<string, readonly string[]>>): string | undefined {
  const found = Object.entries(lists)
    .map(([key, cidrs]) => [key, documentationCidrs(cidrs)] as const)
    .filter(([, cidrs]) => cidrs.length > 0);
  if (found.length === 0) return undefined;
  return (
    `${found.map(([key, cidrs]) => `${key} (${cidrs.join(", ")})`).join("; ")}: documentation ranges that ` +
    "no real client has; replace them with your own addresses before relying on this deployment"
  );
}
