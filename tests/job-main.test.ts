import assert from "node:assert/strict";
import { test } from "node:test";
import { removeJobSecret } from "../lib/job-main";

// The Job's own Secret, removed by the Job once it has succeeded (lib/job-main.ts), against a
// stand-in for the Kubernetes API.

const ACCOUNT_FILES: Record<string, string> = {
  "/var/run/secrets/kubernetes.io/serviceaccount/token": "token-abc\n",
  "/var/run/secrets/kubernetes.io/serviceaccount/namespace": "fraud-deploy-jobs",
};
const readFile = (file: string) => {
  const text = ACCOUNT_FILES[file];
  if (text === undefined) throw new Error(`ENOENT: ${file}`);
  return text;
};
const ENV = {
  JOB_SECRET_NAME: "opensearch-setup-0123456789",
  KUBERNETES_SERVICE_HOST: "172.20.0.1",
  KUBERNETES_SERVICE_PORT: "443",
};

function apiAnswering(status: number) {
  const calls: { url: string; init: RequestInit | undefined }[] = [];
  const fetch = (url: string, init?: RequestInit) => {
    calls.push({ url, init });
    return Promise.resolve(new Response(status === 200 ? "{}" : `{"code":${status}}`, { status }));
  };
  return { calls, fetch };
}

test("a Job with a Secret deletes exactly that Secret, as its own service account", async () => {
  const api = apiAnswering(200);
  const line = await removeJobSecret(ENV, { fetch: api.fetch, readFile });
  assert.deepEqual(
    api.calls.map((c) => [c.init?.method, c.url]),
    [
      [
        "DELETE",
        "https://172.20.0.1:443/api/v1/namespaces/fraud-deploy-jobs/secrets/opensearch-setup-0123456789",
      ],
    ],
  );
  assert.deepEqual(api.calls[0]?.init?.headers, { Authorization: "Bearer token-abc" });
  assert.equal(line, "removed Secret fraud-deploy-jobs/opensearch-setup-0123456789");
});

test("already gone (a retried pod) is fine; a refusal fails the Job, naming the Secret", async () => {
  assert.match(
    (await removeJobSecret(ENV, { fetch: apiAnswering(404).fetch, readFile })) ?? "",
    /already gone/,
  );
  await assert.rejects(
    removeJobSecret(ENV, { fetch: apiAnswering(403).fetch, readFile }),
    /could not remove Secret fraud-deploy-jobs\/opensearch-setup-0123456789: HTTP 403/,
  );
});

test("a Job without a Secret calls nothing", async () => {
  const api = apiAnswering(200);
  assert.equal(
    await removeJobSecret({ KUBERNETES_SERVICE_HOST: "172.20.0.1" }, { fetch: api.fetch, readFile }),
    undefined,
  );
  assert.deepEqual(api.calls, []);
});
