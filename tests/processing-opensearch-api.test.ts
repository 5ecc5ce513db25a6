import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import type { AuditConfig, FetchLike, OpenSearchApiError } from "../lib/opensearch-api";
import {
  checkImportAnswer,
  createOpenSearchClient,
  IN_CLUSTER_REACH_HINT,
  isOpenSearchApiError,
} from "../lib/opensearch-api";
import { opensearchAuditConfig } from "../stacks/processing/opensearch-setup/audit-config";

const AUDIT_CONFIG = opensearchAuditConfig("flagged_user");
import {
  readSetupEnv,
  readSetupFiles,
  runOpenSearchSetup,
  SETUP_FILES,
  setupClient,
} from "../stacks/processing/opensearch-setup/setup-steps";
import type { FakeClock } from "./helpers/fake-clock";
import { fakeClock } from "./helpers/fake-clock";
import { opensearchSinkRole } from "../stacks/processing/sinks/sink-users";

const PASSWORD = "S3cret-Master-Pw!";
const AUTH = `Basic ${Buffer.from(`admin:${PASSWORD}`).toString("base64")}`;
const TIMEOUT_MS = 5000;

interface Seen {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: string | FormData;
  signal?: AbortSignal;
}

/** The backoff pauses a client took (each request also arms a timeout of TIMEOUT_MS). */
const backoffs = (clock: FakeClock) => clock.sleeps.filter((ms) => ms !== TIMEOUT_MS);

/** A fetch that answers from a script, one entry per call (the last one repeats). */
function scripted(answers: (number | "hang" | Error)[], body = "{}") {
  const calls: Seen[] = [];
  const fetch: FetchLike = (url, init) => {
    calls.push({ url, ...init });
    const next = answers[Math.min(calls.length - 1, answers.length - 1)];
    if (next === "hang") return new Promise(() => undefined);
    if (next instanceof Error) return Promise.reject(next);
    return Promise.resolve({ status: next ?? 200, text: () => Promise.resolve(body) });
  };
  return { fetch, calls };
}

/** The client as the in-cluster setup Job builds it (default retries, the NAT hint on 403). */
function inClusterClient(fetch: FetchLike) {
  return createOpenSearchClient({
    endpoint: "search-fd.us-east-1.es.amazonaws.com",
    username: "admin",
    password: PASSWORD,
    fetch,
    clock: fakeClock(),
    reachHint: IN_CLUSTER_REACH_HINT,
  });
}

function client(fetch: FetchLike, clock: FakeClock) {
  return createOpenSearchClient({
    endpoint: "search-fd.us-east-1.es.amazonaws.com",
    username: "admin",
    password: PASSWORD,
    fetch,
    clock,
    timeoutMs: TIMEOUT_MS,
    maxAttempts: 4,
    initialDelayMs: 1000,
  });
}

/** No error may carry the password or the Authorization header. */
async function rejectsWithout(p: Promise<unknown>, expected: RegExp): Promise<OpenSearchApiError> {
  let caught: unknown;
  await p.catch((e: unknown) => (caught = e));
  assert.ok(isOpenSearchApiError(caught), `expected an OpenSearchApiError, got ${String(caught)}`);
  assert.match(caught.message, expected);
  assert.ok(
    !caught.message.includes(PASSWORD) && !caught.message.includes(AUTH.slice(6)),
    "no secret in the error",
  );
  return caught;
}

test("PUT index template: HTTPS URL, basic auth, JSON body, no retry on success", async () => {
  const { fetch, calls } = scripted([200]);
  const c = fakeClock();
  await client(fetch, c).putIndexTemplate("flagged_user-template", {
    index_patterns: ["flagged_user"],
  });
  assert.equal(calls.length, 1);
  const call = calls[0] as Seen;
  assert.equal(call.method, "PUT");
  assert.equal(
    call.url,
    "https://search-fd.us-east-1.es.amazonaws.com/_index_template/flagged_user-template",
  );
  assert.equal(call.headers.authorization, AUTH);
  assert.equal(call.headers["content-type"], "application/json");
  assert.equal(call.body, '{"index_patterns":["flagged_user"]}');
  assert.equal(call.headers["osd-xsrf"], undefined, "OpenSearch REST calls carry no Dashboards header");
  assert.deepEqual(backoffs(c), []);
});

test("import: multipart field `file`, osd-xsrf and global tenant, overwrite=true, answer checked", async () => {
  const answer = JSON.stringify({
    success: true,
    successCount: 1,
    successResults: [{ type: "dashboard", id: "d1", meta: {} }],
  });
  const { fetch, calls } = scripted([200], answer);
  const refs = await client(fetch, fakeClock()).importSavedObjects('{"type":"dashboard","id":"d1"}\n');
  assert.deepEqual(refs, [{ type: "dashboard", id: "d1" }]);
  const call = calls[0] as Seen;
  assert.equal(call.method, "POST");
  assert.equal(
    call.url,
    "https://search-fd.us-east-1.es.amazonaws.com/_dashboards/api/saved_objects/_import?overwrite=true",
  );
  assert.equal(call.headers["osd-xsrf"], "true");
  assert.equal(call.headers.securitytenant, "global");
  assert.equal(call.headers["content-type"], undefined, "fetch sets the multipart boundary itself");
  assert.ok(call.body instanceof FormData);
  const file = call.body.get("file");
  assert.ok(file instanceof Blob);
  assert.equal(await file.text(), '{"type":"dashboard","id":"d1"}\n');
});

test("an import answer listing failed objects is an error naming them", async () => {
  const answer = JSON.stringify({
    success: false,
    errors: [{ type: "visualization", id: "v1", error: { type: "missing_references" } }],
  });
  const { fetch } = scripted([200], answer);
  await rejectsWithout(
    client(fetch, fakeClock()).importSavedObjects("{}\n"),
    /import failed for 1 object\(s\): visualization\/v1: missing_references/,
  );
  assert.throws(() => checkImportAnswer("<html>"), /not JSON/);
});

test("401: a clear error naming the user, without retrying or leaking the password", async () => {
  const { fetch, calls } = scripted([401], '{"error":"unauthorized"}');
  const c = fakeClock();
  const err = await rejectsWithout(
    client(fetch, c).putIndexTemplate("t", {}),
    /401 Unauthorized — OpenSearch rejected the credentials of user "admin"/,
  );
  assert.equal(err.status, 401);
  assert.equal(calls.length, 1);
  assert.deepEqual(backoffs(c), []);
});

test("403: says the deployer's IP must be in allowedCidrs", async () => {
  const { fetch, calls } = scripted([403], '{"Message":"User: anonymous is not authorized"}');
  await rejectsWithout(
    client(fetch, fakeClock()).importSavedObjects("{}\n"),
    /403 Forbidden for user "admin" — either .*must be in aws-resources:allowedCidrs/,
  );
  assert.equal(calls.length, 1);
});

test("5xx and 429 are retried with doubling backoff until the call succeeds", async () => {
  const { fetch, calls } = scripted([503, 429, 502, 200]);
  const c = fakeClock();
  await client(fetch, c).putIndexTemplate("t", {});
  assert.equal(calls.length, 4);
  assert.deepEqual(backoffs(c), [1000, 2000, 4000]);
});

test("persistent 5xx: fails after the last attempt with the last answer", async () => {
  const { fetch, calls } = scripted([500], '{"error":"boom"}');
  const c = fakeClock();
  await rejectsWithout(
    client(fetch, c).putIndexTemplate("t", {}),
    /PUT https:\/\/search-fd\.us-east-1\.es\.amazonaws\.com\/_index_template\/t failed after 4 attempts; last: HTTP 500: \{"error":"boom"\}/,
  );
  assert.equal(calls.length, 4);
  assert.deepEqual(backoffs(c), [1000, 2000, 4000]);
});

test("a request that never answers times out, is aborted and retried, and the error says why", async () => {
  const { fetch, calls } = scripted(["hang"]);
  const c = fakeClock();
  await rejectsWithout(
    client(fetch, c).importSavedObjects("{}\n"),
    /failed after 4 attempts; last: could not reach the domain \(no answer within 5 s\); .*aws-resources:allowedCidrs/,
  );
  assert.equal(calls.length, 4);
  assert.ok(
    calls.every((call) => call.signal?.aborted),
    "every hung request was aborted",
  );
});

test("a connection error is retried and then explained", async () => {
  const { fetch, calls } = scripted([new Error("connect ECONNREFUSED"), 200]);
  await client(fetch, fakeClock()).putIndexTemplate("t", {});
  assert.equal(calls.length, 2);
  const failing = scripted([new Error("connect ETIMEDOUT")]);
  await rejectsWithout(
    client(failing.fetch, fakeClock()).putIndexTemplate("t", {}),
    /could not reach the domain \(connect ETIMEDOUT\)/,
  );
});

test("deletes are idempotent (404 is fine) and path segments are encoded", async () => {
  const { fetch, calls } = scripted([404]);
  const os = client(fetch, fakeClock());
  await os.deleteSavedObject({ type: "index-pattern", id: "fraud flagged/user" });
  await os.deleteIndexTemplate("flagged_user-template");
  assert.deepEqual(
    calls.map((c) => `${c.method} ${c.url.replace("https://search-fd.us-east-1.es.amazonaws.com", "")}`),
    [
      "DELETE /_dashboards/api/saved_objects/index-pattern/fraud%20flagged%2Fuser",
      "DELETE /_index_template/flagged_user-template",
    ],
  );
  // A 404 on a PUT is still an error.
  await rejectsWithout(client(scripted([404]).fetch, fakeClock()).putIndexTemplate("t", {}), /HTTP 404/);
});

test("other 4xx answers fail at once with the body", async () => {
  const { fetch, calls } = scripted([400], '{"error":{"type":"mapper_parsing_exception"}}');
  await rejectsWithout(
    client(fetch, fakeClock()).putIndexTemplate("t", {}),
    /HTTP 400: .*mapper_parsing_exception/,
  );
  assert.equal(calls.length, 1);
});

test("security API: the sink's role, internal user and mapping are idempotent PUTs with JSON bodies", async () => {
  const { fetch, calls } = scripted([200]);
  const os = client(fetch, fakeClock());
  const role = {
    description: "d",
    cluster_permissions: ["indices:data/write/bulk"],
    index_permissions: [{ index_patterns: ["flagged_user"], allowed_actions: ["indices:data/write/*"] }],
  };
  await os.putRole("fraud-sink-writer", role);
  await os.putInternalUser("fraud-sink", "Sink-Pw-1");
  await os.putRoleMapping("fraud-sink-writer", ["fraud-sink"]);
  const base = "https://search-fd.us-east-1.es.amazonaws.com/_plugins/_security/api";
  assert.deepEqual(
    calls.map((c) => [c.method, c.url, JSON.parse(String(c.body)) as unknown]),
    [
      ["PUT", `${base}/roles/fraud-sink-writer`, role],
      [
        "PUT",
        `${base}/internalusers/fraud-sink`,
        { password: "Sink-Pw-1", backend_roles: [], attributes: {} },
      ],
      [
        "PUT",
        `${base}/rolesmapping/fraud-sink-writer`,
        { users: ["fraud-sink"], backend_roles: [], hosts: [] },
      ],
    ],
  );
  assert.ok(calls.every((c) => c.headers.authorization === AUTH));
});

test("403 from an in-cluster Job names the NAT addresses, not the deployer's", async () => {
  const { fetch } = scripted([403], "{}");
  const os = inClusterClient(fetch);
  const err = await rejectsWithout(os.putInternalUser("fraud-sink", "x"), /403 Forbidden .*natPublicIps/);
  assert.doesNotMatch(err.message, /must be in aws-resources:allowedCidrs/);
});

test("audit config: one idempotent PUT of the whole configuration to the security plugin", async () => {
  const { fetch, calls } = scripted([200]);
  await client(fetch, fakeClock()).putAuditConfig(AUDIT_CONFIG);
  assert.deepEqual(
    calls.map((c) => [c.method, c.url, JSON.parse(String(c.body)) as unknown]),
    [
      [
        "PUT",
        "https://search-fd.us-east-1.es.amazonaws.com/_plugins/_security/api/audit/config",
        AUDIT_CONFIG,
      ],
    ],
  );
  assert.equal(calls[0]?.headers["content-type"], "application/json");
});

test("audit config: a 403 names the audit call and is not retried", async () => {
  const { fetch, calls } = scripted([403], '{"status":"FORBIDDEN"}');
  const os = client(fetch, fakeClock());
  await rejectsWithout(
    os.putAuditConfig(AUDIT_CONFIG),
    /^PUT https:\/\/\S+\/_plugins\/_security\/api\/audit\/config: 403 Forbidden for user "admin"/,
  );
  assert.equal(calls.length, 1);
});

test("the audit config: successful logins, granted requests and reads of the flagged index are recorded, without bodies or credentials", () => {
  const { enabled, audit, compliance } = AUDIT_CONFIG;
  assert.equal(enabled, true);
  assert.equal(audit.enable_rest, true);
  assert.equal(audit.enable_transport, true);
  // Every REST category, AUTHENTICATED included; on transport everything but AUTHENTICATED, which would
  // repeat each REST login once per internal action. GRANTED_PRIVILEGES exists on transport only.
  assert.deepEqual(audit.disabled_rest_categories, []);
  assert.deepEqual(audit.disabled_transport_categories, ["AUTHENTICATED"]);
  assert.deepEqual(compliance.read_watched_fields, { flagged_user: ["*"] }, "every read of the index");
  assert.equal(compliance.read_metadata_only, true, "which document, never its fields' values");
  assert.equal(audit.log_request_body, false, "no document or password in the events");
  assert.equal(audit.exclude_sensitive_headers, true, "no Authorization header in the events");
  assert.deepEqual([audit.ignore_users, audit.ignore_requests], [[], []], "nobody is exempt");
  assert.deepEqual([audit.ignore_headers, audit.ignore_url_params], [[], []], "nothing left out");
  assert.equal(compliance.enabled, true);
  assert.equal(compliance.internal_config, true, "security configuration changes are recorded");
  assert.deepEqual([compliance.read_ignore_users, compliance.write_ignore_users], [[], []]);
  assert.ok(compliance.read_metadata_only && compliance.write_metadata_only && !compliance.write_log_diffs);
});

test("runOpenSearchSetup: template, then saved objects, then audit config, role, user and mapping; readSetupEnv names what is missing", async () => {
  const steps: string[] = [];
  const fake = {
    putIndexTemplate: (n: string) => Promise.resolve(void steps.push(`template ${n}`)),
    deleteIndexTemplate: () => Promise.reject(new Error("not used")),
    importSavedObjects: (t: string) =>
      Promise.resolve((steps.push(`import ${t.length}`), [{ type: "x", id: "y" }])),
    deleteSavedObject: () => Promise.reject(new Error("not used")),
    putRole: (n: string) => Promise.resolve(void steps.push(`role ${n}`)),
    putInternalUser: (n: string, p: string) => Promise.resolve(void steps.push(`user ${n} ${p}`)),
    putRoleMapping: (r: string, u: readonly string[]) =>
      Promise.resolve(void steps.push(`map ${r} ${u.join()}`)),
    putAuditConfig: (c: AuditConfig) => Promise.resolve(void steps.push(`audit ${JSON.stringify(c)}`)),
    search: () => Promise.reject(new Error("not used")),
    count: () => Promise.reject(new Error("not used")),
  };
  const spec = {
    templateName: "flagged_user-template",
    template: {},
    sinkUser: "fraud-sink",
    sinkRole: "fraud-sink-writer",
    sinkRoleBody: opensearchSinkRole("flagged_user"),
    auditConfig: AUDIT_CONFIG,
  };
  const log: string[] = [];
  await runOpenSearchSetup(fake, spec, "{}\n", "pw", (l) => log.push(l));
  assert.deepEqual(steps, [
    "template flagged_user-template",
    "import 3",
    `audit ${JSON.stringify(AUDIT_CONFIG)}`,
    "role fraud-sink-writer",
    "user fraud-sink pw",
    "map fraud-sink-writer fraud-sink",
  ]);
  assert.ok(!log.join("\n").includes("pw "), "the log never shows the password");
  assert.throws(
    () => readSetupEnv({ OPENSEARCH_ENDPOINT: "e", OPENSEARCH_USER: "u" }),
    /missing environment: OPENSEARCH_PASSWORD, SINK_PASSWORD$/,
  );
});

test("readSetupFiles: the spec and the saved objects from the Job's folder; a missing or broken one is named", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "os-setup-"));
  assert.throws(() => readSetupFiles(dir), /setup\.json is not the setup spec: cannot read setup\.json/);
  writeFileSync(path.join(dir, SETUP_FILES.spec), "{not json");
  assert.throws(() => readSetupFiles(dir), /setup\.json is not the setup spec/);
  writeFileSync(path.join(dir, SETUP_FILES.spec), '{"templateName":"t"}');
  assert.throws(() => readSetupFiles(dir), /cannot read saved-objects\.ndjson/);
  writeFileSync(path.join(dir, SETUP_FILES.savedObjects), '{"type":"dashboard","id":"d"}\n');
  const files = readSetupFiles(dir);
  assert.equal(files.spec.templateName, "t");
  assert.equal(files.savedObjects, '{"type":"dashboard","id":"d"}\n');
});

test("the sink's role: only the flagged index, write actions, no admin or wildcard index", () => {
  const role = opensearchSinkRole("flagged_user");
  assert.deepEqual(
    role.index_permissions.map((p) => p.index_patterns),
    [["flagged_user"]],
  );
  const all = [...role.cluster_permissions, ...role.index_permissions.flatMap((p) => p.allowed_actions)];
  assert.ok(
    !all.some((a) => /^(\*|cluster:admin|indices:admin\/delete|.*_all$|unlimited)/.test(a)),
    all.join(),
  );
  assert.ok(!all.some((a) => a.startsWith("indices:data/read/search")), "the sink never searches");
  assert.throws(() => opensearchSinkRole("flagged_*"), /not a plain OpenSearch index name/);
});

/** The setup Job's pauses (its requests arm the client's default 30 s timeout). */
const setupPauses = (clock: FakeClock) => clock.sleeps.filter((ms) => ms !== 30_000);

const SETUP_ENV = {
  endpoint: "search-fd.us-east-1.es.amazonaws.com",
  user: "admin",
  password: PASSWORD,
  sinkPassword: "x",
};

test("the setup Job retries a 403 for about a minute (a domain policy that just changed), then goes on", async () => {
  const { fetch, calls } = scripted([403, 403, 403, 200]);
  const clock = fakeClock();
  await setupClient(SETUP_ENV, fetch, clock).putIndexTemplate("t", {});
  assert.equal(calls.length, 4);
  assert.deepEqual(setupPauses(clock), [5_000, 5_000, 5_000]);
});

test("the setup Job fails on a 403 that lasts past the minute, with the NAT hint", async () => {
  const { fetch, calls } = scripted([403], '{"Message":"not authorized"}');
  const clock = fakeClock();
  await rejectsWithout(
    setupClient(SETUP_ENV, fetch, clock).putInternalUser("fraud-sink", "x"),
    /403 Forbidden for user "admin" — either .*natPublicIps/,
  );
  // Twelve pauses of 5 s between thirteen tries: about a minute, the requests' own time aside.
  assert.deepEqual(setupPauses(clock), Array<number>(12).fill(5_000));
  assert.equal(calls.length, 13);
});

test("outside the setup Job (verify, status) a 403 still fails at once", async () => {
  const { fetch, calls } = scripted([403]);
  await rejectsWithout(client(fetch, fakeClock()).count("flagged_user"), /403 Forbidden/);
  assert.equal(calls.length, 1);
});
