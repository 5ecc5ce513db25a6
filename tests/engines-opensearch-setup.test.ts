import assert from "node:assert/strict";
import { test } from "node:test";
import { importedObjects } from "../engines/driver/dashboards-stand-in";
import { resolveJobEnv } from "../engines/driver/opensearch-setup-job";
import type { FlaggedUserRow } from "../engines/driver/opensearch-sink-writes";
import { sinkBulkBody, sinkDocument, sinkWritesOf } from "../engines/driver/opensearch-sink-writes";
import { opensearchSinkConfig } from "../stacks/processing/sinks/sink-configs";

// The engine tier's OpenSearch setup test, its pure part: the sink connector's bulk requests, the
// Job's environment, the saved objects the Dashboards stand-in reads.

const SINK = opensearchSinkConfig({
  name: "fd-opensearch-sink",
  serviceAccountId: "sa-1",
  errorsTolerance: "all",
  topic: "flagged_user",
  index: "flagged_user",
  endpoint: "search.example",
  user: "fraud-sink",
  password: "pw",
}).nonsensitive;

const ROW: FlaggedUserRow = {
  account_id: 7,
  user_name: "u7",
  email: "u7@example.com",
  total_amount: 1200,
  transaction_count: 3,
  max_amount: 1000,
  blocked_ip_count: 0,
  reasons: "too_many_amount,too_large",
  window_start: "2026-01-05T10:00:00.000Z",
  updated_at: "2026-01-05T10:10:00.000Z",
};

test("the sink's writes: UPSERT is an update with doc_as_upsert by account id, a tombstone a delete", () => {
  const writes = sinkWritesOf(SINK);
  assert.deepEqual(writes, { index: "flagged_user", upsert: true, onNull: "DELETE" });
  const lines = sinkBulkBody(writes, [
    { key: { account_id: 7 }, value: ROW },
    { key: { account_id: 8 }, value: null },
  ])
    .trimEnd()
    .split("\n")
    .map((l) => JSON.parse(l) as unknown);
  assert.deepEqual(lines, [
    { update: { _index: "flagged_user", _id: "7" } },
    { doc: sinkDocument(ROW), doc_as_upsert: true },
    { delete: { _index: "flagged_user", _id: "8" } },
  ]);
  assert.equal(sinkDocument(ROW).updated_at, Date.UTC(2026, 0, 5, 10, 10));
  const ignoring = { ...writes, onNull: "IGNORE" as const };
  assert.throws(() => sinkBulkBody(ignoring, [{ key: { account_id: 8 }, value: null }]), /nothing to write/);
  assert.throws(
    () => sinkWritesOf({ ...SINK, "index1.write.method": "MERGE" }),
    /unknown index1\.write\.method/,
  );
  assert.throws(() => sinkWritesOf({ ...SINK, "indexes.num": "2" }), /expected indexes\.num 1/);
});

test("a row that is not the table's is refused, naming what differs", () => {
  const missing = Object.fromEntries(Object.entries(ROW).filter(([k]) => k !== "email"));
  assert.throws(() => sinkDocument({ ...missing, extra: 1 }), /missing email; unknown extra/);
  assert.throws(() => sinkDocument({ ...ROW, updated_at: "yesterday" }), /updated_at is not a time/);
});

test("the Job's environment: plain values as they are, secret references from the Secret, a dangling one refused", () => {
  const env = resolveJobEnv(
    [
      { name: "OPENSEARCH_USER", value: "admin" },
      { name: "SINK_PASSWORD", valueFrom: { secretKeyRef: { key: "SINK_PASSWORD" } } },
    ],
    { SINK_PASSWORD: "s3cret" },
  );
  assert.deepEqual(env, { OPENSEARCH_USER: "admin", SINK_PASSWORD: "s3cret" });
  assert.throws(
    () => resolveJobEnv([{ name: "X", valueFrom: { secretKeyRef: { key: "Y" } } }], {}),
    /the Job's X refers to no value of its Secret/,
  );
});

test("the Dashboards stand-in reads the saved objects of an import as the Job's client sends them", async () => {
  const form = new FormData();
  const ndjson = '{"type":"index-pattern","id":"p"}\n{"type":"dashboard","id":"d"}\n';
  form.append("file", new Blob([ndjson], { type: "application/ndjson" }), "x.ndjson");
  const request = new Request("https://localhost/", { method: "POST", body: form });
  const payload = Buffer.from(await request.arrayBuffer());
  const contentType = request.headers.get("content-type") ?? "";
  assert.deepEqual(await importedObjects(contentType, payload), [
    { type: "index-pattern", id: "p" },
    { type: "dashboard", id: "d" },
  ]);
  const broken = new FormData();
  broken.append("file", new Blob(['{"id":"no-type"}\n']), "x.ndjson");
  const bad = new Request("https://localhost/", { method: "POST", body: broken });
  await assert.rejects(
    importedObjects(bad.headers.get("content-type") ?? "", Buffer.from(await bad.arrayBuffer())),
    /a saved object without type or id/,
  );
});
