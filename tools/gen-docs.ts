/**
 * Regenerates the generated parts of the docs from their sources of truth (each stack's Pulumi.yaml,
 * lib/contracts.ts, tools/plan/estimate.ts). Each section lives between
 * `<!-- generated:<name> -->` markers in the file `GENERATED_FILES` names.
 *   node --import tsx tools/gen-docs.ts           rewrite the files
 *   node --import tsx tools/gen-docs.ts --check   exit 1 if any file is stale (for the tests/CI)
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import * as prettier from "prettier";
import { awsResourcesContract, connectorContract, processingContract, PROJECTS } from "../lib/contracts";
import { readProject } from "./offline/project-config";
import { configSection, estimatesSection, outputsSection, renderSections } from "./docs/render";
import { CREATION_TIMES, DEFAULT_MINUTES, ORACLE_SETUP_MINUTES } from "./plan/estimate";
import { STACK_ORDER } from "./stacks";

const ROOT = path.resolve(__dirname, "..");

/** Which generated sections each file holds (paths from the repository root). */
export const GENERATED_FILES: Readonly<Record<string, readonly string[]>> = {
  "docs/configuration.md": ["config"],
  "docs/outputs.md": ["outputs"],
  "docs/plan.md": ["estimates"],
};

export function generatedSections(): Record<string, string> {
  return {
    config: configSection(STACK_ORDER.map((name) => readProject(name))),
    outputs: outputsSection([
      { project: PROJECTS.awsResources, contract: awsResourcesContract },
      { project: PROJECTS.connector, contract: connectorContract },
      { project: PROJECTS.processing, contract: processingContract },
    ]),
    estimates: estimatesSection(CREATION_TIMES, DEFAULT_MINUTES, ORACLE_SETUP_MINUTES),
  };
}

/** `file` with fresh sections, formatted like `prettier --write` would (the lint checks it). */
export async function renderedDoc(file: string, current: string): Promise<string> {
  const all = generatedSections();
  const names = GENERATED_FILES[file] ?? [];
  const sections = Object.fromEntries(names.map((n) => [n, all[n] ?? ""]));
  const abs = path.join(ROOT, file);
  const options = (await prettier.resolveConfig(abs)) ?? {};
  return prettier.format(renderSections(current, sections, file), { ...options, filepath: abs });
}

async function main(): Promise<number> {
  const check = process.argv.includes("--check");
  const stale: string[] = [];
  for (const file of Object.keys(GENERATED_FILES)) {
    const abs = path.join(ROOT, file);
    const current = readFileSync(abs, "utf8");
    let next: string;
    try {
      next = await renderedDoc(file, current);
    } catch (err) {
      process.stderr.write(`gen-docs: ${(err as Error).message}\n`);
      return 1;
    }
    if (next === current) continue;
    stale.push(file);
    if (!check) writeFileSync(abs, next);
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
