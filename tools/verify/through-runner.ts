import { awsResourcesContract } from "../../lib/contracts";
import type { RunnerDeps } from "../deploy/inner-phase";
import { realRunnerDeps, runnerTargetFrom, startInnerPhase } from "../deploy/inner-phase";
import { pick } from "./inputs";

/**
 * `verify` and `status` of a private deployment: the data stores and the Flink endpoint have private
 * addresses only, so both run inside the VPC through the runner, which prints the same lines and exits
 * with the same code (docs/verify.md#private-deployments).
 */

/** The aws-resources outputs this needs; optional: deployments from before the network mode lack them. */
export const RUNNER_NEEDS = pick(awsResourcesContract, [
  "networkMode",
  "runnerProjectName",
  "runnerSourceBucket",
  "runnerLogGroupName",
  "runnerSecretArn",
]).partial().shape;

export interface ThroughRunnerOptions {
  readonly stack: string;
  /** Already inside the runner (`fraud-infra inner verify|status`). */
  readonly inside?: boolean;
  readonly runner?: RunnerDeps;
}

/** The exit code of the command run in the runner, or undefined when it runs here (public mode, or inside). */
export async function throughRunner(
  command: "verify" | "status",
  o: ThroughRunnerOptions,
  aws: { readonly awsRegion: string; readonly networkMode?: string } & Record<string, unknown>,
  write: (line: string) => void,
): Promise<number | undefined> {
  if (o.inside || aws.networkMode !== "private") return undefined;
  const target = runnerTargetFrom(aws);
  if (typeof target === "string") {
    write(`✗ ${target}`);
    return 1;
  }
  const deps = o.runner ?? realRunnerDeps(async () => ({}));
  return startInnerPhase({ command, stack: o.stack, target, deps, write });
}
