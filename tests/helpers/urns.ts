import type { RecordedResource } from "../../tools/offline/mocks";
import { inheritedAlias } from "../../tools/offline/urn";

/**
 * Whether a stack's resources still answer to the URNs its deployed state holds. A resource whose URN
 * is not in that state is created anew (and the one it replaces deleted) unless one of its aliases
 * names the old URN; a child of an aliased component inherits the component's aliases.
 */

/** Every URN a resource answers to: its own, its aliases, and those it inherits from its parents. */
export function answeredUrns(resources: readonly RecordedResource[]): Map<RecordedResource, Set<string>> {
  const byUrn = new Map(resources.map((r) => [r.urn, r] as const));
  const known = new Map<RecordedResource, Set<string>>();
  const walk = (r: RecordedResource): Set<string> => {
    const done = known.get(r);
    if (done) return done;
    const own = [r.urn, ...r.aliases];
    const parent = byUrn.get(r.parentUrn);
    const parentAliases = parent ? [...walk(parent)].filter((u) => u !== parent.urn) : [];
    const all = new Set([
      ...own,
      ...own.flatMap((urn) => parentAliases.map((alias) => inheritedAlias({ urn }, r.parentUrn, alias))),
    ]);
    known.set(r, all);
    return all;
  };
  resources.forEach(walk);
  return known;
}

/**
 * What would change for a stack whose state holds `recorded`: resources that answer to none of its
 * URNs (created), recorded URNs no resource answers to (deleted), and URNs two resources claim.
 */
export function urnChanges(recorded: readonly string[], resources: readonly RecordedResource[]): string[] {
  const state = new Set(recorded);
  const claimed = new Map<string, string[]>();
  const problems: string[] = [];
  for (const [r, urns] of answeredUrns(resources)) {
    const old = [...urns].filter((u) => state.has(u));
    if (old.length === 0) problems.push(`created: ${r.urn} (no URN of the state, and no alias naming one)`);
    for (const u of old) claimed.set(u, [...(claimed.get(u) ?? []), r.urn]);
  }
  for (const u of recorded) {
    const by = claimed.get(u) ?? [];
    if (by.length === 0) problems.push(`deleted: ${u} (no resource has this URN or an alias naming it)`);
    if (by.length > 1) problems.push(`claimed twice: ${u} by ${by.join(", ")}`);
  }
  return problems;
}
