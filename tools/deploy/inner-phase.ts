import { systemClock } from "../../lib/readiness";
import type { Clock } from "../../lib/readiness";
import { awsRunnerClients } from "./runner/aws-clients";
import type { CredentialSources, CredentialsResult } from "./runner/credentials";
import { realPulumiCredentials, runnerCredentials } from "./runner/credentials";
import type { InnerCommand, RunnerClients, RunnerTarget, SourceRevision } from "./runner/runner";
import { runInner } from "./runner/runner";
import { gitRevision } from "./runner/source";

/**
 * Starting the inner phase from this machine: which runner (the aws-resources outputs), which revision
 * (HEAD), which credentials, then runInner. Injected in tests; the defaults are the real ones.
 */
export interface RunnerDeps {
  readonly clients: (region: string) => RunnerClients;
  readonly source: () => Promise<SourceRevision & { readonly dirty: boolean }>;
  readonly credentialSources: CredentialSources;
  readonly clock: Clock;
  readonly timeoutMs?: number;
  readonly pollMs?: number;
}

export function realRunnerDeps(confluentConfig: CredentialSources["confluentConfig"]): RunnerDeps {
  return {
    clients: awsRunnerClients,
    source: gitRevision,
    credentialSources: { env: process.env, readPulumiCredentials: realPulumiCredentials, confluentConfig },
    clock: systemClock,
  };
}

/** The runner the aws-resources outputs name, or why there is none. */
export function runnerTargetFrom(outputs: Readonly<Record<string, unknown>>): RunnerTarget | string {
  const output = {
    region: "awsRegion",
    projectName: "runnerProjectName",
    sourceBucket: "runnerSourceBucket",
    logGroupName: "runnerLogGroupName",
    secretArn: "runnerSecretArn",
  } as const;
  const field = (k: keyof typeof output) =>
    typeof outputs[output[k]] === "string" ? (outputs[output[k]] as string) : "";
  const target: RunnerTarget = {
    region: field("region"),
    projectName: field("projectName"),
    sourceBucket: field("sourceBucket"),
    logGroupName: field("logGroupName"),
    secretArn: field("secretArn"),
  };
  const missing = (Object.keys(output) as (keyof typeof output)[])
    .filter((k) => target[k] === "")
    .map((k) => output[k]);
  if (missing.length === 0) return target;
  return (
    `the aws-resources stack names no runner (${missing.join(", ")} empty): it creates one with ` +
    "networkMode private; run `fraud-infra up` so it exists"
  );
}

export async function startInnerPhase(a: {
  readonly command: InnerCommand;
  readonly stack: string;
  readonly target: RunnerTarget;
  readonly deps: RunnerDeps;
  readonly write: (line: string) => void;
  /** Resolved by a caller that checked them before anything changed; read from deps when absent. */
  readonly credentials?: CredentialsResult;
}): Promise<number> {
  const creds = a.credentials ?? (await runnerCredentials(a.deps.credentialSources));
  if (!creds.ok) {
    for (const p of creds.problems) a.write(`✗ runner: ${p}`);
    return 1;
  }
  const source = await a.deps.source();
  if (source.dirty) {
    a.write(
      `warning: uncommitted changes stay here: the runner builds the committed revision ${source.commit}`,
    );
  }
  return runInner({
    command: a.command,
    stack: a.stack,
    target: a.target,
    clients: a.deps.clients(a.target.region),
    source,
    credentials: creds.credentials,
    ...(creds.backendUrl ? { backendUrl: creds.backendUrl } : {}),
    clock: a.deps.clock,
    write: a.write,
    ...(a.deps.timeoutMs !== undefined ? { timeoutMs: a.deps.timeoutMs } : {}),
    ...(a.deps.pollMs !== undefined ? { pollMs: a.deps.pollMs } : {}),
  });
}
