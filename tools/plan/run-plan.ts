import { stackReferenceName } from "../../lib/stack-outputs";
import type { UpstreamStack } from "../offline/mocks";
import type { StackProgram, StackRun } from "../offline/run-stack";
import { asUpstream, MOCK_ORGANIZATION, runStack } from "../offline/run-stack";
import type { ProjectFile } from "../offline/project-config";
import { readProject, stackConfig } from "../offline/project-config";
import type { StackProject } from "../stacks";
import { DEFAULT_STACK, STACK_ORDER, loadProgram } from "../stacks";
import type { CostEstimate } from "./cost/estimate";
import { planCost } from "./cost/plan-cost";
import type { CriticalPath } from "./estimate";
import { estimateDeployment } from "./estimate";
import type { Evaluator, Finding } from "./policy/evaluate";
import { evaluateDeployment, policyConfigFor } from "./policy/evaluate";

/**
 * The offline plan: the three stack programs in deployment order in ONE process (each provider
 * SDK loads once), each under recording mocks with its `Pulumi.<stack>.yaml` config, each fed the
 * finished runs before it as the stacks its StackReferences read.
 */

const FALLBACK_REGION = "us-east-1";

export interface PlanStack {
  readonly project: ProjectFile;
  readonly program: StackProgram;
}

/** Where a stack comes from: the real `stacks/<name>` by default, fakes in tests. */
export interface PlanStackSource {
  readonly name: string;
  load(): Promise<PlanStack>;
}

export interface PlanOptions {
  /** Pulumi stack name whose `Pulumi.<stack>.yaml` is used. @default "dev" */
  readonly stack?: string;
  /**
   * Config overrides, fully qualified like `pulumi config set` keys: `connector:foo` goes to the
   * connector stack only, keys of other namespaces (`aws:region`) to every stack.
   */
  readonly overrides?: Readonly<Record<string, unknown>>;
  readonly stacks?: readonly PlanStackSource[];
  /** What finds the policy violations. @default evaluateDeployment: the policy pack's rules */
  readonly evaluate?: Evaluator;
  /** Keep the programs' warnings in each run (`StackRun.warnings`) instead of logging them. */
  readonly quiet?: boolean;
}

export interface PlannedStack {
  readonly run: StackRun;
  readonly config: Readonly<Record<string, string>>;
  readonly region: string;
}

export interface PlanResult {
  readonly stack: string;
  readonly stacks: readonly PlannedStack[];
  readonly findings: readonly Finding[];
  readonly estimate: CriticalPath;
  readonly cost: CostEstimate;
}

/** A stack that failed: which one, why, and the stacks that finished before it. */
export class PlanError extends Error {
  constructor(
    readonly stackProject: string,
    override readonly cause: unknown,
    readonly completed: readonly PlannedStack[],
  ) {
    super(`${stackProject}: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = "PlanError";
  }
}

/** The stack `stacks/<name>` as it is. */
export function realStack(name: StackProject): PlanStackSource {
  return { name, load: async () => ({ project: readProject(name), program: await loadProgram(name) }) };
}

const REAL_STACKS: readonly PlanStackSource[] = STACK_ORDER.map(realStack);

/** The overrides that apply to one project (its own keys and other namespaces' keys). */
export function overridesFor(
  project: string,
  projects: readonly string[],
  overrides: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(overrides).filter(([key]) => {
      const ns = key.includes(":") ? key.slice(0, key.indexOf(":")) : project;
      return ns === project || !projects.includes(ns);
    }),
  );
}

/** The AWS region mocks use for a stack: its own config, else the upstream's, else a default. */
export function regionOf(
  project: string,
  config: Readonly<Record<string, string>>,
  upstream?: string,
): string {
  return config["aws:region"] ?? config[`${project}:region`] ?? upstream ?? FALLBACK_REGION;
}

export async function runPlan(opts: PlanOptions = {}): Promise<PlanResult> {
  const stackName = opts.stack ?? DEFAULT_STACK;
  const sources = opts.stacks ?? REAL_STACKS;
  const projectNames = sources.map((s) => s.name);
  const planned: PlannedStack[] = [];
  const upstream: Record<string, UpstreamStack> = {};
  for (const source of sources) {
    try {
      const { project, program } = await source.load();
      const { config, secretKeys } = stackConfig(
        project,
        stackName,
        overridesFor(project.name, projectNames, opts.overrides ?? {}),
      );
      const region = regionOf(project.name, config, planned[0]?.region);
      const run = await runStack({
        project: project.name,
        stack: stackName,
        region,
        config,
        secretKeys,
        program,
        upstream: { ...upstream },
        quiet: opts.quiet ?? false,
      });
      upstream[stackReferenceName(MOCK_ORGANIZATION, project.name, stackName)] = asUpstream(run);
      planned.push({ run, config, region });
    } catch (err) {
      throw new PlanError(source.name, err, planned);
    }
  }
  const runs = planned.map((p) => p.run);
  const evaluate = opts.evaluate ?? evaluateDeployment;
  const findings = evaluate(
    runs,
    policyConfigFor(
      planned.map((p) => p.config),
      stackName,
    ),
  );
  let cost: CostEstimate;
  try {
    cost = planCost(planned);
  } catch (err) {
    throw new PlanError("cost estimate", err, planned);
  }
  return { stack: stackName, stacks: planned, findings, estimate: estimateDeployment(runs), cost };
}
