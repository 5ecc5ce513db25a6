import { readFileSync } from "node:fs";
import { z } from "zod";
import type { Contract } from "../../lib/stack-outputs";
import {
  PROJECTS,
  awsResourcesContract,
  connectorContract,
  dataPlaneContract,
  processingContract,
} from "../../lib/contracts";
import { MASK } from "../offline/secrets";
import type { StackProject } from "../stacks";
import { STACK_ORDER } from "../stacks";

/**
 * The deployed stacks' outputs as `verify` and `status` read them: from the Automation API or from
 * a file in the shape `fraud-infra outputs --json --show-secrets` prints. Every value is checked
 * with its contract's schema, so a missing, masked or mistyped output is named before any request.
 */

export type RawOutputs = Readonly<Record<string, Readonly<Record<string, unknown>>>>;

const CONTRACTS: Record<StackProject, Contract> = {
  [PROJECTS.awsResources]: awsResourcesContract,
  [PROJECTS.connector]: connectorContract,
  [PROJECTS.processing]: processingContract,
  [PROJECTS.dataPlane]: dataPlaneContract,
};

/** A problem with the outputs themselves (exit 1 with the message, never a stack trace). */
export class OutputsError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`the stack outputs cannot be used:\n  - ${problems.join("\n  - ")}`);
    this.name = "OutputsError";
  }
}

/** Reads an outputs file; a missing file or broken JSON is an OutputsError naming the file. */
export function readOutputsFile(file: string, read = (f: string) => readFileSync(f, "utf8")): RawOutputs {
  let text: string;
  try {
    text = read(file);
  } catch (err) {
    throw new OutputsError([`cannot read --outputs ${file}: ${(err as Error).message}`]);
  }
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (err) {
    throw new OutputsError([`--outputs ${file} is not JSON: ${(err as Error).message}`]);
  }
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === "object" && v !== null && !Array.isArray(v);
  if (!isObject(doc) || !STACK_ORDER.some((p) => p in doc)) {
    throw new OutputsError([
      `--outputs ${file} must be a JSON object keyed by ${STACK_ORDER.join(", ")} ` +
        "(write it with `fraud-infra outputs --json --show-secrets > <file>`)",
    ]);
  }
  const bad = STACK_ORDER.filter((p) => p in doc && !isObject(doc[p]));
  if (bad.length > 0) throw new OutputsError(bad.map((p) => `--outputs ${file}: '${p}' is not an object`));
  return doc as RawOutputs;
}

/**
 * What a command needs from each stack: a zod object over (a subset of) its contract's outputs. A stack
 * it needs nothing from may be left out, and then need not be deployed.
 */
export type Needs = { readonly [P in StackProject]?: z.ZodObject };
export type Decoded<N extends Needs> = {
  readonly [P in keyof N]: N[P] extends z.ZodObject ? z.output<N[P]> : never;
};

/** Picks `keys` of a contract as a zod object, each with the contract's own schema. */
export function pick<C extends Contract, K extends keyof C & string>(
  contract: C,
  keys: readonly K[],
): z.ZodObject<{ [P in K]: C[P]["schema"] }> {
  return z.object(Object.fromEntries(keys.map((k) => [k, contract[k]!.schema]))) as z.ZodObject<{
    [P in K]: C[P]["schema"];
  }>;
}

/** Checks the raw outputs against `needs`; all problems at once, each naming `project:output`. */
export function decodeOutputs<N extends Needs>(raw: RawOutputs, needs: N): Decoded<N> {
  const problems: string[] = [];
  const result: Record<string, unknown> = {};
  for (const project of STACK_ORDER) {
    const need = needs[project];
    if (!need) continue;
    const values = raw[project];
    if (values === undefined) {
      problems.push(`no outputs of the ${project} stack (is it deployed?)`);
      continue;
    }
    const shape = need.shape as Record<string, z.ZodType>;
    for (const key of Object.keys(shape)) {
      if (values[key] === MASK && CONTRACTS[project][key]?.secret) {
        problems.push(
          `${project}:${key} is masked (${MASK}); write the file with \`fraud-infra outputs --json --show-secrets\``,
        );
      }
    }
    const parsed = need.safeParse(values);
    if (parsed.success) {
      result[project] = parsed.data;
      continue;
    }
    for (const issue of parsed.error.issues) {
      const key = String(issue.path[0] ?? "");
      if (values[key] === MASK) continue;
      const what = CONTRACTS[project][key]?.description;
      const state = values[key] === undefined ? "is missing" : `has the wrong type: ${issue.message}`;
      problems.push(`${project}:${key} ${state}${what ? ` (${what})` : ""}`);
    }
  }
  if (problems.length > 0) throw new OutputsError([...new Set(problems)]);
  return result as Decoded<N>;
}
