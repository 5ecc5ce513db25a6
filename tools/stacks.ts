import * as path from "node:path";
import { PROJECTS } from "../lib/contracts";
import { STACKS_ROOT } from "./offline/project-config";
import type { StackProgram } from "./offline/run-stack";

/**
 * The stack projects in deployment order: each reads the outputs of the ones before it, so
 * up/preview run in this order and destroy runs in reverse. The last, data-plane, is the inner phase:
 * in private mode it runs inside the VPC through the runner (tools/deploy/phases.ts).
 */
export const STACK_ORDER = [
  PROJECTS.awsResources,
  PROJECTS.connector,
  PROJECTS.processing,
  PROJECTS.dataPlane,
] as const;

/** What runs from the deploying machine in every mode. */
export const PUBLIC_PHASE = [PROJECTS.awsResources, PROJECTS.connector, PROJECTS.processing] as const;
/** What needs the private network in private mode (it creates nothing in public mode). */
export const INNER_PHASE = [PROJECTS.dataPlane] as const;

export type StackProject = (typeof STACK_ORDER)[number];

export const DEFAULT_STACK = "dev";

export function isStackProject(name: string): name is StackProject {
  return (STACK_ORDER as readonly string[]).includes(name);
}

/** Each project's program, imported only when a command runs it. */
const PROGRAMS: Readonly<Record<StackProject, () => Promise<StackProgram>>> = {
  [PROJECTS.awsResources]: async () => (await import("../stacks/aws-resources/program.js")).main,
  [PROJECTS.connector]: async () => (await import("../stacks/connector/program.js")).main,
  [PROJECTS.processing]: async () => (await import("../stacks/processing/program.js")).main,
  [PROJECTS.dataPlane]: async () => (await import("../stacks/data-plane/program.js")).main,
};

/** The `main` of `stacks/<project>/program.ts`. */
export function loadProgram(project: StackProject): Promise<StackProgram> {
  return PROGRAMS[project]();
}

/** `stacks/<project>` — a Pulumi project directory (Pulumi.yaml, program.ts, index.ts). */
export function stackDir(project: StackProject): string {
  return path.join(STACKS_ROOT, project);
}
