import type { NetworkMode } from "../../lib/network-mode";
import { NETWORK_MODES } from "../../lib/network-mode";
import { readProject } from "../offline/project-config";
import type { StackProject } from "../stacks";
import { INNER_PHASE, PUBLIC_PHASE } from "../stacks";
import type { Operation, StackHandle } from "./orchestrate";
import { stackOrder } from "./orchestrate";
import type { InnerCommand } from "./runner/runner";

/**
 * Which stacks run where (docs/design-decisions.md#the-inner-phase). Public mode runs every stack from
 * this machine (the data-plane stack then creates nothing). Private mode runs the public phase here and
 * the inner phase (the data-plane stack) in the runner inside the VPC: after the public phase for
 * preview and up, before it for destroy, which removes what depends on the rest first.
 */
export interface Phases {
  /** Stacks this machine runs, in order. */
  readonly local: readonly StackProject[];
  /** The inner command the runner runs, if any, and whether it goes before the local stacks. */
  readonly inner?: { readonly command: InnerCommand; readonly first: boolean };
}

export function phasesFor(op: Operation, mode: NetworkMode, only?: StackProject): Phases {
  const all = stackOrder(op, only);
  if (mode === "public" || op === "outputs") return { local: all };
  const inner = all.some((p) => (INNER_PHASE as readonly string[]).includes(p));
  const local = all.filter((p) => (PUBLIC_PHASE as readonly string[]).includes(p));
  return { local, ...(inner ? { inner: { command: op, first: op === "destroy" } } : {}) };
}

/** The declared default of `aws-resources:networkMode` (Pulumi.yaml). */
function declaredNetworkMode(): NetworkMode {
  const key = readProject("aws-resources").keys.find((k) => k.key === "networkMode");
  return parseMode(key?.default, "aws-resources/Pulumi.yaml's default of networkMode");
}

function parseMode(value: unknown, where: string): NetworkMode {
  if ((NETWORK_MODES as readonly unknown[]).includes(value)) return value as NetworkMode;
  throw new Error(`${where} is ${JSON.stringify(value)}; it must be one of ${NETWORK_MODES.join(", ")}`);
}

/**
 * The network mode an operation acts in: what a deployed aws-resources stack exported for destroy
 * (what exists), else the stack's config with Pulumi.yaml's default, as the program will read it.
 */
export async function networkModeFor(
  op: Operation,
  awsResources: StackHandle | undefined,
): Promise<NetworkMode> {
  if (!awsResources) return declaredNetworkMode();
  if (op === "destroy") {
    const exported = (await awsResources.outputs()).networkMode?.value;
    if (exported !== undefined) return parseMode(exported, "the aws-resources output networkMode");
  }
  const configured = await awsResources.getConfig("aws-resources:networkMode");
  return configured === undefined
    ? declaredNetworkMode()
    : parseMode(configured, "aws-resources:networkMode");
}
