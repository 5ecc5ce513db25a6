import type { StackProject } from "../stacks";
import { automationWorkspace } from "./automation";
import type { Operation, OperationResult, StackHandle, StackResult, Workspace } from "./orchestrate";
import { runOperation } from "./orchestrate";
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
  const decision = confirmation(o.op, o.yes, o.interactive);
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
  const result = await runOperation({
    op: o.op,
    stackName: o.stack,
    ...(o.only ? { only: o.only } : {}),
    workspace,
    reporter: new ConsoleReporter(write, o.now),
    check: async (project: StackProject, handle: StackHandle) => [
      ...(credentialsOk ? await credentialsOk(project, handle) : []),
      ...(await address(project, handle)),
    ],
    ...(decision === "prompt"
      ? {
          confirm: async (order: readonly string[]) => {
            const { question, expected } = confirmationQuestion(o.op, o.stack, order);
            const answer = o.ask ? await o.ask(question) : "";
            return answer.trim() === expected;
          },
        }
      : {}),
  });
  for (const line of resultSummary(o.op, o.stack, result)) write(line);
  return result.ok ? DEPLOY_EXIT.ok : DEPLOY_EXIT.failed;
}

async function outputsCommand(
  o: DeployCommandOptions,
  workspace: Workspace,
  write: (line: string) => void,
): Promise<number> {
  // With --json, stdout is the document alone, so it can be redirected into a file for verify.
  const note = o.json ? (o.writeErr ?? ((line: string) => process.stderr.write(line + "\n"))) : write;
  const { result, outputs } = await collectOutputs(workspace, o.stack, o.only);
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
