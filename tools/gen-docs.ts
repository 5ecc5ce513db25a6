/**
 * Regenerates README.md's config-key, outputs-contract, estimate and cost tables from the sources of
 * truth (each stack's Pulumi.yaml, lib/contracts.ts, tools/plan/estimate.ts, the dev plan priced by
 * tools/plan/cost/prices.json).
 *   node --import tsx tools/gen-docs.ts           rewrite README.md
 *   node --import tsx tools/gen-docs.ts --check   exit 1 if README.md is stale (for the tests/CI)
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import * as prettier from "prettier";
import { awsResourcesContract, connectorContract, processingContract, PROJECTS } from "../lib/contracts";
import { readProject } from "../lib/project-config";
import { costsSection } from "./docs/costs";
import { configSection, estimatesSection, outputsSection, renderReadme } from "./docs/render";
import { loadPriceTable } from "./plan/cost/prices";
import { CREATION_TIMES, DEFAULT_MINUTES, ORACLE_SETUP_MINUTES } from "./plan/estimate";
import { runPlan } from "./plan/run-plan";
import { STACK_ORDER } from "./stacks";

export const README = path.resolve(__dirname, "..", "README.md");

/** The dev deployment's cost estimate, from the offline plan (its warnings are not for the docs). */
async function devCost(): Promise<string> {
  const warn = pulumi.log.warn;
  pulumi.log.warn = () => Promise.resolve();
  try {
    const plan = await runPlan({ evaluate: null });
    return costsSection(plan.cost, loadPriceTable());
  } finally {
    pulumi.log.warn = warn;
  }
}

export async function generatedSections(): Promise<Record<string, string>> {
  return {
    costs: await devCost(),
    config: configSection(STACK_ORDER.map((name) => readProject(name))),
    outputs: outputsSection([
      { project: PROJECTS.awsResources, contract: awsResourcesContract },
      { project: PROJECTS.connector, contract: connectorContract },
      { project: PROJECTS.processing, contract: processingContract },
    ]),
    estimates: estimatesSection(CREATION_TIMES, DEFAULT_MINUTES, ORACLE_SETUP_MINUTES),
  };
}

/** README.md with fresh sections, formatted like `prettier --write` would (the lint checks it). */
export async function renderedReadme(current: string): Promise<string> {
  const options = (await prettier.resolveConfig(README)) ?? {};
  return prettier.format(renderReadme(current, await generatedSections()), { ...options, filepath: README });
}

async function main(): Promise<number> {
  const check = process.argv.includes("--check");
  const current = readFileSync(README, "utf8");
  let next: string;
  try {
    next = await renderedReadme(current);
  } catch (err) {
    process.stderr.write(`gen-docs: ${(err as Error).message}\n`);
    return 1;
  }
  if (check) {
    if (next === current) return 0;
    process.stderr.write(
      "gen-docs: README.md is stale; run `node --import tsx tools/gen-docs.ts` and commit it.\n",
    );
    return 1;
  }
  if (next !== current) writeFileSync(README, next);
  process.stdout.write(next === current ? "README.md is up to date.\n" : "README.md updated.\n");
  return 0;
}

if (require.main === module) {
  main().then((code) => (process.exitCode = code));
}
