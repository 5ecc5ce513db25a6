import type { RecordedResource } from "../offline/mocks";
import type { StackRun } from "../offline/run-stack";

/**
 * How one stack's resources group for the diagram (top-level components with everything below
 * them), the dependency edges between those groups, and the cross-stack edges from an upstream
 * stack's outputs to the downstream groups that consume them.
 */

export interface Group {
  readonly id: string;
  readonly root: RecordedResource;
  readonly members: readonly RecordedResource[];
}

const STACK_TYPE = "pulumi:pulumi:Stack";

/** Resources in parent-before-children order, each with its depth below the stack. */
export function treeOrder(resources: readonly RecordedResource[]): { r: RecordedResource; depth: number }[] {
  const urns = new Set(resources.map((r) => r.urn));
  const children = new Map<string, RecordedResource[]>();
  const roots: RecordedResource[] = [];
  for (const r of resources) {
    if (r.type === STACK_TYPE) continue;
    if (urns.has(r.parentUrn) && !r.parentUrn.includes(`::${STACK_TYPE}::`)) {
      children.set(r.parentUrn, [...(children.get(r.parentUrn) ?? []), r]);
    } else roots.push(r);
  }
  const out: { r: RecordedResource; depth: number }[] = [];
  const walk = (r: RecordedResource, depth: number) => {
    out.push({ r, depth });
    for (const c of children.get(r.urn) ?? []) walk(c, depth + 1);
  };
  for (const r of roots) walk(r, 0);
  return out;
}

/**
 * Top-level resources of a stack, each with its descendants. Top-level providers are left out:
 * every resource uses one, so they would only add an edge to every node.
 */
export function groupsOf(run: StackRun, idPrefix: string): Group[] {
  const groups: { root: RecordedResource; members: RecordedResource[] }[] = [];
  let skipping = false;
  for (const { r, depth } of treeOrder(run.resources)) {
    if (depth === 0) {
      skipping = r.type.startsWith("pulumi:providers:");
      if (!skipping) groups.push({ root: r, members: [r] });
    } else if (!skipping) groups[groups.length - 1]!.members.push(r);
  }
  return groups.map((g, i) => ({ id: `${idPrefix}${i}`, ...g }));
}

/** `[from, to]` pairs: group `from` must exist before group `to` (recorded deps and providers). */
export function groupEdges(groups: readonly Group[]): [string, string][] {
  const owner = new Map<string, string>();
  for (const g of groups) for (const m of g.members) owner.set(m.urn, g.id);
  const edges = new Map<string, [string, string]>();
  for (const g of groups) {
    for (const m of g.members) {
      const providerUrn = m.providerRef.split("::").slice(0, -1).join("::");
      for (const dep of [...m.dependencyUrns, providerUrn]) {
        const from = owner.get(dep);
        if (from && from !== g.id) edges.set(`${from}>${g.id}`, [from, g.id]);
      }
    }
  }
  return [...edges.values()];
}

/**
 * Values of an upstream stack's outputs worth matching in downstream inputs: strings (or string
 * list items) long enough not to match by accident, minus values the downstream stack also has in
 * its own config (e.g. the region), which would otherwise link everything to everything.
 */
function needles(outputs: Record<string, unknown>, exclude: ReadonlySet<string>): Map<string, string[]> {
  const byOutput = new Map<string, string[]>();
  // Outputs with the same value (a name prefix reused as a cluster name) cannot be told apart;
  // the first in contract order stands for all of them.
  const seen = new Set<string>(exclude);
  for (const [name, value] of Object.entries(outputs)) {
    const items = Array.isArray(value) ? value : [value];
    const strings = items.filter((v): v is string => typeof v === "string" && v.length >= 8 && !seen.has(v));
    strings.forEach((v) => seen.add(v));
    if (strings.length > 0) byOutput.set(name, strings);
  }
  return byOutput;
}

function containsValue(value: unknown, needle: string): boolean {
  if (typeof value === "string") return value === needle || (needle.length >= 12 && value.includes(needle));
  if (Array.isArray(value)) return value.some((v) => containsValue(v, needle));
  if (value !== null && typeof value === "object") {
    return Object.values(value).some((v) => containsValue(v, needle));
  }
  return false;
}

/**
 * Which outputs of `upstream` each downstream group consumes, found by matching output values in
 * the downstream resources' inputs (the StackReference itself records no per-output reads).
 */
export function crossStackUses(
  upstream: StackRun,
  groups: readonly Group[],
  downstreamConfigValues: ReadonlySet<string>,
): Map<string, string[]> {
  const uses = new Map<string, string[]>();
  const wanted = needles(upstream.outputs, downstreamConfigValues);
  for (const g of groups) {
    const names = [...wanted]
      .filter(([, values]) => values.some((v) => g.members.some((m) => containsValue(m.inputs, v))))
      .map(([name]) => name);
    if (names.length > 0) uses.set(g.id, names);
  }
  return uses;
}
