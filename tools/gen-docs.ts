/**
 * Regenerates the generated parts of the docs from their sources of truth (each stack's Pulumi.yaml,
 * lib/contracts.ts, tools/plan/estimate.ts, the dev plan priced by tools/plan/cost/prices.json,
 * Pulumi.dev.yaml and Pulumi.prod.yaml for the profile comparison).
 * Each section lives between `<!-- generated:<name> -->` markers in the file `GENERATED_FILES` names.
 *   node --import tsx tools/gen-docs.ts           rewrite the files
 *   node --import tsx tools/gen-docs.ts --check   exit 1 if any file is stale (for the tests/CI)
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import * as prettier from "prettier";
import {
  awsResourcesContract,
  connectorContract,
  dataPlaneContract,
  processingContract,
  PROJECTS,
} from "../lib/contracts";
import { readProject, stackConfig } from "./offline/project-config";
import { costsSection, pricesSection } from "./docs/costs";
import { profilesSection } from "./docs/profiles";
import { configSection, estimatesSection, outputsSection, renderSections } from "./docs/render";
import { loadPriceTable } from "./plan/cost/prices";
import { skipPolicies } from "./plan/policy/evaluate";
import {
  CREATION_TIMES,
  DEFAULT_MINUTES,
  INNER_PHASE_START_MINUTES,
  ORACLE_SETUP_MINUTES,
} from "./plan/estimate";
import { runPlan } from "./plan/run-plan";
import { STACK_ORDER } from "./stacks";

const ROOT = path.resolve(__dirname, "..");

/** Which generated sections each file holds (paths from the repository root). */
const GENERATED_FILES: Readonly<Record<string, readonly string[]>> = {
  "README.md": ["costs"],
  "docs/costs.md": ["prices"],
  "docs/configuration.md": ["config"],
  "docs/outputs.md": ["outputs"],
  "docs/plan.md": ["estimates"],
  "docs/profiles.md": ["profiles"],
};

/** The stack profiles docs/profiles.md compares, in column order. */
const COMPARED_PROFILES = ["dev", "prod"] as const;

/** How the profiles differ, per project: Pulumi.yaml defaults overlaid with each profile's file. */
function profilesComparison(): string {
  const inputs = STACK_ORDER.map((name) => {
    const project = readProject(name);
    const profiles = Object.fromEntries(
      COMPARED_PROFILES.map((stack) => [stack, stackConfig(project, stack).config]),
    );
    return { project: project.name, keys: project.keys, profiles };
  });
  return profilesSection(inputs, COMPARED_PROFILES);
}

/** The dev deployment's cost estimate and its prices, from the offline plan (its warnings are not for the docs). */
async function devCost(): Promise<{ costs: string; prices: string }> {
  const plan = await runPlan({ evaluate: skipPolicies, quiet: true });
  const table = loadPriceTable();
  return { costs: costsSection(plan.cost, table), prices: pricesSection(plan.cost.region, table) };
}

async function generatedSections(): Promise<Record<string, string>> {
  return {
    ...(await devCost()),
    config: configSection(STACK_ORDER.map((name) => readProject(name))),
    outputs: outputsSection([
      { project: PROJECTS.awsResources, contract: awsResourcesContract },
      { project: PROJECTS.connector, contract: connectorContract },
      { project: PROJECTS.processing, contract: processingContract },
      { project: PROJECTS.dataPlane, contract: dataPlaneContract },
    ]),
    estimates: estimatesSection(
      CREATION_TIMES,
      DEFAULT_MINUTES,
      ORACLE_SETUP_MINUTES,
      INNER_PHASE_START_MINUTES,
    ),
    profiles: profilesComparison(),
  };
}

/** `file` with fresh sections, formatted like `prettier --write` would (the lint checks it). */
async function renderedDoc(
  file: string,
  current: string,
  all: Readonly<Record<string, string>>,
): Promise<string> {
  const names = GENERATED_FILES[file] ?? [];
  const sections = Object.fromEntries(names.map((n) => [n, all[n] ?? ""]));
  const abs = path.join(ROOT, file);
  const options = (await prettier.resolveConfig(abs)) ?? {};
  return prettier.format(renderSections(current, sections, file), { ...options, filepath: abs });
}

async function main(): Promise<number> {
  const check = process.argv.includes("--check");
  const stale: string[] = [];
  try {
    const all = await generatedSections();
    for (const file of Object.keys(GENERATED_FILES)) {
      const abs = path.join(ROOT, file);
      const current = readFileSync(abs, "utf8");
      const next = await renderedDoc(file, current, all);
      if (next === current) continue;
      stale.push(file);
      if (!check) writeFileSync(abs, next);
    }
  } catch (err) {
    process.stderr.write(`gen-docs: ${(err as Error).message}\n`);
    return 1;
  }
  if (check && stale.length > 0) {
    process.stderr.write(`gen-docs: stale: ${stale.join(", ")}; run \`npm run docs\` and commit them.\n`);
    return 1;
  }
  process.stdout.write(
    stale.length === 0 ? "Generated docs are up to date.\n" : `Updated ${stale.join(", ")}.\n`,
  );
  return 0;
}

if (require.main === module) {
  main().then((code) => (process.exitCode = code));
}
