import assert from "node:assert/strict";
import { after, before, test } from "node:test";
import { FRAUD_KINDS } from "../../stacks/processing/fraud-rules/sql";
import type { OpenSearchSetupSpec } from "../../stacks/processing/opensearch-setup/setup-steps";
import { SETUP_FILES } from "../../stacks/processing/opensearch-setup/setup-steps";
import {
  expectedFieldTypes,
  savedObjectRefs,
} from "../../stacks/processing/opensearch-setup/dashboard-content";
import { fakeClock } from "../../tests/helpers/fake-clock";
import { fakeWebapp, workspaceOf } from "../../tests/helpers/loopback";
import { T } from "../../tests/helpers/processing";
import { one } from "../../tests/helpers/resources";
import { runStackUnderTest } from "../../tests/helpers/stack-under-test";
import { syntheticAwsResources, syntheticConnector } from "../../tests/helpers/synthetic-upstream";
import type { StackRun } from "../../tools/offline/run-stack";
import { statusCommand } from "../../tools/status/command";
import { verifyCommand } from "../../tools/verify/command";
import type { DashboardsStandIn } from "./dashboards-stand-in";
import { startDashboardsStandIn } from "./dashboards-stand-in";
import type { Answer, Credentials, OpenSearchServer } from "./opensearch-server";
import { startOpenSearch } from "./opensearch-server";
import type { JobRun, RenderedJob } from "./opensearch-setup-job";
import { renderedSetupJob, runSetupJob } from "./opensearch-setup-job";
import type { SinkRecord, SinkWrites } from "./opensearch-sink-writes";
import { sinkBulkBody, sinkDocument, sinkWritesOf } from "./opensearch-sink-writes";

// The processing stack's OpenSearch setup Job, as the dev stack renders it, run twice against a real
// OpenSearch node with its security plugin; then the flagged accounts written as the sink connector
// writes them, as the sink's user, and read back by `verify` and `status`.

const MASTER: Credentials = { user: "fraud-master", password: "Engine-Tier-Master-Pw1!" };

let server: OpenSearchServer;
let standIn: DashboardsStandIn;
let run: StackRun;
let job: RenderedJob;
let plan: OpenSearchSetupSpec;
let sink: Credentials;
let writes: SinkWrites;
let index: string;
const jobRuns: JobRun[] = [];
const sinkBulks: Answer[] = [];

/** One flagged account per fraud kind, named as the fake web app names them, and one flagged then deleted. */
const account = (n: number, user: string, reasons: string): SinkRecord => ({
  key: { account_id: n },
  value: {
    account_id: n,
    user_name: user,
    email: `${user}@example.com`,
    total_amount: 1020.5,
    transaction_count: 11,
    max_amount: 1020.5,
    blocked_ip_count: 0,
    reasons,
    window_start: "2026-01-05T10:00:00.000Z",
    updated_at: "2026-01-05T10:10:00.000Z",
  },
});
const FLAGGED = FRAUD_KINDS.map((kind, i) =>
  account(100 + i, `user_${kind}`, kind === "too_many_amount" ? "too_many_amount,too_large" : kind),
);
const DELETED = account(199, "user_cleared", "too_large");
const REFLAGGED: SinkRecord = {
  key: FLAGGED[0]!.key,
  value: { ...FLAGGED[0]!.value!, transaction_count: 14, updated_at: "2026-01-05T10:11:00.000Z" },
};

before(async () => {
  [server, run] = await Promise.all([
    startOpenSearch(MASTER),
    runStackUnderTest("processing", {
      upstream: {
        "aws-resources": { opensearchMasterUser: MASTER.user, opensearchMasterPassword: MASTER.password },
      },
    }),
  ]);
  standIn = await startDashboardsStandIn(server);
  job = renderedSetupJob(run);
  plan = JSON.parse(job.files[SETUP_FILES.spec] ?? "{}") as OpenSearchSetupSpec;
  for (let i = 0; i < 2; i++) jobRuns.push(await runSetupJob(job, standIn.endpoint, server.caFile));

  const connector = one(run, T.connector, "sinks-opensearch");
  const config = connector.inputs.configNonsensitive as Record<string, string>;
  const secret = connector.inputs.configSensitive as Record<string, string>;
  const [user, password] = [config["connection.user"], secret["connection.password"]];
  if (!user || !password)
    throw new Error("the OpenSearch sink config carries no connection user or password");
  sink = { user, password };
  writes = sinkWritesOf(config);
  index = writes.index;
  const bulk = (records: SinkRecord[]) =>
    server.request(sink, "POST", "/_bulk", sinkBulkBody(writes, records));
  sinkBulks.push(await bulk([...FLAGGED, DELETED]));
  // The first account flagged again (its document replaced), the other one's row deleted.
  sinkBulks.push(await bulk([REFLAGGED, { key: DELETED.key, value: null }]));
  await server.request(MASTER, "POST", `/${index}/_refresh`);
});

after(async () => {
  await standIn?.close();
  await server?.stop();
});

const json = (a: Answer) => JSON.parse(a.text) as Record<string, unknown>;
const get = async (urlPath: string) => {
  const a = await server.request(MASTER, "GET", urlPath);
  assert.equal(a.status, 200, `GET ${urlPath}: ${a.text}`);
  return json(a);
};

test("the setup Job, as rendered, runs twice against OpenSearch with its security plugin", () => {
  assert.equal(job.env.OPENSEARCH_ENDPOINT, syntheticAwsResources.opensearchEndpoint);
  assert.equal(jobRuns.length, 2);
  for (const [i, r] of jobRuns.entries()) {
    assert.equal(r.code, 0, `run ${i + 1}:\n${r.output}`);
    assert.match(r.output, /index template flagged_user-template written/);
    assert.match(r.output, /audit logging enabled in the security plugin/);
    assert.match(r.output, /sink user fraud-sink mapped to role fraud-sink-writer/);
  }
  assert.deepEqual(
    standIn.imports.map((i) => [i.tenant, i.overwrite]),
    [
      ["global", true],
      ["global", true],
    ],
  );
  for (const i of standIn.imports) assert.deepEqual(i.objects, savedObjectRefs());
});

test("the template, the sink role, its user and mapping, and the audit configuration are in place", async () => {
  const templates = (await get(`/_index_template/${plan.templateName}`)).index_templates as {
    index_template: { index_patterns: string[] };
  }[];
  assert.deepEqual(templates[0]?.index_template.index_patterns, [index]);
  const role = (await get(`/_plugins/_security/api/roles/${plan.sinkRole}`))[plan.sinkRole] as {
    cluster_permissions: string[];
    index_permissions: { index_patterns: string[]; allowed_actions: string[] }[];
  };
  assert.deepEqual(role.cluster_permissions, plan.sinkRoleBody.cluster_permissions);
  assert.deepEqual(
    role.index_permissions.map((p) => [p.index_patterns, p.allowed_actions]),
    plan.sinkRoleBody.index_permissions.map((p) => [p.index_patterns, p.allowed_actions]),
  );
  const mapping = (await get(`/_plugins/_security/api/rolesmapping/${plan.sinkRole}`))[plan.sinkRole] as {
    users: string[];
  };
  assert.deepEqual(mapping.users, [plan.sinkUser]);
  const audit = (await get("/_plugins/_security/api/audit")).config as Record<
    string,
    Record<string, unknown>
  >;
  assert.equal(audit.enabled, true);
  for (const layer of ["audit", "compliance"] as const) {
    // Every field the plugin keeps, and nothing left to its defaults: the PUT replaces the whole of it.
    assert.deepEqual(
      Object.keys(audit[layer] ?? {}).sort(),
      Object.keys(plan.auditConfig[layer]).sort(),
      layer,
    );
    for (const [key, value] of Object.entries(plan.auditConfig[layer])) {
      assert.deepEqual(audit[layer]?.[key], value, `${layer}.${key}`);
    }
  }
});

test("the sink user writes its index as the connector does: upserts by account, a tombstone deletes", async () => {
  for (const [i, a] of sinkBulks.entries()) {
    assert.equal(a.status, 200, `bulk ${i + 1}: ${a.text}`);
    assert.equal(json(a).errors, false, `bulk ${i + 1}: ${a.text}`);
  }
  const count = (await get(`/${index}/_count`)).count;
  assert.equal(count, FLAGGED.length, "four accounts, the deleted one gone");
  const stored = await get(`/${index}/_doc/${REFLAGGED.key.account_id}`);
  assert.deepEqual(stored._source, sinkDocument(REFLAGGED.value!), "the upsert replaced the document");
  const mapping = (await get(`/${index}/_mapping`))[index] as {
    mappings: { properties: Record<string, { type: string }> };
  };
  const types = Object.fromEntries(
    Object.entries(mapping.mappings.properties).map(([field, m]) => [field, m.type]),
  );
  assert.deepEqual(types, expectedFieldTypes(), "the template's mapping, nothing added dynamically");
});

test("the sink user passes the checks a client makes when it connects", async () => {
  for (const [method, urlPath] of [
    ["GET", "/"],
    ["GET", "/_cluster/health"],
    ["HEAD", `/${index}`],
  ] as const) {
    const a = await server.request(sink, method, urlPath);
    assert.equal(a.status, 200, `${method} ${urlPath}: ${a.status} ${a.text}`);
  }
});

/** The outputs verify and status read, pointing at the node (its port through the trusted fetch). */
function outputs(password: string, webappUrl = "http://127.0.0.1:9/fraud-demo/") {
  return {
    "aws-resources": {
      ...syntheticAwsResources,
      webappUrl,
      opensearchEndpoint: "localhost",
      opensearchMasterUser: MASTER.user,
      opensearchMasterPassword: password,
    },
    connector: syntheticConnector,
    processing: run.outputs,
  };
}

async function verify(password: string) {
  const web = await fakeWebapp();
  const lines: string[] = [];
  try {
    const code = await verifyCommand({
      stack: "dev",
      workspace: workspaceOf(outputs(password, web.url)),
      pulumiVersion: async () => "v3.200.0",
      timeoutSeconds: 30,
      opensearchFetch: server.fetch,
      clock: fakeClock(),
      awsCredentials: false,
      write: (l) => lines.push(l),
    });
    return { code, text: lines.join("\n") };
  } finally {
    await web.close();
  }
}

test("verify finds every kind flagged through the security plugin", async () => {
  const r = await verify(MASTER.password);
  assert.equal(r.code, 0, r.text);
  assert.match(r.text, /too_many_amount +user_too_many_amount +yes +too_many_amount,too_large/);
  assert.match(r.text, /✓ all 4 kinds of fraud were flagged/);
});

test("status counts the flagged accounts through the security plugin", async () => {
  const lines: string[] = [];
  await statusCommand({
    stack: "dev",
    workspace: workspaceOf(outputs(MASTER.password)),
    pulumiVersion: async () => "v3.200.0",
    write: (l) => lines.push(l),
    opensearchFetch: server.fetch,
    fetch: (async () => {
      throw new Error("not part of the engine tier");
    }) as typeof fetch,
    env: {},
    awsCredentials: false,
  });
  assert.match(lines.join("\n"), new RegExp(`✓ +OpenSearch +${index} +${FLAGGED.length} documents`));
});

test("the sink user cannot read, write another index, or call the security API", async () => {
  const refused: [string, string, string?][] = [
    ["GET", `/${index}/_search`],
    ["GET", `/${index}/_doc/${FLAGGED[0]!.key.account_id}`],
    ["DELETE", `/${index}`],
    ["PUT", "/other/_doc/1", '{"user_name":"x"}'],
    ["GET", "/other/_search"],
    ["GET", "/_plugins/_security/api/internalusers"],
    ["PUT", `/_plugins/_security/api/internalusers/${sink.user}`, '{"password":"Another-Pw-123!"}'],
    ["PUT", "/_plugins/_security/api/audit/config", JSON.stringify(plan.auditConfig)],
  ];
  for (const [method, urlPath, body] of refused) {
    const a = await server.request(sink, method, urlPath, body);
    assert.equal(a.status, 403, `${method} ${urlPath}: ${a.status} ${a.text}`);
  }
  // A bulk request answers 200 and refuses item by item, as the connector sees it.
  const bulk = await server.request(
    sink,
    "POST",
    "/_bulk",
    sinkBulkBody({ ...writes, index: "other" }, FLAGGED),
  );
  assert.equal(bulk.status, 200, bulk.text);
  const items = json(bulk).items as Record<string, { status: number; error?: { type: string } }>[];
  assert.deepEqual(
    items.map((i) => Object.values(i)[0]).map((r) => [r?.status, r?.error?.type]),
    FLAGGED.map(() => [403, "security_exception"]),
  );
});

test("a wrong password: 401, and verify prints its 401 message", async () => {
  const wrong = await server.request({ ...sink, password: `${sink.password}x` }, "POST", "/_bulk", "{}\n");
  assert.equal(wrong.status, 401);
  const r = await verify(`${MASTER.password}x`);
  assert.equal(r.code, 1);
  assert.match(
    r.text,
    new RegExp(
      `✗ OpenSearch at https://localhost rejected the credentials of user "${MASTER.user}" \\(HTTP 401\\): ` +
        "check the aws-resources outputs opensearchMasterUser / opensearchMasterPassword",
    ),
  );
});

type AuditEvent = Record<string, unknown> & { audit_category: string };

/** The node's audit events, once `complete` says they hold what is awaited (they are written asynchronously). */
async function auditEvents(complete: (events: AuditEvent[]) => boolean): Promise<AuditEvent[]> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    await server.request(MASTER, "POST", "/security-auditlog-*/_refresh");
    const a = await server.request(MASTER, "POST", "/security-auditlog-*/_search", '{"size":10000}');
    const hits = (json(a).hits as { hits: { _source: AuditEvent }[] } | undefined)?.hits ?? [];
    const events = hits.map((h) => h._source);
    if (complete(events) || Date.now() > deadline) return events;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}

test("audit logging as the Job configured it: refusals, failed logins, successful logins, granted requests, reads of the flagged index and security changes; no bodies or credentials", async () => {
  const probe = `audit-probe-${process.pid}`;
  // A read of a flagged account, as the dashboards or a stolen login would make it.
  const read = FLAGGED[1]!;
  assert.equal((await server.request(MASTER, "GET", `/${index}/_doc/${read.key.account_id}`)).status, 200);
  assert.equal(
    (await server.request(sink, "PUT", `/${probe}/_doc/1`, `{"note":"${probe}-body"}`)).status,
    403,
  );
  const wrong = { ...sink, password: "Wrong-Password-1" };
  assert.equal((await server.request(wrong, "GET", `/${probe}/_count`)).status, 401);
  const refusal = (e: AuditEvent) =>
    e.audit_category === "MISSING_PRIVILEGES" && String(e.audit_trace_indices).includes(probe);
  const failedLogin = (e: AuditEvent) =>
    e.audit_category === "FAILED_LOGIN" && e.audit_rest_request_path === `/${probe}/_count`;
  const sinkLogin = (e: AuditEvent) =>
    e.audit_category === "AUTHENTICATED" &&
    e.audit_request_layer === "REST" &&
    e.audit_request_effective_user === sink.user &&
    e.audit_rest_request_path === "/_bulk";
  const sinkGranted = (e: AuditEvent) =>
    e.audit_category === "GRANTED_PRIVILEGES" &&
    e.audit_request_effective_user === sink.user &&
    String(e.audit_request_privilege).startsWith("indices:data/write/bulk");
  const flaggedRead = (e: AuditEvent) =>
    e.audit_category === "COMPLIANCE_DOC_READ" &&
    e.audit_request_effective_user === MASTER.user &&
    String(e.audit_trace_indices ?? e.audit_trace_resolved_indices).includes(index) &&
    e.audit_trace_doc_id === String(read.key.account_id);
  const events = await auditEvents((all) =>
    [refusal, failedLogin, sinkLogin, sinkGranted, flaggedRead].every((awaited) => all.some(awaited)),
  );

  const refused = events.find(refusal);
  assert.equal(refused?.audit_request_effective_user, sink.user, "the sink's refused write is recorded");
  assert.ok(
    !JSON.stringify(refused ?? {}).includes(`${probe}-body`),
    "log_request_body off: no document in the event",
  );
  assert.equal(events.find(failedLogin)?.audit_request_effective_user, sink.user);
  const changed = events
    .filter((e) => e.audit_category === "COMPLIANCE_INTERNAL_CONFIG_WRITE")
    .map((e) => [e.audit_request_effective_user, e.audit_trace_doc_id]);
  for (const doc of ["roles", "internalusers", "rolesmapping"]) {
    assert.ok(
      changed.some(([user, id]) => user === MASTER.user && id === doc),
      `the Job's change to ${doc} is recorded`,
    );
  }
  assert.ok(events.some(sinkLogin), "the sink's successful REST login is recorded");
  assert.ok(events.some(sinkGranted), "what the sink was granted is recorded");
  assert.ok(
    events.some(
      (e) => e.audit_category === "AUTHENTICATED" && e.audit_request_effective_user === MASTER.user,
    ),
    "the master user's successful logins are recorded",
  );
  assert.deepEqual(
    events.filter((e) => e.audit_category === "AUTHENTICATED").map((e) => e.audit_request_layer),
    events.filter((e) => e.audit_category === "AUTHENTICATED").map(() => "REST"),
    "a login is recorded once, on REST, not again for each transport action",
  );
  const readEvent = events.find(flaggedRead);
  assert.ok(readEvent, "the read of the flagged account is recorded");
  assert.ok(
    !JSON.stringify(readEvent).includes(String(read.value?.email)),
    "read_metadata_only: which document, not its fields' values",
  );
  const text = JSON.stringify(events);
  for (const who of [MASTER, sink, wrong]) {
    const basic = Buffer.from(`${who.user}:${who.password}`).toString("base64");
    assert.ok(!text.includes(who.password) && !text.includes(basic), `no credentials of ${who.user}`);
  }
});

test("the dashboards' index pattern declares the fields as OpenSearch reports them for the index", async () => {
  const pattern = job.files[SETUP_FILES.savedObjects]!.split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as { type: string; attributes: { title?: string; fields?: string } })
    .find((o) => o.type === "index-pattern");
  assert.equal(pattern?.attributes.title, index);
  const declared = JSON.parse(pattern.attributes.fields ?? "[]") as {
    name: string;
    esTypes: string[];
    searchable: boolean;
    aggregatable: boolean;
  }[];
  const caps = (await get(`/${index}/_field_caps?fields=*`)).fields as Record<
    string,
    Record<string, { searchable: boolean; aggregatable: boolean }>
  >;
  const reported = Object.entries(caps)
    .filter(([name]) => !name.startsWith("_"))
    .map(([name, byType]) =>
      Object.entries(byType).map(([type, c]) => [name, type, c.searchable, c.aggregatable]),
    )
    .flat()
    .sort();
  assert.deepEqual(
    declared.map((f) => [f.name, f.esTypes[0], f.searchable, f.aggregatable]).sort(),
    reported,
  );
});
