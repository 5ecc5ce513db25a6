import assert from "node:assert/strict";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { after, test } from "node:test";
import type { FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { alertLogLine } from "../lib/alert-log";
import { advance, reasonsByAccount } from "../tools/verify/flags";
import type { VerifyCommandOptions } from "../tools/verify/command";
import { verifyCommand } from "../tools/verify/command";
import type { RedshiftCommand } from "../tools/verify/redshift";
import { defaultTimeoutSeconds } from "../tools/verify/timeout";
import { accountOf } from "../tools/verify/webapp";
import { fakeClock } from "./helpers/fake-clock";
import { fakeOpenSearch, fakeWebapp, workspaceOf } from "./helpers/loopback";

/**
 * `fraud-infra verify` end to end against loopback fakes: a web app on HTTP and OpenSearch on
 * HTTPS (self-signed, trusted through the injected fetch only). The fake index flags as the rules
 * do: a fraud one transaction commits on its own (too_large, too_far) at once, a window fraud only
 * once ordinary transactions have moved the watermark past it, so a verify that stopped sending
 * traffic would fail here. The clock is fake: no test waits.
 */

const PASSWORD = "Verify-Master-Pw1!";
/** The kinds one transaction commits on its own: flagged on arrival. */
const ALONE = new Set(["too_large", "too_far"]);
const INDEX = "flagged_user";

function outputsFor(webappUrl: string, processing: Record<string, unknown> = {}) {
  return {
    "aws-resources": {
      awsRegion: "eu-west-1",
      webappUrl,
      opensearchEndpoint: "localhost",
      opensearchMasterUser: "admin",
      opensearchMasterPassword: PASSWORD,
      redshiftClusterIdentifier: "fd-dev-redshift",
      redshiftDatabase: "fraud",
      redshiftAdminUser: "admin",
    },
    connector: { authUserTable: "auth_user", userTransactionTable: "user_transaction" },
    processing: { opensearchIndex: INDEX, ...processing },
  };
}

interface Scenario {
  neverFlag?: string;
  forbid?: boolean;
  webappDown?: boolean;
  csrf?: boolean;
  processing?: Record<string, unknown>;
  extra?: Partial<VerifyCommandOptions>;
}

const servers: { close(): Promise<void> }[] = [];
after(async () => {
  for (const s of servers) await s.close();
});

async function scenario(s: Scenario = {}) {
  const web = await fakeWebapp({ csrf: s.csrf ?? false });
  servers.push(web);
  const os = await fakeOpenSearch({
    user: "admin",
    password: PASSWORD,
    index: INDEX,
    forbid: s.forbid ?? false,
    // A window fraud once two ordinary transactions (3 s apart) moved the 5 s watermark past it; a
    // burst of large amounts also breaks the single-transaction rule, so that account has two reasons.
    docs: () =>
      web.state.frauds
        .filter((f) => f.kind !== s.neverFlag)
        .filter((f) => ALONE.has(f.kind) || web.state.real - f.realBefore >= 2)
        .map((f) => ({
          user_name: f.account,
          reasons: f.kind === "too_many_amount" ? "too_many_amount,too_large" : f.kind,
        })),
  });
  servers.push(os);
  if (s.webappDown) await web.close();
  const lines: string[] = [];
  const code = await verifyCommand({
    stack: "dev",
    workspace: workspaceOf(outputsFor(web.url, s.processing)),
    pulumiVersion: async () => "v3.200.0",
    timeoutSeconds: 30,
    opensearchFetch: os.fetch,
    clock: fakeClock(),
    awsCredentials: false,
    followUpWaitMs: 30_000,
    write: (l) => lines.push(l),
    ...s.extra,
  });
  return { code, text: lines.join("\n"), web: web.state, requests: os.requests };
}

test("all four kinds flagged: exit 0, a table with each account, its reasons and the time to flag", async () => {
  const r = await scenario();
  assert.equal(r.code, 0, r.text);
  assert.match(r.text, /Committed too_many_count on account user_too_many_count/);
  // At the first poll, 3 s in: the window kinds once traffic moved the watermark, the others at once.
  for (const kind of ["too_far", "too_many_count", "too_large"]) {
    assert.match(r.text, new RegExp(`${kind} +user_${kind} +yes +${kind} +3\\b`), kind);
  }
  assert.match(r.text, /too_many_amount +user_too_many_amount +yes +too_many_amount,too_large +3\b/);
  assert.ok(r.web.real >= 2, "ordinary traffic kept the windows closing");
  assert.match(r.text, /\[verify 3 s\] flagged 4\/4/);
  assert.match(r.text, /skipped Redshift: no AWS credentials/);
  assert.match(r.text, /alerts: not checked — alerts are off/);
  assert.match(r.text, /✓ all 4 kinds of fraud were flagged/);
});

test("one kind never flagged: exit 1 naming it, after the timeout, the others still reported", async () => {
  const r = await scenario({ neverFlag: "too_far" });
  assert.equal(r.code, 1, r.text);
  assert.match(r.text, /✗ not flagged within 30 s: too_far \(account user_too_far\)\./);
  assert.doesNotMatch(r.text, /not flagged within.*too_large/);
  assert.match(r.text, /too_far +user_too_far +no +- +-/);
  assert.match(r.text, /waiting for too_far/);
  assert.ok(r.web.real >= 9 && r.web.real <= 11, `traffic every 3 s for 30 s, got ${r.web.real}`);
});

test("a web app that demands Django's CSRF token gets it from the UI page's cookie", async () => {
  const r = await scenario({ csrf: true });
  assert.equal(r.code, 0, r.text);
  assert.equal(r.web.frauds.length, 4);
});

test("web app down: exit 1 with a clear message, before any fraud or OpenSearch call", async () => {
  const r = await scenario({ webappDown: true });
  assert.equal(r.code, 1);
  assert.match(r.text, /✗ cannot reach the web app at http:\/\/127\.0\.0\.1:\d+\/health\/ \(ECONNREFUSED\)/);
  assert.deepEqual(r.requests, []);
  assert.doesNotMatch(r.text, /at .*\.ts:\d+/, "no stack trace");
});

test("OpenSearch 403: exit 1 naming allowedCidrs and the user, before committing any fraud", async () => {
  const r = await scenario({ forbid: true });
  assert.equal(r.code, 1);
  assert.match(r.text, /OpenSearch at https:\/\/localhost refused user "admin" \(HTTP 403\)/);
  assert.match(r.text, /aws-resources:allowedCidrs/);
  assert.deepEqual(r.web.frauds, []);
  assert.doesNotMatch(r.text, new RegExp(PASSWORD));
});

test("with AWS credentials: Redshift rows per account through the Data API, alert invocations from the logs", async () => {
  const sql: string[] = [];
  let params: { name: string; value: string }[] = [];
  const redshiftSend = async (c: RedshiftCommand): Promise<unknown> => {
    const name = c.constructor.name;
    if (name === "ExecuteStatementCommand") {
      const input = c.input as { Sql: string; Parameters?: { name: string; value: string }[] };
      sql.push(input.Sql);
      params = input.Parameters ?? [];
      return { Id: "q-1" };
    }
    if (name === "DescribeStatementCommand") return { Status: "FINISHED" };
    return {
      Records: params.map((p) => [{ stringValue: p.value }, { longValue: 11 }]),
    };
  };
  const logsSend = async (c: FilterLogEventsCommand): Promise<unknown> => {
    assert.equal(c.input.logGroupName, "/aws/lambda/fd-dev-alerts");
    const user = /"([^"]+)"$/.exec(c.input.filterPattern ?? "")?.[1] ?? "";
    // As the Lambda runtime writes a console line in Text format: time, request id, level, message.
    const line = (name: string) =>
      `2026-12-02T04:51:00.000Z\tb7c1\tINFO\t${alertLogLine({ accountId: 7, userName: name, windowStart: 0, windowEnd: 600_000 })}`;
    if (user === "user_too_far") return { events: [{ message: "record 0 skipped: user_too_far" }] };
    return { events: [{ message: line(user) }] };
  };
  const r = await scenario({
    processing: { alertFunctionName: "fd-dev-alerts" },
    extra: { awsCredentials: true, redshiftSend, logsSend },
  });
  assert.equal(r.code, 0, r.text);
  assert.match(
    sql[0]!,
    /FROM public\."user_transaction" AS t JOIN \(SELECT DISTINCT id, username FROM public\."auth_user"\)/,
  );
  assert.match(sql[0]!, /WHERE u\.username IN \(:a0, :a1, :a2, :a3\)/);
  assert.match(
    r.text,
    /✓ Redshift: the transactions reached public\.user_transaction \(user_too_many_count: 11,/,
  );
  assert.match(r.text, /Alert function fd-dev-alerts invoked for: .*user_too_large yes.*user_too_far no/);
});

test("bad --outputs file: each problem named, exit 1, nothing called", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "verify-"));
  const file = (name: string, text: string) => {
    const f = path.join(dir, name);
    writeFileSync(f, text);
    return f;
  };
  const run = async (outputsFile: string) => {
    const lines: string[] = [];
    const code = await verifyCommand({
      stack: "dev",
      outputsFile,
      write: (l) => lines.push(l),
      clock: fakeClock(),
    });
    return { code, text: lines.join("\n") };
  };
  const good = outputsFor("http://127.0.0.1:9/fraud-demo/");
  const cases: [string, string, RegExp][] = [
    ["not-json.json", "{", /is not JSON/],
    ["array.json", "[]", /must be a JSON object keyed by aws-resources, connector, processing/],
    [
      "missing.json",
      JSON.stringify({ ...good, processing: {} }),
      /processing:opensearchIndex is missing \(OpenSearch index/,
    ],
    [
      "masked.json",
      JSON.stringify({
        ...good,
        "aws-resources": { ...good["aws-resources"], opensearchMasterPassword: "[secret]" },
      }),
      /aws-resources:opensearchMasterPassword is masked .*--show-secrets/,
    ],
    [
      "mistyped.json",
      JSON.stringify({
        ...good,
        "aws-resources": { ...good["aws-resources"], opensearchEndpoint: "https://x:443" },
      }),
      /aws-resources:opensearchEndpoint has the wrong type: must be a DNS host name/,
    ],
    [
      "no-connector.json",
      JSON.stringify({ ...good, connector: undefined }),
      /no outputs of the connector stack/,
    ],
  ];
  for (const [name, text, message] of cases) {
    const r = await run(file(name, text));
    assert.equal(r.code, 1, name);
    assert.match(r.text, message, name);
  }
  const absent = await run(path.join(dir, "absent.json"));
  assert.match(absent.text, /cannot read --outputs .*absent\.json/);
});

test("pure parts: the account in the app's answer, reasons from a search, the default timeout", () => {
  assert.equal(accountOf({ status: "success", transactions: [{ account_id: "jdoe" }] }), "jdoe");
  assert.equal(accountOf({ status: "success", transactions: [] }), undefined);
  assert.equal(accountOf("nope"), undefined);
  const answer = { hits: { hits: [{ _source: { user_name: "a", reasons: "too_many_count,too_large" } }] } };
  assert.deepEqual([...reasonsByAccount(answer)], [["a", ["too_many_count", "too_large"]]]);
  const states = [{ kind: "too_large", account: "a", postedAt: 0, reasons: new Set<string>() }];
  const later = advance(advance(states, answer, 5000), { hits: { hits: [] } }, 9000);
  assert.equal(later[0]!.flaggedAt, 5000, "the first sighting counts, and reasons are kept");
  assert.deepEqual([...later[0]!.reasons], ["too_many_count", "too_large"]);
  const wrongReason = advance([{ ...states[0]!, kind: "too_far" }], answer, 1);
  assert.equal(
    wrongReason[0]!.flaggedAt,
    undefined,
    "flagged for another reason is not flagged for its kind",
  );
  // The 5 s watermark delay, Confluent's 60 s checkpoint, and the margin for CDC and the sink.
  assert.equal(defaultTimeoutSeconds(), 185);
});

test("without --timeout, verify gives up after the rules' own latency, 185 s: sooner than the 300 s that two 10-minute window hops and the margin took", async () => {
  const clock = fakeClock();
  const started = clock.now();
  const r = await scenario({ neverFlag: "too_far", extra: { timeoutSeconds: undefined, clock } });
  assert.equal(r.code, 1, r.text);
  assert.match(r.text, /✗ not flagged within 185 s: too_far/);
  const waited = (clock.now() - started) / 1000;
  assert.ok(waited >= 185 && waited < 185 + 30 + 10, `gave up after ${waited} s of the injected clock`);
  assert.ok(waited < 300, "sooner than the window-based default");
});
