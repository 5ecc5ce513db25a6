import { execFile } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { JOB_SCRIPT_FILE } from "../../lib/in-cluster-job";
import { JOB_SECRET_ENV } from "../../lib/job-main";
import type { StackRun } from "../../tools/offline/run-stack";
import { T } from "../../tests/helpers/processing";
import { one } from "../../tests/helpers/resources";

/**
 * The processing stack's OpenSearch setup Job as the stack renders it: the files its ConfigMap carries
 * (the bundled script and the saved objects) and the environment its container gets, values from its
 * Secret resolved. Run by Node as the container runs it: `node main.js` beside the data files.
 */

export interface RenderedJob {
  readonly files: Readonly<Record<string, string>>;
  readonly env: Readonly<Record<string, string>>;
}

type EnvEntry = { name: string; value?: string; valueFrom?: { secretKeyRef?: { key?: string } } };

/** The container's environment, each `secretKeyRef` read from the Secret's `stringData`. */
export function resolveJobEnv(
  entries: readonly EnvEntry[],
  secretData: Readonly<Record<string, string>>,
): Record<string, string> {
  return Object.fromEntries(
    entries.map((e) => {
      if (e.value !== undefined) return [e.name, e.value];
      const key = e.valueFrom?.secretKeyRef?.key;
      const value = key === undefined ? undefined : secretData[key];
      if (value === undefined) throw new Error(`the Job's ${e.name} refers to no value of its Secret`);
      return [e.name, value];
    }),
  );
}

const BASE = "opensearch-setup-job";

/** The OpenSearch setup Job of a processing stack run. */
export function renderedSetupJob(run: StackRun): RenderedJob {
  const job = one(run, T.job, `${BASE}-job`);
  const configMap = one(run, T.configMap, `${BASE}-files`);
  const secret = one(run, T.k8sSecret, `${BASE}-env`);
  const containers = (job.inputs.spec as { template: { spec: { containers: { env?: EnvEntry[] }[] } } })
    .template.spec.containers;
  if (containers.length !== 1) throw new Error(`the Job has ${containers.length} containers, not one`);
  return {
    files: configMap.inputs.data as Record<string, string>,
    env: resolveJobEnv(containers[0]?.env ?? [], secret.inputs.stringData as Record<string, string>),
  };
}

export interface JobRun {
  readonly code: number;
  readonly output: string;
}

/**
 * Runs the Job's script against `endpoint` (the one value that differs from the rendered environment:
 * the domain's address) with Node trusting `caFile` as well as its own CAs. Outside a pod there is no
 * Kubernetes API to remove the Job's Secret through, so the variable naming it is left out
 * (tests/job-main.test.ts covers the removal).
 */
export async function runSetupJob(job: RenderedJob, endpoint: string, caFile: string): Promise<JobRun> {
  if (!job.env.OPENSEARCH_ENDPOINT) throw new Error("the rendered Job passes no OPENSEARCH_ENDPOINT");
  const dir = mkdtempSync(path.join(tmpdir(), "engines-opensearch-job-"));
  try {
    for (const [name, text] of Object.entries(job.files)) writeFileSync(path.join(dir, name), text);
    const env: Record<string, string> = {
      ...job.env,
      OPENSEARCH_ENDPOINT: endpoint,
      NODE_EXTRA_CA_CERTS: caFile,
    };
    delete env[JOB_SECRET_ENV];
    return await new Promise<JobRun>((resolve) => {
      execFile(
        process.execPath,
        [path.join(dir, JOB_SCRIPT_FILE)],
        { env, timeout: 120_000 },
        (err, stdout, stderr) =>
          resolve({ code: err ? Number(err.code ?? 1) : 0, output: `${stdout}${stderr}` }),
      );
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
