import type { Clock } from "../../../lib/readiness";
import {
  RUNNER_BUILD_TIMEOUT_MINUTES,
  RUNNER_SOURCE_PREFIX,
} from "../../../stacks/aws-resources/runner/runner-policy";

/**
 * The inner phase of a private deployment, driven from the deploying machine
 * (docs/design-decisions.md#the-runner): the credentials go into the runner's secret, the source
 * revision into its bucket, a build of its CodeBuild project runs `fraud-infra inner <command>` inside
 * the VPC, and its log streams here until it ends. Everything AWS is an injected client, so every
 * failure mode is tested offline (tests/tools-runner.test.ts).
 */

/** What `fraud-infra inner` runs. */
export const INNER_COMMANDS = ["up", "preview", "destroy", "verify", "status"] as const;
export type InnerCommand = (typeof INNER_COMMANDS)[number];

/** The runner as the aws-resources outputs name it. */
export interface RunnerTarget {
  readonly region: string;
  readonly projectName: string;
  readonly sourceBucket: string;
  readonly logGroupName: string;
  readonly secretArn: string;
}

export interface BuildState {
  /** CodeBuild's buildStatus: IN_PROGRESS, SUCCEEDED, FAILED, FAULT, STOPPED, TIMED_OUT. */
  readonly status: string;
  readonly logStream?: string;
}

export interface RunnerClients {
  putSecret(secretArn: string, value: string): Promise<void>;
  putObject(bucket: string, key: string, body: Buffer, metadata: Record<string, string>): Promise<void>;
  /** Starts a build and returns its id. */
  startBuild(input: {
    readonly projectName: string;
    readonly sourceLocation: string;
    readonly env: Readonly<Record<string, string>>;
  }): Promise<string>;
  getBuild(id: string): Promise<BuildState>;
  /** Log lines after `token` (from the start without one) and the token to continue from. */
  getLogEvents(
    group: string,
    stream: string,
    token?: string,
  ): Promise<{ lines: string[]; nextToken?: string }>;
  stopBuild(id: string): Promise<void>;
}

/** The revision the runner builds: the commit and its `git archive`. */
export interface SourceRevision {
  readonly commit: string;
  archive(): Promise<Buffer>;
}

/** What the build reads from the runner's secret (RUNNER_SECRET_KEYS of the aws-resources stack). */
export interface RunnerCredentials {
  readonly PULUMI_ACCESS_TOKEN: string;
  readonly CONFLUENT_CLOUD_API_KEY: string;
  readonly CONFLUENT_CLOUD_API_SECRET: string;
}

export interface RunInnerArgs {
  readonly command: InnerCommand;
  readonly stack: string;
  readonly target: RunnerTarget;
  readonly clients: RunnerClients;
  readonly source: SourceRevision;
  readonly credentials: RunnerCredentials;
  /** The state backend the build logs in to (not a secret: the token is). */
  readonly backendUrl?: string;
  readonly clock: Clock;
  readonly write: (line: string) => void;
  /** How long to wait for the build. @default CodeBuild's own timeout plus WAIT_MARGIN_MINUTES */
  readonly timeoutMs?: number;
  /** @default 5000 */
  readonly pollMs?: number;
}

/** The wait outlasts the build's own timeout, so a build that runs too long ends TIMED_OUT itself. */
const WAIT_MARGIN_MINUTES = 5;

/** Lines of the build's log shown when it fails. */
const TAIL_LINES = 25;

const failedStates = ["FAILED", "FAULT", "STOPPED", "TIMED_OUT"];

/** The key of a revision in the bucket, under the prefix the runner's role may read. */
const sourceKey = (commit: string) => `${RUNNER_SOURCE_PREFIX}${commit}.zip`;

/** Runs one inner command in the runner; resolves with its exit code (0 only when the build succeeded). */
export async function runInner(a: RunInnerArgs): Promise<number> {
  const { clients, target, write } = a;
  const label = `inner ${a.command} --stack ${a.stack}`;
  write(`▶ runner: ${label} in ${target.projectName} (inside the VPC) at ${a.source.commit}`);
  try {
    await clients.putSecret(target.secretArn, JSON.stringify(a.credentials));
  } catch (err) {
    write(`✗ runner: could not put the build's credentials into ${target.secretArn}: ${text(err)}`);
    return 1;
  }
  const key = sourceKey(a.source.commit);
  try {
    await clients.putObject(target.sourceBucket, key, await a.source.archive(), { commit: a.source.commit });
  } catch (err) {
    write(
      `✗ runner: could not upload the source revision to s3://${target.sourceBucket}/${key}: ${text(err)}`,
    );
    return 1;
  }
  let id: string;
  try {
    id = await clients.startBuild({
      projectName: target.projectName,
      sourceLocation: `${target.sourceBucket}/${key}`,
      env: {
        FRAUD_INFRA_COMMAND: a.command,
        FRAUD_INFRA_STACK: a.stack,
        SOURCE_COMMIT: a.source.commit,
        ...(a.backendUrl ? { PULUMI_BACKEND_URL: a.backendUrl } : {}),
      },
    });
  } catch (err) {
    write(`✗ runner: the build could not start, so nothing ran inside the VPC: ${text(err)}`);
    return 1;
  }
  write(`  build ${id}; its log follows (CloudWatch ${target.logGroupName})`);
  return follow(a, id);
}

async function follow(a: RunInnerArgs, id: string): Promise<number> {
  const { clients, clock, write } = a;
  const deadline =
    clock.now() + (a.timeoutMs ?? (RUNNER_BUILD_TIMEOUT_MINUTES + WAIT_MARGIN_MINUTES) * 60_000);
  const tail: string[] = [];
  let token: string | undefined;
  const drain = async (stream: string | undefined) => {
    if (!stream) return;
    for (;;) {
      const page = await clients.getLogEvents(a.target.logGroupName, stream, token);
      for (const line of page.lines) {
        write(line);
        tail.push(line);
        if (tail.length > TAIL_LINES) tail.shift();
      }
      if (page.lines.length === 0 || page.nextToken === undefined || page.nextToken === token) {
        token = page.nextToken ?? token;
        return;
      }
      token = page.nextToken;
    }
  };
  const showTail = () => {
    if (tail.length === 0) return;
    write(`  last ${tail.length} line(s) of the build's log:`);
    for (const line of tail) write(`  | ${line}`);
  };
  for (;;) {
    const build = await clients.getBuild(id);
    await drain(build.logStream);
    if (build.status === "SUCCEEDED") {
      write(`✓ runner: build ${id} succeeded`);
      return 0;
    }
    if (failedStates.includes(build.status)) {
      write(`✗ runner: build ${id} ended ${build.status}: the inner command failed`);
      showTail();
      return 1;
    }
    if (clock.now() >= deadline) {
      await clients.stopBuild(id).catch(() => undefined);
      write(`✗ runner: build ${id} did not finish in time; it was stopped`);
      showTail();
      return 1;
    }
    await clock.sleep(a.pollMs ?? 5000);
  }
}

function text(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
