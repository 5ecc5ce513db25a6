import { automationWorkspace } from "../deploy/automation";
import type { Workspace } from "../deploy/orchestrate";
import { collectOutputs, plainValues } from "../deploy/outputs";
import { INSTALL_PULUMI, awsCredentialSource, pulumiVersion, realCredentialEnv } from "../deploy/preflight";
import type { StackProject } from "../stacks";
import { STACK_ORDER } from "../stacks";
import type { Decoded, Needs, RawOutputs } from "./inputs";
import { OutputsError, decodeOutputs, readOutputsFile } from "./inputs";

/** Where `verify` and `status` get the stacks' outputs: `--outputs <file>`, else the Automation API. */
export interface OutputsSource {
  readonly stack: string;
  readonly outputsFile?: string;
  // Injected in tests; the defaults are the Pulumi CLI and the Automation API.
  readonly workspace?: Workspace;
  readonly pulumiVersion?: () => Promise<string | undefined>;
}

/** The outputs file, else the outputs of `projects` only: a stack the command needs nothing from is not opened. */
async function loadOutputs(o: OutputsSource, projects: readonly StackProject[]): Promise<RawOutputs> {
  if (o.outputsFile !== undefined) return readOutputsFile(o.outputsFile);
  if (!(await (o.pulumiVersion ?? pulumiVersion)())) {
    throw new OutputsError([
      `${INSTALL_PULUMI} Or pass --outputs <file> (written by \`fraud-infra outputs --json --show-secrets\`).`,
    ]);
  }
  const { result, outputs } = await collectOutputs(o.workspace ?? automationWorkspace(), o.stack, projects);
  const problems = [
    ...(result.preflight ?? []),
    ...result.results.filter((r) => r.status === "failed").map((r) => `${r.project}: ${r.error ?? "failed"}`),
  ];
  if (problems.length > 0) throw new OutputsError(problems);
  return plainValues(outputs);
}

/** The outputs `needs` names, decoded; or undefined after writing why they cannot be used. */
export async function neededOutputs<N extends Needs>(
  o: OutputsSource,
  needs: N,
  write: (line: string) => void,
): Promise<Decoded<N> | undefined> {
  try {
    const projects = STACK_ORDER.filter((p) => needs[p]);
    return decodeOutputs(await loadOutputs(o, projects), needs);
  } catch (err) {
    if (!(err instanceof OutputsError)) throw err;
    write(`✗ ${err.message}`);
    return undefined;
  }
}

/** Whether the AWS SDK will find credentials (the same sources `preview/up` look for). */
export const hasAwsCredentials = () => awsCredentialSource(realCredentialEnv()) !== undefined;

export const NO_AWS = "no AWS credentials found (set AWS_PROFILE or AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY)";
