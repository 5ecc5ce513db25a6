/**
 * Regenerates the generated sections of the docs from their sources of truth: README.md's
 * config-key, outputs-contract and estimate tables (each stack's Pulumi.yaml, lib/contracts.ts,
 * tools/plan/estimate.ts) and docs/profiles.md's dev/prod comparison (Pulumi.yaml defaults
 * overlaid with Pulumi.dev.yaml and Pulumi.prod.yaml).
 *   node --import tsx tools/gen-docs.ts           rewrite the documents
 *   node --import tsx tools/gen-docs.ts --check   exit 1 if one is stale (for the tests/CI)
 */
import { readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import * as prettier from "prettier";
import { awsResourcesContract, connectorContract, processingContract, PROJECTS } from "../lib/contracts";
import { readProject, stackConfig } from "../lib/project-config";
import { profilesSection } from "./docs/profiles";
import { configSection, estimatesSection, outputsSection, renderReadme } from "./docs/render";
import { CREATION_TIMES, DEFAULT_MINUTES, ORACLE_SETUP_MINUTES } from "./plan/estimate";
import { STACK_ORDER } from "./stacks";

export const README = path.resolve(__dirname, "..", "README.md");
export const PROFILES_DOC = path.resolve(__dirname, "..", "docs", "profiles.md");
/** The stack profiles docs/profiles.md compares, in column order. */
export const COMPARED_PROFILES = ["dev", "prod"] as const;

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

export function profileSections(): Record<string, string> {
  const inputs = STACK_ORDER.map((name) => {
    const project = readProject(name);
    const profiles = Object.fromEntries(
      COMPARED_PROFILES.map((stack) => [stack, stackConfig(project, stack).config]),
    );
    return { project: project.name, keys: project.keys, profiles };
  });
  return { profiles: profilesSection(inputs, COMPARED_PROFILES) };
}

/** Every generated document with the function that computes its sections. */
const DOCUMENTS: readonly { file: string; sections: () => Record<string, string> }[] = [
  { file: README, sections: generatedSections },
  { file: PROFILES_DOC, sections: profileSections },
];

/** A document with fresh sections, formatted like `prettier --write` would (the lint checks it). */
export async function renderedDoc(
  file: string,
  current: string,
  sections: Record<string, string>,
): Promise<string> {
  const options = (await prettier.resolveConfig(file)) ?? {};
  const name = path.relative(path.resolve(__dirname, ".."), file);
  return prettier.format(renderReadme(current, sections, name), { ...options, filepath: file });
}

async function main(): Promise<number> {
  const check = process.argv.includes("--check");
  let failed = 0;
  for (const doc of DOCUMENTS) {
    const name = path.relative(path.resolve(__dirname, ".."), doc.file);
    const current = readFileSync(doc.file, "utf8");
    let next: string;
    try {
      next = await renderedDoc(doc.file, current, doc.sections());
    } catch (err) {
      process.stderr.write(`gen-docs: ${(err as Error).message}\n`);
      return 1;
    }
    if (check) {
      if (next !== current) {
        process.stderr.write(`gen-docs: ${name} is stale; run \`npm run docs\` and commit it.\n`);
        failed = 1;
      }
      continue;
    }
    if (next !== current) writeFileSync(doc.file, next);
    process.stdout.write(next === current ? `${name} is up to date.\n` : `${name} updated.\n`);
  }
  return failed;
}

if (require.main === module) {
  main().then((code) => (process.exitCode = code));
}
