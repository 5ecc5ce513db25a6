import { MASK } from "../offline/secrets";
import type { StackProject } from "../stacks";
import { STACK_ORDER } from "../stacks";
import type { OperationResult, Reporter, StackOutput, Workspace } from "./orchestrate";
import { runOperation } from "./orchestrate";

/** Each deployed stack's outputs, by project (a stack that does not exist is absent). */
export type CollectedOutputs = Partial<Record<StackProject, Record<string, StackOutput>>>;

/** Reads the outputs of `projects` (default: every stack) through the workspace, without printing anything. */
export async function collectOutputs(
  workspace: Workspace,
  stackName: string,
  projects: readonly StackProject[] = STACK_ORDER,
): Promise<{ result: OperationResult; outputs: CollectedOutputs }> {
  const outputs: CollectedOutputs = {};
  const reporter: Reporter = {
    stackStarted() {},
    event() {},
    output() {},
    stackFinished() {},
    warning() {},
    outputs(project, values) {
      outputs[project] = values;
    },
  };
  const result = await runOperation({
    op: "outputs",
    stackName,
    projects,
    workspace,
    reporter,
  });
  return { result, outputs };
}

/**
 * What `pulumi stack output --json [--show-secrets]` prints for each stack, keyed by project: the
 * shape `fraud-infra verify --outputs <file>` reads. Secrets are `[secret]` unless shown, as the
 * Pulumi CLI prints them.
 */
export function outputsJson(collected: CollectedOutputs, showSecrets: boolean): string {
  const doc: Record<string, Record<string, unknown>> = {};
  for (const [project, outputs] of Object.entries(collected)) {
    doc[project] = Object.fromEntries(
      Object.keys(outputs)
        .sort()
        .map((k) => [k, outputs[k]!.secret && !showSecrets ? MASK : outputs[k]!.value]),
    );
  }
  return JSON.stringify(doc, null, 2);
}

/** Plain values for the checks (`verify`, `status`): secrets in clear, as the file holds them. */
export function plainValues(collected: CollectedOutputs): Record<string, Record<string, unknown>> {
  return JSON.parse(outputsJson(collected, true)) as Record<string, Record<string, unknown>>;
}
