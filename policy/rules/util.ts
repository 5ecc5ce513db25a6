/**
 * Small readers shared by the rules. Resource properties reach a policy as untyped JSON (the
 * engine's view of the inputs), so every rule reads them through these narrowing helpers instead
 * of trusting a shape. Plain TypeScript on purpose: the pack is compiled by Pulumi's own ts-node
 * (target ES2020), not by this repository's toolchain.
 */

import type { PolicyResource } from "@pulumi/policy";
import { WORLD_OPEN_MAX_PREFIX } from "../../lib/cidr-limits";

export type Props = Record<string, unknown>;

export function isRecord(v: unknown): v is Props {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** A nested object property, or an empty object. */
export function record(v: unknown): Props {
  return isRecord(v) ? v : {};
}

/** An array property, or an empty array. */
export function list(v: unknown): unknown[] {
  return Array.isArray(v) ? v : [];
}

export function strings(v: unknown): string[] {
  return list(v).filter((x): x is string => typeof x === "string");
}

/** Provider v7 types some booleans as strings (e.g. Redshift `encrypted`): accept both. */
export function isTrue(v: unknown): boolean {
  return v === true || v === "true";
}

/** A string map (tags, ConfigMap data): non-string values are dropped. */
export function stringMap(v: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, val] of Object.entries(record(v))) if (typeof val === "string") out[k] = val;
  return out;
}

/**
 * A policy document given as a JSON string (how the AWS provider takes it) or as an object.
 * Returns undefined when the string is not JSON.
 */
export function parseJson(v: unknown): unknown {
  if (typeof v !== "string") return v;
  try {
    return JSON.parse(v);
  } catch {
    return undefined;
  }
}

/**
 * True when a CIDR covers (about) the whole internet: a /8 or wider (IPv4), a /32 or wider (IPv6).
 * The stacks' config validator refuses the same ranges (lib/cidr-limits.ts), so `0.0.0.0/1`-style
 * splits cannot slip past a literal `0.0.0.0/0` comparison.
 */
export function isWorldCidr(cidr: string): boolean {
  const [address, bits] = cidr.trim().split("/");
  if (!address || bits === undefined || !/^\d+$/.test(bits)) return false;
  const prefix = Number(bits);
  return prefix <= (address.includes(":") ? WORLD_OPEN_MAX_PREFIX.ipv6 : WORLD_OPEN_MAX_PREFIX.ipv4);
}

/**
 * The resources of `type` that belong to `target`: they depend on it (an output of it flows into
 * them, under a real preview and offline alike) or name it through `key`.
 */
export function related(
  resources: readonly PolicyResource[],
  target: PolicyResource,
  type: string,
  key: string,
  value: unknown,
): PolicyResource[] {
  return resources.filter(
    (r) =>
      r.type === type &&
      (r.dependencies.some((d) => d.urn === target.urn) || (value !== undefined && r.props[key] === value)),
  );
}
