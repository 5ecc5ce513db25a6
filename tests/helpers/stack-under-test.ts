import { PROJECTS } from "../../lib/contracts";
import { stackReferenceName } from "../../lib/stack-outputs";
import type { InvokeFixture } from "../../tools/offline/fixtures";
import type { UpstreamStack } from "../../tools/offline/mocks";
import { readProject, stackConfig } from "../../tools/offline/project-config";
import type { StackRun } from "../../tools/offline/run-stack";
import { MOCK_ORGANIZATION, runStack } from "../../tools/offline/run-stack";
import type { StackProject } from "../../tools/stacks";
import { loadProgram, STACK_ORDER } from "../../tools/stacks";
import { syntheticUpstream } from "./synthetic-upstream";

export interface StackUnderTest {
  /** The stack whose `Pulumi.<stack>.yaml` the run reads. @default "dev" */
  readonly stack?: string;
  /**
   * Config on top of it, as in a stack file: unqualified keys of the project or qualified ones
   * (`aws:region`); `null` unsets a key.
   */
  readonly overrides?: Readonly<Record<string, unknown>>;
  /**
   * Per upstream project (each one before this in STACK_ORDER): outputs that replace its synthetic
   * ones; `undefined` deletes an output.
   */
  readonly upstream?: Partial<Record<StackProject, Readonly<Record<string, unknown>>>>;
  /** Data-source answers that replace the default fixtures. */
  readonly invokes?: Readonly<Record<string, InvokeFixture>>;
  /** Run as a preview: computed values stay unknown. */
  readonly preview?: boolean;
}

/** The config key through which `project`'s downstream stacks may name it: `awsResourcesStack`, … */
const referenceKey = (project: StackProject) =>
  `${Object.entries(PROJECTS).find(([, name]) => name === project)?.[0]}Stack`;

/**
 * Runs one stack program offline, as `pulumi up` would see it: its config from Pulumi.yaml and
 * `Pulumi.<stack>.yaml` plus `overrides`, and each upstream project's outputs (synthetic, satisfying
 * its contract) served under the name the stack opens: the one its `<project>Stack` config key gives,
 * else `<organization>/<project>/<stack>`.
 */
export async function runStackUnderTest(project: StackProject, opts: StackUnderTest = {}): Promise<StackRun> {
  const stack = opts.stack ?? "dev";
  const { config, secretKeys } = stackConfig(readProject(project), stack, opts.overrides ?? {});
  const upstream: Record<string, UpstreamStack> = {};
  for (const up of STACK_ORDER.slice(0, STACK_ORDER.indexOf(project))) {
    const name = config[`${project}:${referenceKey(up)}`] || stackReferenceName(MOCK_ORGANIZATION, up, stack);
    upstream[name] = syntheticUpstream(up, opts.upstream?.[up]);
  }
  const awsRegion = upstream[stackReferenceName(MOCK_ORGANIZATION, PROJECTS.awsResources, stack)]?.outputs;
  return runStack({
    project,
    stack,
    region: config[`${project}:region`] || String(awsRegion?.awsRegion ?? "us-east-1"),
    config,
    secretKeys,
    upstream,
    program: await loadProgram(project),
    quiet: true,
    ...(opts.invokes ? { invokes: opts.invokes } : {}),
    ...(opts.preview ? { preview: true } : {}),
  });
}

const shared = new Map<string, Promise<StackRun>>();

/**
 * The text that tells one set of options from another, or undefined when they hold something JSON
 * would drop or alter: `undefined` (an upstream output to delete), a function (an `invokes`
 * fixture), a symbol, a bigint, a number JSON has no word for, or an object that is not a plain
 * object or array. Two such sets could get the same text yet ask for different runs.
 */
function cacheKey(value: unknown): string | undefined {
  const plain = (v: unknown): boolean => {
    if (v === null || typeof v === "string" || typeof v === "boolean") return true;
    if (typeof v === "number") return Number.isFinite(v);
    if (typeof v !== "object") return false;
    if (Array.isArray(v)) return v.every(plain);
    const proto = Object.getPrototypeOf(v) as unknown;
    return (proto === Object.prototype || proto === null) && Object.values(v).every(plain);
  };
  return plain(value) ? JSON.stringify(value) : undefined;
}

/**
 * `runStackUnderTest`, run once per process for the same project and options and shared by every
 * test that asks: for tests that only read the run (a stack run is immutable). Options that
 * cacheKey cannot tell apart safely (a function, `undefined`, …) get a run of their own.
 */
export function sharedStackRun(project: StackProject, opts: StackUnderTest = {}): Promise<StackRun> {
  const key = cacheKey([project, opts]);
  if (key === undefined) return runStackUnderTest(project, opts);
  let run = shared.get(key);
  if (!run) {
    run = runStackUnderTest(project, opts);
    shared.set(key, run);
  }
  return run;
}
