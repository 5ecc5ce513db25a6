import { getSourceMapsSupport, setSourceMapsSupport } from "node:module";
import * as pulumi from "@pulumi/pulumi";
import type { RecordedInvoke, RecordedResource, RecorderOptions, UpstreamStack } from "./mocks";
import { RecordingMocks } from "./mocks";

/** The organization a run is in unless it names one; `upstreamStackName` defaults to `<org>/<project>/<stack>`. */
export const MOCK_ORGANIZATION = "organization";

/** A stack program as `index.ts` exports it: an async function returning the stack outputs. */
export type StackProgram = () => Promise<Record<string, pulumi.Input<unknown>>>;

export interface StackRunInput extends RecorderOptions {
  readonly project: string;
  readonly stack: string;
  readonly organization?: string;
  /** Fully qualified config (`project:key` / `aws:region`) as Pulumi would pass it: strings. */
  readonly config: Readonly<Record<string, string>>;
  readonly secretKeys?: readonly string[];
  readonly program: StackProgram;
  /** Run as a preview (unknown computed values stay unknown). Default false. */
  readonly preview?: boolean;
  /** Record the program's warnings without passing them on to the log. Default false. */
  readonly quiet?: boolean;
}

export interface StackRun {
  readonly project: string;
  readonly stack: string;
  readonly resources: readonly RecordedResource[];
  readonly invokes: readonly RecordedInvoke[];
  /** Resolved output values (secrets included, in plain form — mask before printing). */
  readonly outputs: Record<string, unknown>;
  readonly secretOutputNames: readonly string[];
  /** What the program logged with `pulumi.log.warn` during this run (still passed on to the log). */
  readonly warnings: readonly string[];
}

/** Failure of a program under mocks, still carrying what registered before it failed. */
export class StackRunError extends Error {
  constructor(
    readonly project: string,
    override readonly cause: unknown,
    readonly resources: readonly RecordedResource[],
  ) {
    super(`${project}: ${cause instanceof Error ? cause.message : String(cause)}`);
    this.name = "StackRunError";
  }
}

const settings = (): { waitForRPCs: () => Promise<void> } =>
  // waitForRPCs is internal to the SDK; it is the only way to know every registration finished.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require("@pulumi/pulumi/runtime/settings") as { waitForRPCs: () => Promise<void> };

/** The run in progress: the Pulumi runtime (mocks, config, stack) is one global per process. */
let current: Promise<unknown> = Promise.resolve();

/**
 * Runs one stack program fully offline under recording mocks with the given config and upstream
 * stacks, waits for every registration, and returns what was registered and exported. Runs
 * queue one after another, so callers that overlap (test hooks of files sharing one process) never
 * see each other's mocks or config.
 */
export function runStack(input: StackRunInput): Promise<StackRun> {
  const run = current.then(() =>
    withCheapStackTraces(() =>
      withWarningsRecorded(input.quiet ?? false, (warnings) => runAlone(input, warnings)),
    ),
  );
  current = run.catch(() => undefined);
  return run;
}

/**
 * Runs `body` with cheap stack traces. The Pulumi SDK captures `new Error().stack` for every promise
 * it tracks and every resource it registers, and with source maps on (tsx turns them on) each capture
 * is also mapped through them: together about half the CPU of a stack run under mocks. So traces are
 * off while a program runs: a failing program's message is unchanged, only its stack frames are
 * gone. Set FRAUD_INFRA_STACK_TRACES=1 to keep them when debugging a program.
 */
async function withCheapStackTraces<T>(body: () => Promise<T>): Promise<T> {
  if (process.env.FRAUD_INFRA_STACK_TRACES === "1") return body();
  const sourceMaps = getSourceMapsSupport();
  const limit = Error.stackTraceLimit;
  setSourceMapsSupport(false);
  Error.stackTraceLimit = 0;
  try {
    return await body();
  } finally {
    Error.stackTraceLimit = limit;
    setSourceMapsSupport(sourceMaps.enabled, {
      nodeModules: sourceMaps.nodeModules,
      generatedCode: sourceMaps.generatedCode,
    });
  }
}

/** Records this run's `pulumi.log.warn` messages, so callers never need to patch the logger. */
async function withWarningsRecorded<T>(quiet: boolean, body: (warnings: string[]) => Promise<T>): Promise<T> {
  const warnings: string[] = [];
  const original = pulumi.log.warn;
  pulumi.log.warn = (msg, ...rest) => {
    warnings.push(msg);
    return quiet ? Promise.resolve() : original.call(pulumi.log, msg, ...rest);
  };
  try {
    return await body(warnings);
  } finally {
    pulumi.log.warn = original;
  }
}

async function runAlone(input: StackRunInput, warnings: readonly string[]): Promise<StackRun> {
  const mocks = new RecordingMocks(input);
  await pulumi.runtime.setMocks(
    mocks,
    input.project,
    input.stack,
    input.preview ?? false,
    input.organization ?? MOCK_ORGANIZATION,
  );
  mocks.captureRequestDetails();
  pulumi.runtime.setAllConfig({ ...input.config }, [...(input.secretKeys ?? [])]);

  let exported: Record<string, pulumi.Input<unknown>>;
  try {
    exported = await input.program();
  } catch (err) {
    await settings()
      .waitForRPCs()
      .catch(() => undefined);
    throw new StackRunError(input.project, err, mocks.resources);
  }
  const outputs: Record<string, unknown> = {};
  const secretOutputNames: string[] = [];
  for (const [key, value] of Object.entries(exported)) {
    const out = pulumi.output(value);
    outputs[key] = await unwrap(out);
    if (await pulumi.isSecret(out)) secretOutputNames.push(key);
  }
  try {
    await settings().waitForRPCs();
  } catch (err) {
    throw new StackRunError(input.project, err, mocks.resources);
  }
  return {
    project: input.project,
    stack: input.stack,
    resources: mocks.resources,
    invokes: mocks.invokes,
    outputs,
    secretOutputNames,
    warnings,
  };
}

function unwrap<T>(o: pulumi.Output<T>): Promise<T> {
  return new Promise((resolve) => o.apply((v) => resolve(v)));
}

/** Turns a finished run into the upstream view a downstream StackReference reads. */
export function asUpstream(run: StackRun): UpstreamStack {
  return { outputs: run.outputs, secretOutputNames: run.secretOutputNames };
}
