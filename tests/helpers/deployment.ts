import * as pulumi from "@pulumi/pulumi";
import type { StackRun } from "../../tools/offline/run-stack";
import { readProject } from "../../tools/offline/project-config";
import { evaluateDeployment, skipPolicies } from "../../tools/plan/policy/evaluate";
import type { PlanOptions, PlanResult, PlanStackSource } from "../../tools/plan/run-plan";
import { realStack, runPlan } from "../../tools/plan/run-plan";
import type { StackProject } from "../../tools/stacks";
import { STACK_ORDER } from "../../tools/stacks";
import { PROD_REPLACEMENTS } from "./prod-config";

/**
 * The whole deployment (aws-resources → connector → processing) under mocks, through the offline
 * plan's own runner (`runPlan`), plus one stack at a time after a finished deployment: the stacks
 * before it are replayed from their recorded outputs (optionally tampered with), so a test can feed a
 * stack a missing or mistyped upstream output without running its upstream programs again.
 */

/** Marks an upstream output as deleted in a tamper. */
export const MISSING = Symbol("missing output");

/** Per upstream project: output name → new value (or MISSING to delete it). */
export type UpstreamTamper = Partial<Record<StackProject, Readonly<Record<string, unknown>>>>;

export interface StackTrial {
  /** The stack that runs for real. */
  readonly stack: StackProject;
  /** Config overrides; unqualified keys belong to `stack`, qualified ones (`aws:region`) stay as given. */
  readonly override?: Readonly<Record<string, unknown>>;
  readonly upstreamTamper?: UpstreamTamper;
  /** What finds the policy violations. @default skipPolicies */
  readonly evaluate?: PlanOptions["evaluate"];
}

/** Runs the plan with the programs' warnings kept in each run, not logged (the dev stack warns about the open EKS endpoint). */
export function quietPlan(opts: PlanOptions): Promise<PlanResult> {
  return runPlan({ ...opts, quiet: true });
}

let dev: Promise<PlanResult> | undefined;

/** The dev deployment with Pulumi.dev.yaml, no policies: run once per process and shared. */
export function devDeployment(): Promise<PlanResult> {
  dev ??= quietPlan({ evaluate: skipPolicies });
  return dev;
}

let prod: Promise<PlanResult> | undefined;

/**
 * The prod deployment as docs/production.md has an operator complete it (PROD_REPLACEMENTS), with the
 * policy pack: run once per process and shared.
 */
export function prodDeployment(): Promise<PlanResult> {
  prod ??= quietPlan({ stack: "prod", overrides: PROD_REPLACEMENTS, evaluate: evaluateDeployment });
  return prod;
}

/** The runs of a plan by project. */
export function runsOf(plan: PlanResult): Record<StackProject, StackRun> {
  const byProject = new Map(plan.stacks.map((s) => [s.run.project, s.run] as const));
  return Object.fromEntries(
    STACK_ORDER.map((p) => {
      const run = byProject.get(p);
      if (!run) throw new Error(`the plan has no ${p} run`);
      return [p, run];
    }),
  ) as Record<StackProject, StackRun>;
}

/**
 * A stand-in for a finished stack: its program registers nothing and returns the recorded outputs
 * (secret ones still secret), with `changes` applied.
 */
export function replayedStack(
  run: StackRun,
  changes: Readonly<Record<string, unknown>> = {},
): PlanStackSource {
  const outputs: Record<string, unknown> = { ...run.outputs };
  for (const [name, value] of Object.entries(changes)) {
    if (value === MISSING) delete outputs[name];
    else outputs[name] = value;
  }
  const secret = new Set(run.secretOutputNames);
  return {
    name: run.project,
    load: async () => ({
      project: readProject(run.project),
      program: async () =>
        Object.fromEntries(
          Object.entries(outputs).map(([k, v]) => [k, secret.has(k) ? pulumi.secret(v) : v] as const),
        ),
    }),
  };
}

/** Qualifies unqualified override keys with the stack's project (the plan routes by namespace). */
function qualified(
  stack: StackProject,
  override: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(override).map(([k, v]) => [k.includes(":") ? k : `${stack}:${k}`, v] as const),
  );
}

/**
 * Runs `trial.stack` for real after `baseline`'s upstream stacks (replayed, tampered as asked).
 * Resolves with the plan (the trial stack's run last) or rejects with the plan's PlanError.
 */
export function planStack(baseline: PlanResult, trial: StackTrial): Promise<PlanResult> {
  const runs = runsOf(baseline);
  const upstream = STACK_ORDER.slice(0, STACK_ORDER.indexOf(trial.stack));
  return quietPlan({
    stack: baseline.stack,
    evaluate: trial.evaluate ?? skipPolicies,
    overrides: qualified(trial.stack, trial.override ?? {}),
    stacks: [
      ...upstream.map((p) => replayedStack(runs[p], trial.upstreamTamper?.[p])),
      realStack(trial.stack),
    ],
  });
}
