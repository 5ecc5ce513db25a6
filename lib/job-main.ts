import { readFileSync } from "node:fs";

/**
 * What every InClusterJob script does around its work (bundled into the script; no Pulumi SDK here).
 * A Job given secrets removes its own Secret once its work has succeeded, so the credentials it carried
 * do not stay in the cluster. It calls the Kubernetes API as the Job's own service account, whose Role
 * may delete that one Secret and nothing else (lib/in-cluster-job.ts).
 */

/** Where Kubernetes mounts a pod's service-account token, namespace and the API server's CA. */
export const SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount";

/** The environment variable that names the Job's Secret; absent when the Job has none. */
export const JOB_SECRET_ENV = "JOB_SECRET_NAME";

export interface JobSecretDeps {
  readonly fetch: (url: string, init?: RequestInit) => Promise<Response>;
  readonly readFile: (file: string) => string;
}

/**
 * Deletes the Secret `JOB_SECRET_NAME` names, in the pod's own namespace, through the in-cluster API
 * address Kubernetes puts in every pod's environment. Returns the line to log, or undefined when the
 * Job has no Secret. A Secret already gone (a retried pod) is fine; any other answer throws, so a
 * Secret that stays behind fails the Job rather than going unnoticed.
 */
export async function removeJobSecret(
  env: Readonly<Record<string, string | undefined>>,
  deps: JobSecretDeps,
): Promise<string | undefined> {
  const name = env[JOB_SECRET_ENV];
  if (!name) return undefined;
  const namespace = deps.readFile(`${SERVICE_ACCOUNT_DIR}/namespace`).trim();
  const token = deps.readFile(`${SERVICE_ACCOUNT_DIR}/token`).trim();
  const api = `https://${env.KUBERNETES_SERVICE_HOST ?? ""}:${env.KUBERNETES_SERVICE_PORT ?? "443"}`;
  const res = await deps.fetch(`${api}/api/v1/namespaces/${namespace}/secrets/${name}`, {
    method: "DELETE",
    headers: { Authorization: `Bearer ${token}` },
  });
  const secret = `Secret ${namespace}/${name}`;
  if (res.status === 404) return `${secret} already gone`;
  if (!res.ok) {
    throw new Error(`could not remove ${secret}: HTTP ${res.status} ${(await res.text()).slice(0, 200)}`);
  }
  return `removed ${secret}`;
}

/**
 * The entry of a Job script: runs `work`, logs what it reports, removes the Job's Secret, and exits
 * explicitly (timers of a client's per-request timeouts would otherwise keep the process alive). Any
 * error is the Job's failure, its message the last line of `kubectl logs job/<name>`.
 */
export function runJob(work: () => Promise<string>): void {
  const deps: JobSecretDeps = {
    fetch: (url, init) => fetch(url, init),
    readFile: (f) => readFileSync(f, "utf8"),
  };
  work()
    .then(async (done) => {
      console.log(done);
      const removed = await removeJobSecret(process.env, deps);
      if (removed) console.log(removed);
    })
    .then(
      () => process.exit(0),
      (err: unknown) => {
        console.error(err instanceof Error ? err.message : String(err));
        process.exit(1);
      },
    );
}
