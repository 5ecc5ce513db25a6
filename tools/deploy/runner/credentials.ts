import { readFileSync } from "node:fs";
import { homedir } from "node:os";
import * as path from "node:path";
import type { RunnerCredentials } from "./runner";

/**
 * The credentials the runner's build needs, from where this machine has them: the Pulumi backend's
 * token (PULUMI_ACCESS_TOKEN, else the one `pulumi login` stored for the current backend) and the
 * Confluent Cloud key (the environment, else the stack config the caller read). None is ever printed.
 */

export interface CredentialSources {
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The Pulumi CLI's credentials file (`~/.pulumi/credentials.json`). */
  readonly readPulumiCredentials: () => string | undefined;
  /** `confluentcloud:cloudApiKey` / `…Secret` of a Confluent stack's config. */
  readonly confluentConfig: () => Promise<{ key?: string; secret?: string }>;
}

export const realPulumiCredentials = (): string | undefined => {
  try {
    return readFileSync(path.join(homedir(), ".pulumi", "credentials.json"), "utf8");
  } catch {
    return undefined;
  }
};

/** The current backend and its token from the Pulumi CLI's credentials file, if any. */
export function pulumiLogin(file: string | undefined): { backendUrl?: string; token?: string } {
  if (!file) return {};
  try {
    const doc = JSON.parse(file) as { current?: string; accessTokens?: Record<string, string> };
    const backendUrl = doc.current;
    const token = backendUrl ? doc.accessTokens?.[backendUrl] : undefined;
    return { ...(backendUrl ? { backendUrl } : {}), ...(token ? { token } : {}) };
  } catch {
    return {};
  }
}

export type CredentialsResult =
  | { readonly ok: true; readonly credentials: RunnerCredentials; readonly backendUrl?: string }
  | { readonly ok: false; readonly problems: readonly string[] };

export async function runnerCredentials(src: CredentialSources): Promise<CredentialsResult> {
  const login = pulumiLogin(src.readPulumiCredentials());
  const token = src.env.PULUMI_ACCESS_TOKEN ?? login.token;
  const backendUrl = src.env.PULUMI_BACKEND_URL ?? login.backendUrl;
  const config = src.env.CONFLUENT_CLOUD_API_KEY ? {} : await src.confluentConfig();
  const key = src.env.CONFLUENT_CLOUD_API_KEY ?? config.key;
  const secret = src.env.CONFLUENT_CLOUD_API_SECRET ?? config.secret;
  const problems = [
    ...(token
      ? []
      : [
          "the runner needs the Pulumi backend's token: export PULUMI_ACCESS_TOKEN (or `pulumi login`); a backend " +
            "without a token (a local or s3:// one) cannot be reached from the runner",
        ]),
    ...(key && secret
      ? []
      : [
          "the runner needs the Confluent Cloud key: export CONFLUENT_CLOUD_API_KEY and CONFLUENT_CLOUD_API_SECRET",
        ]),
  ];
  if (problems.length > 0 || !token || !key || !secret) return { ok: false, problems };
  return {
    ok: true,
    credentials: {
      PULUMI_ACCESS_TOKEN: token,
      CONFLUENT_CLOUD_API_KEY: key,
      CONFLUENT_CLOUD_API_SECRET: secret,
    },
    ...(backendUrl && !backendUrl.startsWith("https://api.pulumi.com") ? { backendUrl } : {}),
  };
}
