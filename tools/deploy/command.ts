import type { StackProject } from "../stacks";
import { INNER_PHASE } from "../stacks";
import { automationWorkspace } from "./automation";
import type { RunnerDeps } from "./inner-phase";
import { realRunnerDeps, runnerTargetFrom, startInnerPhase } from "./inner-phase";
import { networkModeFor, phasesFor } from "./phases";
import type { Phases } from "./phases";
import type { Operation, OperationResult, StackHandle, StackResult, Workspace } from "./orchestrate";
import { runOperation, stackOrder } from "./orchestrate";
import { collectOutputs, outputsJson } from "./outputs";
import type { CredentialEnv } from "./preflight";
import {
  INSTALL_PULUMI,
  confirmation,
  credentialCheck,
  pulumiVersion,
  realCredentialEnv,
  refusalMessage,
} from "./preflight";
import { ConsoleReporter, outputsText } from "./progress";
import { runnerCredentials } from "./runner/credentials";
import type { TextFetch } from "./deployer-address";
import { deployerAddressCheck } from "./deployer-address";

/** Exit codes of preview/up/destroy/outputs. */
const DEPLOY_EXIT = { ok: 0, failed: 1, refused: 2 } as const;

export interface DeployCommandOptions {
  readonly op: Operation;
  readonly stack: string;
  readonly only?: StackProject;
  readonly yes: boolean;
  readonly skipCredentialCheck?: boolean;
  /** stdin and stdout are a terminal (a confirmation can be asked). */
  readonly interactive: boolean;
  readonly ask?: (question: string) => Promise<string>;
  readonly write?: (line: string) => void;
  /** Where diagnostics go when stdout carries JSON. */
  readonly writeErr?: (line: string) => void;
  /** outputs: one JSON object keyed by project instead of tables. */
  readonly json?: boolean;
  /** outputs: secret values in clear. */
  readonly showSecrets?: boolean;
  // Injected in tests; the defaults are the real CLI, Automation API and environment.
  readonly workspace?: Workspace;
  readonly pulumiVersion?: () => Promise<string | undefined>;
  readonly credentials?: CredentialEnv;
  readonly now?: () => number;
  /** Looks up this machine's public address (https://checkip.amazonaws.com). */
  readonly fetch?: TextFetch;
  /**
   * Run as the inner phase inside the runner (`fraud-infra inner …`): the data-plane stack only, here,
   * never delegated again; the outer command asked for any confirmation.
   */
  readonly inner?: boolean;
  /** The runner's clients, source revision and credentials (private mode). */
  readonly runner?: RunnerDeps;
}

/** The question asked before up/destroy on a terminal, and the answer that proceeds. */
export function confirmationQuestion(op: Operation, stack: string, order: readonly string[]) {
  return op === "destroy"
    ? {
        question: `Destroy ${order.join(" → ")} (stack ${stack})? Type the stack name to confirm: `,
        expected: stack,
      }
    : { question: `Deploy ${order.join(" → ")} (stack ${stack})? Type yes to confirm: `, expected: "yes" };
}

function resultSummary(op: Operation, stack: string, result: OperationResult): string[] {
  if (result.preflight) {
    return ["✗ Nothing was changed; fix these first:", ...result.preflight.map((p) => `  - ${p}`)];
  }
  if (result.aborted) return ["Aborted: nothing was changed."];
  if (result.beforeFailed) {
    return [`✗ Stopped: the inner phase failed in the runner (see its log above); no other stack was run.`];
  }
  if (result.ok) return [`✓ ${op} finished for stack ${stack}.`];
  const notRun = result.results.filter((r: StackResult) => r.status === "not-run").map((r) => r.project);
  return [
    `✗ Stopped at ${result.failed}: ${op} failed there` +
      (notRun.length > 0 ? `; not run: ${notRun.join(", ")}.` : "."),
    `  Fix the cause and re-run \`fraud-infra ${op} --stack ${stack}\`: stacks that finished are unchanged on a re-run.`,
  ];
}

export async function deployCommand(o: DeployCommandOptions): Promise<number> {
  const write = o.write ?? ((line: string) => process.stdout.write(line + "\n"));
  const decision = confirmation(o.op, o.yes || o.inner === true, o.interactive);
  if (decision === "refuse") {
    write(refusalMessage(o.op));
    return DEPLOY_EXIT.refused;
  }
  const version = await (o.pulumiVersion ?? pulumiVersion)();
  if (!version) {
    write(`✗ ${INSTALL_PULUMI}`);
    return DEPLOY_EXIT.failed;
  }
  const workspace = o.workspace ?? automationWorkspace();
  if (o.op === "outputs") return outputsCommand(o, workspace, write);
  const credentials = o.credentials ?? realCredentialEnv();
  const address = deployerAddressCheck(o.op, o.stack, o.fetch ?? ((url, init) => fetch(url, init)));
  const credentialsOk = o.skipCredentialCheck ? undefined : credentialCheck(o.op, credentials);
  const awsResources = o.inner ? undefined : await selectQuietly(workspace, "aws-resources", o.stack);
  const phases: Phases = o.inner
    ? { local: stackOrder(o.op).filter((p) => (INNER_PHASE as readonly string[]).includes(p)) }
    : phasesFor(o.op, await networkModeFor(o.op, awsResources), o.only);
  const runner = phases.inner
    ? (o.runner ?? realRunnerDeps(confluentConfigOf(workspace, o.stack)))
    : undefined;
  // Read once (a file, maybe the connector stack's config): checked before anything changes, then used.
  const runnerCreds = runner && (await runnerCredentials(runner.credentialSources));
  const inner = async (): Promise<boolean> => {
    if (!phases.inner || !runner) return true;
    // Selected again only when it did not exist before this run (an up creates it).
    const handle = awsResources ?? (await selectQuietly(workspace, "aws-resources", o.stack));
    const target = handle
      ? runnerTargetFrom(
          Object.fromEntries(Object.entries(await handle.outputs()).map(([k, out]) => [k, out.value])),
        )
      : "the aws-resources stack does not exist";
    if (typeof target === "string") {
      write(`✗ runner: ${target}`);
      return false;
    }
    return (
      (await startInnerPhase({
        command: phases.inner.command,
        stack: o.stack,
        target,
        deps: runner,
        write,
        ...(runnerCreds ? { credentials: runnerCreds } : {}),
      })) === 0
    );
  };
  const innerProblems = runnerCreds && !runnerCreds.ok ? [...runnerCreds.problems] : [];
  const result = await runOperation({
    op: o.op,
    stackName: o.stack,
    projects: phases.local,
    workspace,
    reporter: new ConsoleReporter(write, o.now),
    check: async (project: StackProject, handle: StackHandle) => [
      ...(credentialsOk ? await credentialsOk(project, handle) : []),
      ...(await address(project, handle)),
    ],
    preflight: innerProblems,
    ...(decision === "prompt"
      ? {
          confirm: async (order: readonly string[]) => {
            const { question, expected } = confirmationQuestion(o.op, o.stack, [
              ...(phases.inner?.first ? ["inner phase"] : []),
              ...order,
              ...(phases.inner && !phases.inner.first ? ["inner phase"] : []),
            ]);
            const answer = o.ask ? await o.ask(question) : "";
            return answer.trim() === expected;
          },
        }
      : {}),
    ...(phases.inner?.first ? { before: inner } : {}),
  });
  const innerOk = result.ok && phases.inner && !phases.inner.first ? await inner() : true;
  const summary = innerOk ? result : { ...result, ok: false };
  for (const line of resultSummary(o.op, o.stack, summary)) write(line);
  if (result.ok && !innerOk)
    write("✗ the inner phase failed in the runner (see its log above); the public phase is done");
  return summary.ok ? DEPLOY_EXIT.ok : DEPLOY_EXIT.failed;
}

/** A stack's handle, or undefined when it does not exist (or cannot be opened yet). */
async function selectQuietly(
  workspace: Workspace,
  project: StackProject,
  stack: string,
): Promise<StackHandle | undefined> {
  try {
    return await workspace.select(project, stack, false);
  } catch {
    return undefined;
  }
}

/** The Confluent key of the connector stack's config, for the runner when the environment has none. */
function confluentConfigOf(workspace: Workspace, stack: string) {
  return async () => {
    const handle = await selectQuietly(workspace, "connector", stack);
    const [key, secret] = await Promise.all([
      handle?.getConfig("confluentcloud:cloudApiKey"),
      handle?.getConfig("confluentcloud:cloudApiSecret"),
    ]);
    return { ...(key ? { key } : {}), ...(secret ? { secret } : {}) };
  };
}

async function outputsCommand(
  o: DeployCommandOptions,
  workspace: Workspace,
  write: (line: string) => void,
): Promise<number> {
  // With --json, stdout is the document alone, so it can be redirected into a file for verify.
  const note = o.json ? (o.writeErr ?? ((line: string) => process.stderr.write(line + "\n"))) : write;
  const { result, outputs } = await collectOutputs(workspace, o.stack, stackOrder("outputs", o.only));
  if (o.json && result.ok) write(outputsJson(outputs, o.showSecrets ?? false));
  else if (!o.json) {
    for (const [project, values] of Object.entries(outputs))
      write(outputsText(project, values, o.showSecrets));
  }
  const absent = result.results.filter((r) => r.status === "absent").map((r) => r.project);
  if (absent.length > 0) note(`(not deployed: ${absent.join(", ")})`);
  for (const r of result.results) if (r.status === "failed") note(`✗ ${r.project}: ${r.error ?? "failed"}`);
  if (!result.ok) for (const line of resultSummary("outputs", o.stack, result)) note(line);
  return result.ok ? DEPLOY_EXIT.ok : DEPLOY_EXIT.failed;
}
