import ipaddr from "ipaddr.js";
import { PROJECTS } from "../../lib/contracts";
import type { StackProject } from "../stacks";
import type { Operation, StackHandle } from "./orchestrate";

/**
 * What still needs the deployer's own address. The stacks' deploy-time actions against the web app
 * and OpenSearch run inside the EKS cluster (Kubernetes Jobs, through the NAT gateways), and the
 * readiness gates and the Redshift Data API go through AWS and Confluent APIs, so neither
 * `aws-resources:allowedCidrs` nor the ALB's inbound rules matter to `up`. One thing does: the
 * Kubernetes provider of all three stacks talks to the EKS API endpoint from the machine running
 * Pulumi, and `aws-resources:eksPublicAccessCidrs`, when set, must admit that machine. This check
 * stops `preview`/`up`/`destroy` before anything changes when it does not, with the command that fixes it.
 */

export const CHECKIP_URL = "https://checkip.amazonaws.com";
const EKS_CIDRS_KEY = "aws-resources:eksPublicAccessCidrs";

/** The subset of fetch the lookup uses (injected in tests). */
export type TextFetch = (
  url: string,
  init: { signal: AbortSignal },
) => Promise<{ ok: boolean; text(): Promise<string> }>;

/** This machine's public IPv4 address as AWS sees it, or undefined when it cannot be looked up quickly. */
export async function lookUpPublicIp(fetch: TextFetch, timeoutMs = 3000): Promise<string | undefined> {
  try {
    const res = await fetch(CHECKIP_URL, { signal: AbortSignal.timeout(timeoutMs) });
    if (!res.ok) return undefined;
    const ip = (await res.text()).trim();
    return ipaddr.IPv4.isValidFourPartDecimal(ip) ? ip : undefined;
  } catch {
    return undefined;
  }
}

/** True when `ip` lies in one of `cidrs` (unparsable entries are left to the stack's config check). */
export function admitted(cidrs: readonly string[], ip: string): boolean {
  const addr = ipaddr.parse(ip);
  return cidrs.some((c) => {
    if (!ipaddr.isValidCIDR(c)) return false;
    const [net, bits] = ipaddr.parseCIDR(c);
    return net.kind() === addr.kind() && addr.match(net, bits);
  });
}

/** The config value as `pulumi config` returns it (a JSON array), or [] when unset or unreadable. */
export function parseCidrList(raw: string | undefined): string[] {
  if (!raw) return [];
  try {
    const value = JSON.parse(raw) as unknown;
    return Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];
  } catch {
    return [];
  }
}

/**
 * The problem with the EKS endpoint's allow-list for this machine, or undefined when there is none:
 * an empty list (EKS admits any address, every request IAM-authenticated), an address inside it, or an
 * address that cannot be looked up (then nothing can be said in advance).
 */
export function eksEndpointProblem(
  cidrs: readonly string[],
  ip: string | undefined,
  stack: string,
): string | undefined {
  if (cidrs.length === 0 || ip === undefined || admitted(cidrs, ip)) return undefined;
  return (
    `${EKS_CIDRS_KEY} (${cidrs.join(", ")}) does not admit this machine's public address ${ip}; the Kubernetes ` +
    "provider reaches the EKS API from here and would fail after the cluster exists. Add it with " +
    `\`cd stacks/aws-resources && pulumi config set --path 'eksPublicAccessCidrs[${cidrs.length}]' ${ip}/32 --stack ${stack}\`, ` +
    "or run from inside the VPC (the endpoint's private access is on)"
  );
}

/**
 * The per-stack check for an operation: only the aws-resources stack's config holds the list, and the
 * address is looked up at most once per run.
 */
export function deployerAddressCheck(op: Operation, stack: string, fetch: TextFetch) {
  let ip: Promise<string | undefined> | undefined;
  return async (project: StackProject, handle: StackHandle): Promise<string[]> => {
    if (op === "outputs" || project !== PROJECTS.awsResources) return [];
    const cidrs = parseCidrList(await handle.getConfig(EKS_CIDRS_KEY));
    if (cidrs.length === 0) return [];
    ip ??= lookUpPublicIp(fetch);
    const problem = eksEndpointProblem(cidrs, await ip, stack);
    return problem ? [problem] : [];
  };
}
