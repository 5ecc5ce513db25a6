import { existsSync } from "node:fs";
import * as path from "node:path";
import { PROJECTS } from "../../lib/contracts";
import { isTrialStack } from "../../lib/naming";
import type { StackRun } from "../offline/run-stack";

/**
 * The policy pack's offline entry point (`policy/evaluate.ts`), loaded by path so the plan works
 * (and says so) in a checkout without it. The pack itself is built only for real runs; the offline
 * evaluator runs the same rules over the recorded resources.
 */

export interface Finding {
  readonly policy: string;
  readonly enforcementLevel: string;
  readonly stack: string;
  readonly resourceType: string;
  readonly resourceName: string;
  readonly urn: string;
  readonly message: string;
}

/** Pack config, as a real run passes it with `--policy-pack-config` (see policy/evaluate.ts). */
export interface PolicyConfig {
  readonly allowEnvironmentAdmin?: boolean;
  readonly allowUnsetEksPublicAccessCidrs?: boolean;
}

export type Evaluator = (runs: readonly StackRun[], config?: PolicyConfig) => Finding[] | Promise<Finding[]>;

/**
 * The pack config that goes with the planned stacks' config: the EnvironmentAdmin escape hatch
 * (policy/config.environment-admin.json) is on exactly when the connector stack is configured to
 * use EnvironmentAdmin, as docs/security.md tells a real run to pass it. Without this the plan would
 * report a finding the documented real run does not have.
 */
export function policyConfigFor(
  configs: readonly Readonly<Record<string, string>>[],
  stack: string,
): PolicyConfig {
  const key = `${PROJECTS.connector}:useEnvironmentAdmin`;
  return {
    allowEnvironmentAdmin: configs.some((c) => c[key] === "true"),
    allowUnsetEksPublicAccessCidrs: isTrialStack(stack),
  };
}

export const POLICY_EVALUATOR = path.resolve(__dirname, "..", "..", "policy", "evaluate.ts");

/** The evaluator, or undefined when the policy pack is not in this checkout. */
export async function loadEvaluator(file = POLICY_EVALUATOR): Promise<Evaluator | undefined> {
  if (!existsSync(file)) return undefined;
  const mod = (await import(file)) as {
    evaluateDeployment?: Evaluator;
    default?: { evaluateDeployment?: Evaluator };
  };
  const evaluate = mod.evaluateDeployment ?? mod.default?.evaluateDeployment;
  if (typeof evaluate !== "function") throw new Error(`${file} does not export evaluateDeployment`);
  return evaluate;
}

/** Mandatory findings would block a real `pulumi up` with the pack enabled. */
export function isBlocking(f: Finding): boolean {
  return f.enforcementLevel === "mandatory";
}

/** Findings that belong to a stack (matched by project or stack name). */
export function findingsFor(findings: readonly Finding[], run: StackRun): Finding[] {
  return findings.filter((f) => f.stack === run.project || f.urn.includes(`::${run.project}::`));
}
