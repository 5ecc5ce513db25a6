import { mkdir, writeFile } from "node:fs/promises";
import * as path from "node:path";
import { deploymentDiagram } from "./diagram";
import { describePlanError } from "./errors";
import { isBlocking, skipPolicies } from "./policy/evaluate";
import type { DataStoreChange } from "./replacements";
import { plannedDataStoreChanges } from "./replacements";
import { renderMarkdown, renderText } from "./report";
import { DEFAULT_STACK } from "../stacks";
import type { StackRun } from "../offline/run-stack";
import type { PlanOptions, PlanResult } from "./run-plan";
import { PlanError, runPlan } from "./run-plan";

const DEFAULT_OUT_DIR = path.resolve(__dirname, "..", "..", "out", "plan");

/** Exit codes of `fraud-infra plan`. */
const PLAN_EXIT = { ok: 0, failed: 1, blockingFindings: 3 } as const;

export interface PlanCommandOptions extends PlanOptions {
  /** Where `deployment.mmd` and `report.md` go. @default out/plan */
  readonly outDir?: string;
  readonly stdout?: (text: string) => void;
  readonly stderr?: (text: string) => void;
}

/**
 * With `--config` overrides: the data stores they would replace, delete or resize, found by planning
 * the committed config too and comparing the inputs that force each change. Without overrides there
 * is nothing to compare with offline (a real `preview` compares with the deployed state).
 */
async function dataStoreChanges(
  opts: PlanCommandOptions,
  runs: readonly StackRun[],
): Promise<DataStoreChange[]> {
  if (Object.keys(opts.overrides ?? {}).length === 0) return [];
  const committed = await runPlan({ ...opts, overrides: {}, evaluate: skipPolicies, quiet: true });
  return plannedDataStoreChanges(
    committed.stacks.map((s) => s.run),
    runs,
  );
}

/**
 * `fraud-infra plan`: runs the offline plan, prints it, writes the diagram and the report.
 * Returns the exit code: 1 when a stack fails (config, upstream contract, program error), 3 when
 * the policy pack reports mandatory findings (a real `pulumi up` with the pack would be blocked).
 */
export async function planCommand(opts: PlanCommandOptions = {}): Promise<number> {
  const stdout = opts.stdout ?? ((t: string) => process.stdout.write(t));
  const stderr = opts.stderr ?? ((t: string) => process.stderr.write(t));
  const stack = opts.stack ?? DEFAULT_STACK;
  let result: PlanResult;
  try {
    result = await runPlan(opts);
  } catch (err) {
    if (!(err instanceof PlanError)) throw err;
    stderr(describePlanError(err, stack) + "\n");
    return PLAN_EXIT.failed;
  }
  const runs = result.stacks.map((s) => s.run);
  const input = {
    stack: result.stack,
    runs,
    findings: result.findings,
    estimate: result.estimate,
    cost: result.cost,
    dataStoreChanges: await dataStoreChanges(opts, runs),
  };
  const diagram = deploymentDiagram(
    result.stacks.map((s) => ({ run: s.run, configValues: new Set(Object.values(s.config)) })),
  );
  const outDir = opts.outDir ?? DEFAULT_OUT_DIR;
  await mkdir(outDir, { recursive: true });
  const mmd = path.join(outDir, "deployment.mmd");
  const report = path.join(outDir, "report.md");
  await writeFile(mmd, diagram);
  await writeFile(report, renderMarkdown(input, diagram));
  stdout(renderText(input));
  stdout(`\nWrote ${path.relative(process.cwd(), mmd)} and ${path.relative(process.cwd(), report)}.\n`);
  const blocking = result.findings.filter(isBlocking);
  if (blocking.length > 0) {
    stderr(
      `✗ ${blocking.length} mandatory policy finding(s): \`pulumi up\` with the policy pack would fail.\n`,
    );
    return PLAN_EXIT.blockingFindings;
  }
  return PLAN_EXIT.ok;
}
