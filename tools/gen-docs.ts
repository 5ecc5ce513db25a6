/**
 * Regenerates README.md's config-key, outputs-contract and estimate tables from the sources of
 * truth (each stack's Pulumi.yaml, lib/contracts.ts, tools/plan/estimate.ts).
 *   node --import tsx tools/gen-docs.ts           rewrite README.md
 *   node --import tsx tools/gen-docs.ts --check   exit 1 if README.md is stale (for the tests/CI)
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import * as prettier from "prettier";
import { awsResourcesContract, connectorContract, processingContract, PROJECTS } from "../lib/contracts";
import { readProject } from "./offline/project-config";
import { configSection, estimatesSection, outputsSection, renderReadme } from "./docs/render";
import { CREATION_TIMES, DEFAULT_MINUTES, ORACLE_SETUP_MINUTES } from "./plan/estimate";
import { STACK_ORDER } from "./stacks";

export const README = path.resolve(__dirname, "..", "README.md");

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

/** README.md with fresh sections, formatted like `prettier --write` would (the lint checks it). */
export async function renderedReadme(current: string): Promise<string> {
  const options = (await prettier.resolveConfig(README)) ?? {};
  return prettier.format(renderReadme(current, generatedSections()), { ...options, filepath: README });
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
