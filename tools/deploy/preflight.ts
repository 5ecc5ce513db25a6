import { execFile } from "node:child_process";
import { existsSync } from "node:fs";
import { homedir } from "node:os";
import * as path from "node:path";
import { PROJECTS } from "../../lib/contracts";
import type { StackProject } from "../stacks";
import type { Operation, StackHandle } from "./orchestrate";

/**
 * Checks before a real run changes anything, each with a message that says what to do. The
 * credential checks only look for the presence of a source the providers read; whether the
 * credentials work is for the providers to say.
 */

export const INSTALL_PULUMI =
  "The Pulumi CLI was not found on PATH. Install it (https://www.pulumi.com/docs/iac/download-install/), " +
  "then `pulumi login`. The offline `npm run plan` needs neither.";

/** `pulumi version` output, or undefined when the CLI is not on PATH. */
export function pulumiVersion(): Promise<string | undefined> {
  return new Promise((resolve) => {
    execFile("pulumi", ["version"], { timeout: 30_000 }, (err, stdout) => {
      resolve(err ? undefined : stdout.trim());
    });
  });
}

export interface CredentialEnv {
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly fileExists: (file: string) => boolean;
  readonly home: string;
}

export const realCredentialEnv = (): CredentialEnv => ({
  env: process.env,
  fileExists: existsSync,
  home: homedir(),
});

/** Stacks whose providers talk to Confluent Cloud. */
const CONFLUENT_STACKS: readonly StackProject[] = [
  PROJECTS.connector,
  PROJECTS.processing,
  PROJECTS.dataPlane,
];

/**
 * Where the AWS providers find credentials (env, shared files, web identity, containers). Stack
 * config (`aws:profile`, `aws:accessKey`) is not a source: every stack creates its AWS resources
 * through an explicit provider (lib/aws-provider.ts) and the readiness gates call AWS from the
 * dynamic-provider process, and neither reads the `aws:` stack config.
 */
export function awsCredentialSource(c: CredentialEnv): string | undefined {
  const e = c.env;
  if (e.AWS_ACCESS_KEY_ID && e.AWS_SECRET_ACCESS_KEY) return "AWS_ACCESS_KEY_ID";
  if (e.AWS_PROFILE) return `AWS_PROFILE=${e.AWS_PROFILE}`;
  if (e.AWS_WEB_IDENTITY_TOKEN_FILE && e.AWS_ROLE_ARN) return "AWS_WEB_IDENTITY_TOKEN_FILE";
  if (e.AWS_CONTAINER_CREDENTIALS_RELATIVE_URI || e.AWS_CONTAINER_CREDENTIALS_FULL_URI)
    return "container credentials";
  const shared = [
    e.AWS_SHARED_CREDENTIALS_FILE ?? path.join(c.home, ".aws", "credentials"),
    e.AWS_CONFIG_FILE ?? path.join(c.home, ".aws", "config"),
  ];
  return shared.find((f) => c.fileExists(f));
}

export const NO_AWS_CREDENTIALS =
  "no AWS credentials found: set AWS_PROFILE (e.g. after `aws sso login`) or " +
  "AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY; on an instance/CI role pass --skip-credential-check";

/** Stack config an explicit AWS provider ignores: the run would use other credentials (or none). */
export function awsStackConfigIgnored(keys: readonly string[]): string {
  return (
    `stack config ${keys.join(", ")} is ignored: the stacks' AWS providers are explicit and read credentials ` +
    "from the environment only; remove it (`pulumi config rm …`) and export AWS_PROFILE (or the key pair) instead"
  );
}

export const NO_CONFLUENT_CREDENTIALS =
  "no Confluent Cloud API key: export CONFLUENT_CLOUD_API_KEY and CONFLUENT_CLOUD_API_SECRET (a Cloud resource " +
  "management key), or `pulumi config set confluentcloud:cloudApiKey <key>` and " +
  "`pulumi config set --secret confluentcloud:cloudApiSecret <secret>`";

/** The per-stack credential check for an operation; outputs need no cloud credentials. */
export function credentialCheck(op: Operation, c: CredentialEnv) {
  return async (project: StackProject, handle: StackHandle): Promise<string[]> => {
    if (op === "outputs") return [];
    const problems: string[] = [];
    const [profile, accessKey] = await Promise.all([
      handle.getConfig("aws:profile"),
      handle.getConfig("aws:accessKey"),
    ]);
    const ignored = [...(profile ? ["aws:profile"] : []), ...(accessKey ? ["aws:accessKey"] : [])];
    if (ignored.length > 0) problems.push(awsStackConfigIgnored(ignored));
    if (!awsCredentialSource(c)) problems.push(NO_AWS_CREDENTIALS);
    if (CONFLUENT_STACKS.includes(project)) {
      const configured = await handle.getConfig("confluentcloud:cloudApiKey");
      const env = c.env.CONFLUENT_CLOUD_API_KEY && c.env.CONFLUENT_CLOUD_API_SECRET;
      if (!configured && !env) problems.push(NO_CONFLUENT_CREDENTIALS);
    }
    return problems;
  };
}

/** Whether up/destroy may proceed without asking: `--yes`, or a prompt on a terminal. */
export function confirmation(
  op: Operation,
  yes: boolean,
  interactive: boolean,
): "proceed" | "prompt" | "refuse" {
  if (op !== "up" && op !== "destroy") return "proceed";
  if (yes) return "proceed";
  return interactive ? "prompt" : "refuse";
}

export function refusalMessage(op: Operation): string {
  return `Refusing to ${op} without --yes when not running in a terminal (nothing was changed). Review \`fraud-infra preview\` first, then re-run with --yes.`;
}
