import assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:https";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import selfsigned from "selfsigned";
import { bundleJobScript } from "../lib/bundle";
import { opensearchAuditConfig } from "../stacks/processing/opensearch-setup/audit-config";

const AUDIT_CONFIG = opensearchAuditConfig("flagged_user");
import { SETUP_FILES } from "../stacks/processing/opensearch-setup/setup-steps";
import { opensearchSinkRole } from "../stacks/processing/sinks/sink-users";

/**
 * The pause between tries of a request answered 403 (FORBIDDEN_PAUSE_MS in lib/opensearch-api.ts,
 * local to the client, hence repeated here).
 */
const FORBIDDEN_PAUSE_MS = 5_000;

/** What the clock below writes to stderr each time it lets a pause pass at once. */
const SKIPPED_PAUSE = `test clock: a ${FORBIDDEN_PAUSE_MS} ms pause passed at once`;

/**
 * Loaded before the Job script (`node --require`): a clock for the script's process under which
 * the 403 pause takes no wall time. The script sleeps through the global `setTimeout`
 * (systemClock); only a timer of exactly that pause is shortened, so the per-request timeouts and
 * the backoff keep their real length, and each shortened pause is reported on stderr.
 */
const SKIP_FORBIDDEN_PAUSE = `
const realSetTimeout = globalThis.setTimeout;
globalThis.setTimeout = (fn, ms, ...args) => {
  if (ms !== ${FORBIDDEN_PAUSE_MS}) return realSetTimeout(fn, ms, ...args);
  process.stderr.write(${JSON.stringify(`${SKIPPED_PAUSE}\n`)});
  return realSetTimeout(fn, 0, ...args);
};
`;

/**
 * The bundled OpenSearch Job script, run by Node as the Job runs it (`node /job/main.js` next to its
 * data file, credentials in the environment), against a loopback HTTPS server playing OpenSearch.
 * With `skipForbiddenPause`, its 403 pause passes at once (SKIP_FORBIDDEN_PAUSE).
 */
async function runJob(
  status: (method: string, url: string) => number,
  opts: { skipForbiddenPause?: boolean } = {},
) {
  const dir = mkdtempSync(path.join(tmpdir(), "os-job-"));
  writeFileSync(path.join(dir, "main.js"), bundleJobScript("stacks/processing/opensearch-setup/job-main.ts"));
  const preload = path.join(dir, "skip-forbidden-pause.cjs");
  if (opts.skipForbiddenPause) writeFileSync(preload, SKIP_FORBIDDEN_PAUSE);
  writeFileSync(path.join(dir, SETUP_FILES.savedObjects), '{"type":"dashboard","id":"d"}\n');
  const pems = await selfsigned.generate([{ name: "commonName", value: "127.0.0.1" }]);
  const seen: string[] = [];
  const bodies = new Map<string, string>();
  const server = createServer({ key: pems.private, cert: pems.cert }, (req, res) => {
    seen.push(`${req.method} ${req.url}`);
    const code = status(req.method ?? "", req.url ?? "");
    const body = req.url?.includes("_import") ? '{"success":true,"successResults":[]}' : "{}";
    let received = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => (received += chunk));
    req.on("end", () => {
      bodies.set(`${req.method} ${req.url}`, received);
      res.writeHead(code, { "content-type": "application/json" }).end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const spec = {
    templateName: "flagged_user-template",
    template: { index_patterns: ["flagged_user"] },
    sinkUser: "fraud-sink",
    sinkRole: "fraud-sink-writer",
    sinkRoleBody: opensearchSinkRole("flagged_user"),
    auditConfig: AUDIT_CONFIG,
  };
  writeFileSync(path.join(dir, SETUP_FILES.spec), JSON.stringify(spec));
  const env = {
    OPENSEARCH_ENDPOINT: `127.0.0.1:${(server.address() as AddressInfo).port}`,
    OPENSEARCH_USER: "admin",
    OPENSEARCH_PASSWORD: "Master-Pw-1",
    SINK_PASSWORD: "Sink-Pw-1",
    // Test only: the loopback server's certificate is self-signed.
    NODE_TLS_REJECT_UNAUTHORIZED: "0",
  };
  try {
    return await new Promise<{
      code: number;
      out: string;
      seen: string[];
      bodies: Map<string, string>;
    }>((resolve) => {
      execFile(
        process.execPath,
        [...(opts.skipForbiddenPause ? ["--require", preload] : []), path.join(dir, "main.js")],
        { env, timeout: 60_000 },
        (err, stdout, stderr) =>
          resolve({ code: err ? Number(err.code ?? 1) : 0, out: stdout + stderr, seen, bodies }),
      );
    });
  } finally {
    server.close();
  }
}

test("the bundled OpenSearch Job: template, dashboards, audit config, role, user, mapping in order, then exit 0", async () => {
  const ok = await runJob(() => 200);
  assert.equal(ok.code, 0, ok.out);
  assert.deepEqual(ok.seen, [
    "PUT /_index_template/flagged_user-template",
    "POST /_dashboards/api/saved_objects/_import?overwrite=true",
    "PUT /_plugins/_security/api/audit/config",
    "PUT /_plugins/_security/api/roles/fraud-sink-writer",
    "PUT /_plugins/_security/api/internalusers/fraud-sink",
    "PUT /_plugins/_security/api/rolesmapping/fraud-sink-writer",
  ]);
  const audit = JSON.parse(ok.bodies.get("PUT /_plugins/_security/api/audit/config") ?? "{}") as {
    enabled?: boolean;
    audit?: { disabled_rest_categories?: string[]; log_request_body?: boolean };
  };
  assert.equal(audit.enabled, true);
  assert.deepEqual(audit.audit?.disabled_rest_categories, []);
  assert.equal(audit.audit?.log_request_body, false);
  assert.match(ok.out, /audit logging enabled/);
  assert.match(ok.out, /sink user fraud-sink mapped to role fraud-sink-writer/);
  assert.doesNotMatch(ok.out, /Master-Pw-1|Sink-Pw-1/);
});

test("the bundled OpenSearch Job: a 401 stops it with exit 1, naming the user, no password in the log", async () => {
  const refused = await runJob((method, url) => (url.includes("_security") ? 401 : 200));
  assert.equal(refused.code, 1);
  assert.match(
    refused.out,
    /PUT \S+\/_plugins\/_security\/api\/audit\/config: 401 Unauthorized — OpenSearch rejected the credentials of user "admin"/,
  );
  assert.doesNotMatch(refused.out, /Master-Pw-1|Sink-Pw-1/);
  assert.equal(refused.seen.filter((s) => s.includes("_security")).length, 1, "a 401 is not retried");
});

test("the bundled OpenSearch Job: a 403 while the new domain policy spreads is tried again, then the setup goes on", async () => {
  // One 403, so one pause (passed at once); the minute-long limit and the final NAT hint are tested
  // with setupClient.
  let refusals = 1;
  const ok = await runJob((method, url) => (url.includes("audit/config") && refusals-- > 0 ? 403 : 200), {
    skipForbiddenPause: true,
  });
  assert.equal(ok.code, 0, ok.out);
  assert.equal(ok.out.split(SKIPPED_PAUSE).length - 1, 1, "one 403 pause, and it did not wait");
  assert.equal(ok.seen.filter((s) => s.includes("audit/config")).length, 2);
  assert.doesNotMatch(ok.out, /Master-Pw-1|Sink-Pw-1/);
});
