import type { DataStoreChange, StepView } from "../plan/replacements";
import { dataStoreWarning, stepDataStoreChange } from "../plan/replacements";
import type { StackProject } from "../stacks";
import { STACK_ORDER } from "../stacks";

/**
 * Ordering and failure handling of real runs, over an injected workspace so it is unit-tested
 * without the Pulumi CLI: up/preview/outputs go aws-resources → connector → processing, destroy
 * goes in reverse, every stack is opened and checked before the first one changes, and the run
 * stops at the first failed stack and names it. A change that would replace or delete a data store
 * is a warning line before it happens: `preview` prints it from its own steps, `up` previews each
 * stack first (once the stacks before it are up, so their outputs are current) and prints it then.
 */

export type Operation = "preview" | "up" | "destroy" | "outputs";

/** The subset of an Automation API engine event the progress display reads. */
export interface EngineEventLike {
  readonly resourcePreEvent?: { readonly metadata: StepView };
  readonly resOutputsEvent?: { readonly metadata: StepView };
  readonly resOpFailedEvent?: { readonly metadata: StepView };
  readonly diagnosticEvent?: { readonly message: string; readonly severity: string; readonly urn?: string };
  readonly summaryEvent?: { readonly resourceChanges: Readonly<Record<string, number>> };
}

export interface StackOutput {
  readonly value: unknown;
  readonly secret: boolean;
}

export interface OperationCallbacks {
  readonly onEvent: (event: EngineEventLike) => void;
  readonly onOutput: (text: string) => void;
}

/** One selected stack (Automation API `Stack`, or a fake in tests). */
export interface StackHandle {
  run(op: Exclude<Operation, "outputs">, callbacks: OperationCallbacks): Promise<void>;
  outputs(): Promise<Record<string, StackOutput>>;
  /** A stack config value (secrets decrypted), undefined when unset. */
  getConfig(key: string): Promise<string | undefined>;
}

export interface Workspace {
  /** Opens `stacks/<project>` / `stackName`; undefined when it does not exist and `create` is false. */
  select(project: StackProject, stackName: string, create: boolean): Promise<StackHandle | undefined>;
}

export interface Reporter {
  stackStarted(project: StackProject, op: Operation): void;
  event(project: StackProject, event: EngineEventLike): void;
  output(project: StackProject, text: string): void;
  stackFinished(project: StackProject, result: StackResult): void;
  /** A warning about the stack's changes (a data store it would replace), before they are made. */
  warning(project: StackProject, line: string): void;
  outputs(project: StackProject, outputs: Record<string, StackOutput>): void;
}

export type StackStatus = "succeeded" | "failed" | "absent" | "not-run";

export interface StackResult {
  readonly project: StackProject;
  readonly status: StackStatus;
  readonly error?: string;
}

export interface OperationResult {
  readonly ok: boolean;
  readonly results: readonly StackResult[];
  /** The stack that failed, when one did. */
  readonly failed?: StackProject;
  /** Problems found before anything changed (missing credentials, …). */
  readonly preflight?: readonly string[];
  /** The user declined the confirmation; nothing changed. */
  readonly aborted?: boolean;
  /** The step before the first stack (`before`) failed; no stack ran. */
  readonly beforeFailed?: boolean;
}

/** Stacks an operation touches, in the order it touches them. */
export function stackOrder(op: Operation, only?: StackProject): StackProject[] {
  const order = op === "destroy" ? [...STACK_ORDER].reverse() : [...STACK_ORDER];
  return only ? order.filter((s) => s === only) : order;
}

export interface RunOperationArgs {
  readonly op: Operation;
  readonly stackName: string;
  readonly only?: StackProject;
  /** The stacks to run, in order (default: every stack, or `only`, in the operation's order). */
  readonly projects?: readonly StackProject[];
  readonly workspace: Workspace;
  readonly reporter: Reporter;
  /** Per-stack checks before anything changes; each returns problems (empty when fine). */
  readonly check?: (project: StackProject, handle: StackHandle) => Promise<string[]>;
  /** Problems of no one stack (the inner phase's credentials), found before; they stop the run too. */
  readonly preflight?: readonly string[];
  /** Asked once every check passed, before the first change; false aborts with nothing changed. */
  readonly confirm?: (order: readonly StackProject[]) => Promise<boolean>;
  /** Runs after the confirmation, before the first stack (the inner phase of a destroy); false stops. */
  readonly before?: () => Promise<boolean>;
}

export async function runOperation(args: RunOperationArgs): Promise<OperationResult> {
  const order = args.projects ? [...args.projects] : stackOrder(args.op, args.only);
  // Only up creates missing stacks; preview/outputs/destroy of a missing stack is an error or a no-op.
  const create = args.op === "up";
  const handles = new Map<StackProject, StackHandle>();
  const results: StackResult[] = [];
  const problems: string[] = [];
  for (const project of order) {
    let handle: StackHandle | undefined;
    try {
      handle = await args.workspace.select(project, args.stackName, create);
    } catch (err) {
      problems.push(`${project}: cannot open stack ${args.stackName}: ${errorText(err)}`);
      continue;
    }
    if (!handle) {
      // Nothing to destroy or show in a stack that was never deployed.
      if (args.op === "destroy" || args.op === "outputs") continue;
      problems.push(`${project}: stack ${args.stackName} does not exist (run \`fraud-infra up\` first)`);
      continue;
    }
    handles.set(project, handle);
    if (args.check) problems.push(...(await args.check(project, handle)).map((p) => `${project}: ${p}`));
  }
  problems.push(...(args.preflight ?? []));
  if (problems.length > 0) {
    return {
      ok: false,
      results: order.map((project) => ({ project, status: "not-run" })),
      preflight: problems,
    };
  }
  if (args.confirm && !(await args.confirm(order.filter((p) => handles.has(p))))) {
    return { ok: false, results: order.map((project) => ({ project, status: "not-run" })), aborted: true };
  }
  if (args.before && !(await args.before())) {
    return {
      ok: false,
      results: order.map((project) => ({ project, status: "not-run" })),
      beforeFailed: true,
    };
  }
  let failed: StackProject | undefined;
  for (const project of order) {
    const handle = handles.get(project);
    if (failed) {
      results.push({ project, status: "not-run" });
      continue;
    }
    if (!handle) {
      results.push({ project, status: "absent" });
      continue;
    }
    args.reporter.stackStarted(project, args.op);
    let result: StackResult;
    try {
      if (args.op === "outputs") args.reporter.outputs(project, await handle.outputs());
      else {
        if (args.op === "up") {
          const ahead = dataStoreWatch(project);
          // Only its diagnostics reach the log: its steps are the up's, which prints them as they happen.
          await handle.run("preview", {
            onEvent: (e) => {
              ahead.onEvent(e);
              if (e.diagnosticEvent) args.reporter.event(project, e);
            },
            onOutput: () => undefined,
          });
          for (const line of ahead.warnings()) args.reporter.warning(project, line);
        }
        const watch = dataStoreWatch(project);
        await handle.run(args.op, {
          onEvent: (e) => {
            args.reporter.event(project, e);
            if (args.op === "preview") watch.onEvent(e);
          },
          onOutput: (t) => args.reporter.output(project, t),
        });
        for (const line of watch.warnings()) args.reporter.warning(project, line);
      }
      result = { project, status: "succeeded" };
    } catch (err) {
      failed = project;
      result = { project, status: "failed", error: errorText(err) };
    }
    args.reporter.stackFinished(project, result);
    results.push(result);
  }
  return { ok: failed === undefined, results, ...(failed ? { failed } : {}) };
}

/** Collects the data-store changes a preview's steps announce, as warning lines. */
function dataStoreWatch(project: StackProject) {
  const changes: DataStoreChange[] = [];
  return {
    onEvent(e: EngineEventLike) {
      const step = e.resourcePreEvent?.metadata;
      const change = step && stepDataStoreChange(project, step);
      if (change) changes.push(change);
    },
    warnings: () => changes.map(dataStoreWarning),
  };
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
