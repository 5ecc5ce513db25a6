import * as http from "node:http";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import { generate } from "selfsigned";
import type { FetchLike } from "../../lib/opensearch-api";
import type { StackHandle, StackOutput, Workspace } from "../../tools/deploy/orchestrate";

/**
 * Loopback fakes for `verify` and `status`: a web app on plain HTTP and an OpenSearch domain on
 * HTTPS with a self-signed certificate, both on 127.0.0.1 at a free port. The certificate is
 * trusted only through the fetch the tests inject (its CA), never by turning verification off.
 */

export interface Listening {
  readonly port: number;
  close(): Promise<void>;
}

/** Starts `server` on a free loopback port. */
export function listen(server: http.Server | https.Server): Promise<Listening> {
  return new Promise((resolve) => {
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        port,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
  });
}

const KINDS = new Set(["too_far", "too_many_count", "too_many_amount", "too_large"]);

/** What the fake web app has been asked: frauds by account, and ordinary transactions. */
export interface WebappState {
  readonly frauds: { kind: string; account: string; realBefore: number }[];
  real: number;
  healthStatus: number;
}

/** The web app's endpoints as the demo app answers them (form-encoded `fraud_type`, 201 + transactions). */
export async function fakeWebapp(
  opts: { csrf?: boolean } = {},
): Promise<Listening & { state: WebappState; url: string }> {
  const state: WebappState = { frauds: [], real: 0, healthStatus: 200 };
  const tx = (account: string) => ({
    transaction_id: 1,
    account_id: account,
    amount: 10,
    ip_address: "8.8.8.8",
  });
  const server = http.createServer(async (req, res) => {
    const body = await readBody(req);
    const send = (status: number, doc: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(doc));
    };
    if (req.method === "GET" && req.url === "/health/") return send(state.healthStatus, { status: "ok" });
    // Django's CSRF check: a POST needs the csrftoken cookie the UI page sets, echoed in a header.
    if (req.method === "GET" && req.url === "/fraud-demo/") {
      res.writeHead(200, { "set-cookie": "csrftoken=tok123; Path=/; SameSite=Lax" });
      return res.end("<html></html>");
    }
    const csrfOk = req.headers["x-csrftoken"] === "tok123" && req.headers.cookie === "csrftoken=tok123";
    if (opts.csrf && req.method === "POST" && !csrfOk) {
      res.writeHead(403, { "content-type": "text/html" });
      return res.end("<h1>Forbidden (403)</h1><p>CSRF verification failed. Request aborted.</p>");
    }
    if (req.method === "POST" && req.url === "/create-real-transaction/") {
      state.real++;
      return send(201, { status: "success", transactions: [tx(`normal${state.real}`)] });
    }
    if (req.method === "POST" && req.url === "/create-fraudulant-transaction/") {
      const kind = new URLSearchParams(body).get("fraud_type") ?? "";
      if (req.headers["content-type"] !== "application/x-www-form-urlencoded" || !KINDS.has(kind)) {
        return send(400, { error: "bad fraud_type" });
      }
      const account = `user_${kind}`;
      state.frauds.push({ kind, account, realBefore: state.real });
      return send(201, { status: "success", transactions: [tx(account), tx(account)] });
    }
    send(404, { error: "not found" });
  });
  const l = await listen(server);
  return { ...l, state, url: `http://127.0.0.1:${l.port}/fraud-demo/` };
}

export interface FakeOpenSearchOptions {
  readonly user: string;
  readonly password: string;
  readonly index: string;
  /** The flagged documents the index holds right now. */
  readonly docs: () => { user_name: string; reasons: string }[];
  /** Answer every request with 403, as a domain policy that does not admit the caller. */
  readonly forbid?: boolean;
}

/** OpenSearch over HTTPS: `_count` and `_search` on one index, basic auth checked. */
export async function fakeOpenSearch(
  o: FakeOpenSearchOptions,
): Promise<Listening & { ca: string; fetch: FetchLike; requests: string[] }> {
  const pems = await generate([{ name: "commonName", value: "localhost" }], {
    keyType: "ec",
    algorithm: "sha256",
    extensions: [{ name: "subjectAltName", altNames: [{ type: 2, value: "localhost" }] }],
  });
  const requests: string[] = [];
  const auth = `Basic ${Buffer.from(`${o.user}:${o.password}`).toString("base64")}`;
  const server = https.createServer({ key: pems.private, cert: pems.cert }, async (req, res) => {
    const body = await readBody(req);
    requests.push(`${req.method} ${req.url}`);
    const send = (status: number, doc: unknown) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(doc));
    };
    if (o.forbid) return send(403, { message: "no permissions for [] and User [name=anonymous]" });
    if (req.headers.authorization !== auth) return send(401, { error: "Unauthorized" });
    const docs = o.docs();
    if (req.url === `/${o.index}/_count`) {
      return docs.length === 0
        ? send(404, { error: "index_not_found_exception" })
        : send(200, { count: docs.length });
    }
    if (req.method === "POST" && req.url === `/${o.index}/_search`) {
      const wanted = new Set<string>(
        (JSON.parse(body) as { query: { terms: { user_name: string[] } } }).query.terms.user_name,
      );
      const hits = docs.filter((d) => wanted.has(d.user_name)).map((d) => ({ _source: d }));
      return docs.length === 0
        ? send(404, { error: "index_not_found_exception" })
        : send(200, { hits: { hits } });
    }
    send(404, { error: "no such route" });
  });
  const l = await listen(server);
  return { ...l, ca: pems.cert, fetch: caFetch(pems.cert, l.port), requests };
}

/**
 * A fetch that trusts exactly `ca` and sends `https://localhost/...` to the fake's port: the
 * contract's `opensearchEndpoint` is a bare host name, as the real domain's is.
 */
export function caFetch(ca: string, port: number): FetchLike {
  return (url, init) =>
    new Promise((resolve, reject) => {
      const target = new URL(url);
      target.port = String(port);
      const req = https.request(
        target,
        { method: init.method, headers: init.headers, ca, signal: init.signal },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            resolve({ status: res.statusCode ?? 0, text: async () => text });
          });
        },
      );
      req.on("error", reject);
      if (typeof init.body === "string") req.write(init.body);
      req.end();
    });
}

/** A workspace whose stacks hold `doc`'s outputs, as the Automation API returns them. */
export function workspaceOf(doc: Record<string, Record<string, unknown>>): Workspace {
  return {
    async select(project) {
      const values = doc[project];
      if (!values) return undefined;
      const outputs: Record<string, StackOutput> = Object.fromEntries(
        Object.entries(values).map(([k, v]) => [k, { value: v, secret: /Password|Secret/.test(k) }]),
      );
      const handle: StackHandle = {
        run: async () => {},
        outputs: async () => outputs,
        getConfig: async () => undefined,
      };
      return handle;
    },
  };
}
