import ipaddr from "ipaddr.js";
import { z } from "zod";
import { WORLD_OPEN_MAX_PREFIX } from "./cidr-limits";
import { list, matches, optionalMatches, str } from "./config";

/**
 * Pure checks shared by every stack's config schema. Each returns `undefined` when the value is
 * fine, or a message that says what is allowed — so they read the same in a zod refinement, in
 * a policy rule and in a test.
 */

/** AWS regions where EKS Auto Mode, Redshift RA3, OpenSearch and Confluent Cloud (AWS) all exist. */
const AWS_REGIONS = [
  "us-east-1",
  "us-east-2",
  "us-west-1",
  "us-west-2",
  "ca-central-1",
  "eu-west-1",
  "eu-west-2",
  "eu-west-3",
  "eu-central-1",
  "eu-central-2",
  "eu-north-1",
  "eu-south-1",
  "eu-south-2",
  "ap-south-1",
  "ap-south-2",
  "ap-southeast-1",
  "ap-southeast-2",
  "ap-southeast-3",
  "ap-northeast-1",
  "ap-northeast-2",
  "ap-northeast-3",
  "sa-east-1",
  "me-central-1",
  "af-south-1",
] as const;

export function checkAwsRegion(value: string): string | undefined {
  return (AWS_REGIONS as readonly string[]).includes(value)
    ? undefined
    : `must be an AWS region code such as us-east-1; supported: ${AWS_REGIONS.join(", ")}`;
}

/** Parses an IPv4/IPv6 CIDR; returns the [address, prefix] pair or a message. */
function parseCidr(value: string): [ipaddr.IPv4 | ipaddr.IPv6, number] | string {
  if (!ipaddr.isValidCIDR(value)) return "must be a CIDR block such as 203.0.113.7/32 or 10.1.0.0/16";
  return ipaddr.parseCIDR(value);
}

/** The narrowest prefix lengths a CIDR may have: one each for IPv4 and IPv6. */
export interface PrefixLimit {
  readonly ipv4: number;
  readonly ipv6: number;
}

/**
 * A CIDR that may be allowed to reach an admin/data port: valid, in canonical form (no host bits
 * set), and not world-open: a /8 or wider (IPv4), a /32 or wider (IPv6) is refused as effectively
 * open to the internet. `widest`, when given, is the widest prefix accepted (e.g. /16 off the trial
 * stack).
 */
export function checkRestrictedCidr(value: string, widest?: PrefixLimit): string | undefined {
  const parsed = parseCidr(value);
  if (typeof parsed === "string") return parsed;
  const [addr, bits] = parsed;
  const v4 = addr.kind() === "ipv4";
  const worldOpen = v4 ? WORLD_OPEN_MAX_PREFIX.ipv4 : WORLD_OPEN_MAX_PREFIX.ipv6;
  if (bits <= worldOpen) {
    return `${value} is open to (nearly) the whole internet; give the narrowest CIDR you need (IPv4 /${WORLD_OPEN_MAX_PREFIX.ipv4 + 1} or longer, IPv6 /${WORLD_OPEN_MAX_PREFIX.ipv6 + 1} or longer)`;
  }
  const min = widest && (v4 ? widest.ipv4 : widest.ipv6);
  if (min !== undefined && bits < min) {
    return `${value} is wider than /${min}, the widest range this stack accepts; list the narrower ranges you need`;
  }
  return checkCanonicalCidr(value);
}

/** A valid CIDR with no host bits set. */
export function checkCanonicalCidr(value: string): string | undefined {
  const parsed = parseCidr(value);
  if (typeof parsed === "string") return parsed;
  const [addr, bits] = parsed;
  const network = networkAddress(addr, bits);
  if (network !== addr.toString()) return `host bits are set; did you mean ${network}/${bits}?`;
  return undefined;
}

/** A private (RFC 1918) IPv4 CIDR for a VPC, with a prefix length within [minBits, maxBits]. */
export function checkVpcCidr(value: string, minBits = 16, maxBits = 20): string | undefined {
  const parsed = parseCidr(value);
  if (typeof parsed === "string") return parsed;
  const [addr, bits] = parsed;
  if (addr.kind() !== "ipv4" || addr.range() !== "private") {
    return "must be a private IPv4 range (10.0.0.0/8, 172.16.0.0/12 or 192.168.0.0/16)";
  }
  if (bits < minBits || bits > maxBits) return `prefix length must be /${minBits} to /${maxBits}`;
  const network = networkAddress(addr, bits);
  if (network !== addr.toString()) return `host bits are set; did you mean ${network}/${bits}?`;
  return undefined;
}

function networkAddress(addr: ipaddr.IPv4 | ipaddr.IPv6, bits: number): string {
  const bytes = addr.toByteArray();
  const out = bytes.map((b, i) => {
    const keep = Math.max(0, Math.min(8, bits - i * 8));
    return b & (0xff << (8 - keep)) & 0xff;
  });
  return ipaddr.fromByteArray(out).toString();
}

/**
 * Splits a VPC CIDR into `count` equal subnets of `newBits` more prefix bits, in address order.
 * Pure, so subnet layout is tested without a cloud.
 */
export function splitCidr(vpcCidr: string, newBits: number, count: number): string[] {
  const [addr, bits] = ipaddr.IPv4.parseCIDR(vpcCidr);
  const size = 2 ** (32 - bits - newBits);
  if (count > 2 ** newBits) throw new Error(`${vpcCidr} cannot hold ${count} subnets of /${bits + newBits}`);
  const base = addr.toByteArray().reduce((acc, b) => acc * 256 + b, 0);
  return Array.from({ length: count }, (_, i) => {
    let n = base + i * size;
    const bytes = [0, 0, 0, 0].map(() => {
      const b = n % 256;
      n = Math.floor(n / 256);
      return b;
    });
    return `${bytes.reverse().join(".")}/${bits + newBits}`;
  });
}

/** Zod helpers built on the checks above, for config schemas. */
export const zRestrictedCidr = (widest?: PrefixLimit) =>
  z.string().superRefine((v, ctx) => {
    const problem = checkRestrictedCidr(v, widest);
    if (problem) ctx.addIssue({ code: "custom", message: `${JSON.stringify(v)}: ${problem}` });
  });

export const zAwsRegion = () =>
  str().superRefine((v, ctx) => {
    const problem = checkAwsRegion(v);
    if (problem) ctx.addIssue({ code: "custom", message: problem });
  });

/** A short lowercase name part used to build AWS and Confluent resource names. */
const NAME_PART = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;
export function checkNamePart(value: string, maxLength: number): string | undefined {
  if (!NAME_PART.test(value)) {
    return "must start with a lowercase letter and contain only lowercase letters, digits and single hyphens (no trailing hyphen)";
  }
  if (value.length > maxLength) return `must be at most ${maxLength} characters`;
  return undefined;
}

/** AWS tag values: letters, digits, spaces and + - = . _ : / @, 1-256 characters. */
const TAG_VALUE = /^[\p{L}\p{N} +\-=._:/@]{1,256}$/u;
export const zTagValue = () =>
  matches(
    TAG_VALUE,
    "must be 1-256 characters of letters, digits, spaces and + - = . _ : / @ (an AWS tag value)",
  );

/** A fully qualified Pulumi stack name, for overriding a default stack reference. */
const STACK_NAME = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/;
export const zOptionalStackName = () =>
  optionalMatches(
    STACK_NAME,
    "must be a fully qualified stack name, <organization>/<project>/<stack>, or empty for the default",
  );

/**
 * An address SNS and AWS Budgets deliver to: one `@`, a dotted domain with a letter-only top-level
 * label, no spaces, quotes, commas or angle brackets (so a pasted "Name <a@b.c>" or a comma-joined
 * list is refused rather than half-subscribed), at most 254 characters. Returns what is wrong, or
 * undefined.
 */
export function checkEmailAddress(value: string): string | undefined {
  const shape = "must be one email address such as oncall@example.com";
  if (value.length > 254) return `${shape} (at most 254 characters)`;
  const m =
    /^([^\s@"<>,;()]+)@([A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\.[A-Za-z]{2,63})$/.exec(
      value,
    );
  if (!m) return shape;
  const local = m[1] ?? "";
  if (local.length > 64 || local.startsWith(".") || local.endsWith(".") || local.includes("..")) {
    return `${shape} (the part before @ is not a valid mailbox)`;
  }
  return undefined;
}

/**
 * A JSON list of at most `max` email addresses, each checked by `checkEmailAddress` and none listed
 * twice (in any case): every address becomes a subscription its owner must confirm. `limit` says
 * where the maximum comes from.
 */
export const zEmailList = (max: number, limit: string) =>
  list(
    z.string().superRefine((v, ctx) => {
      const problem = checkEmailAddress(v);
      if (problem) ctx.addIssue({ code: "custom", message: `${JSON.stringify(v)}: ${problem}` });
    }),
  ).superRefine((emails, ctx) => {
    if (emails.length > max) {
      ctx.addIssue({ code: "custom", message: `must list at most ${max} addresses (${limit})` });
    }
    const seen = new Set<string>();
    for (const e of emails) {
      const key = e.toLowerCase();
      if (seen.has(key)) ctx.addIssue({ code: "custom", message: `${JSON.stringify(e)} is listed twice` });
      seen.add(key);
    }
  });

/** A Kubernetes namespace name: a DNS label (RFC 1123) of at most 63 characters. */
export const K8S_NAMESPACE_NAME = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;
