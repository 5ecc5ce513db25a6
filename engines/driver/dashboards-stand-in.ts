import type { IncomingMessage, ServerResponse } from "node:http";
import { createServer, request as httpsRequest } from "node:https";
import { listen } from "../../tests/helpers/loopback";
import type { SavedObjectRef } from "../../lib/opensearch-api";

/**
 * OpenSearch Dashboards is served by no registry the engine tier reaches, so its saved-objects import is
 * played by this loopback HTTPS stand-in: it answers `/_dashboards/api/saved_objects/_import` as
 * Dashboards does (after asking the real node who the caller is, as Dashboards' security plugin does)
 * and records what it was sent; every other request goes through to the real OpenSearch node as it is.
 */

export interface RecordedImport {
  readonly tenant: string | undefined;
  readonly overwrite: boolean;
  readonly objects: readonly SavedObjectRef[];
}

export interface DashboardsStandIn {
  /** `localhost:<port>`, the endpoint to give the Job instead of the node's. */
  readonly endpoint: string;
  readonly imports: readonly RecordedImport[];
  close(): Promise<void>;
}

export interface Upstream {
  readonly port: number;
  readonly tls: { readonly cert: string; readonly key: string };
}

const IMPORT_PATH = "/_dashboards/api/saved_objects/_import";

function body(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** The saved objects of an import's multipart body (its `file` part, ndjson). */
export async function importedObjects(contentType: string, payload: Buffer): Promise<SavedObjectRef[]> {
  const form = await new Response(payload, { headers: { "content-type": contentType } }).formData();
  const file = form.get("file");
  if (!(file instanceof Blob)) throw new Error("the import carries no `file` part");
  return (await file.text())
    .split("\n")
    .filter((line) => line.trim() !== "")
    .map((line) => {
      const o = JSON.parse(line) as { type?: unknown; id?: unknown };
      if (typeof o.type !== "string" || typeof o.id !== "string") {
        throw new Error(`a saved object without type or id: ${line.slice(0, 120)}`);
      }
      return { type: o.type, id: o.id };
    });
}

export async function startDashboardsStandIn(upstream: Upstream): Promise<DashboardsStandIn> {
  const imports: RecordedImport[] = [];
  const forward = (method: string, url: string, headers: IncomingMessage["headers"], payload?: Buffer) =>
    new Promise<{ status: number; headers: IncomingMessage["headers"]; payload: Buffer }>(
      (resolve, reject) => {
        const out = httpsRequest(
          {
            host: "127.0.0.1",
            port: upstream.port,
            servername: "localhost",
            ca: upstream.tls.cert,
            method,
            path: url,
            headers,
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () =>
              resolve({
                status: res.statusCode ?? 502,
                headers: res.headers,
                payload: Buffer.concat(chunks),
              }),
            );
          },
        );
        out.setHeader("host", `localhost:${upstream.port}`);
        out.on("error", reject);
        out.end(payload);
      },
    );
  const answer = (res: ServerResponse, status: number, doc: unknown) =>
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(doc));

  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const payload = await body(req);
    const url = req.url ?? "/";
    if (!url.startsWith("/_dashboards/")) {
      const a = await forward(req.method ?? "GET", url, req.headers, payload);
      res.writeHead(a.status, a.headers).end(a.payload);
      return;
    }
    const who = await forward("GET", "/_plugins/_security/authinfo", {
      authorization: req.headers.authorization ?? "",
    });
    if (who.status !== 200) return answer(res, who.status, { statusCode: who.status, error: "Unauthorized" });
    const parsed = new URL(url, "https://localhost");
    if (req.method !== "POST" || parsed.pathname !== IMPORT_PATH) {
      return answer(res, 404, { statusCode: 404, error: `the stand-in plays only ${IMPORT_PATH}` });
    }
    if (req.headers["osd-xsrf"] === undefined) {
      return answer(res, 400, { statusCode: 400, error: "Request must contain a osd-xsrf header." });
    }
    const objects = await importedObjects(String(req.headers["content-type"] ?? ""), payload);
    imports.push({
      tenant: req.headers.securitytenant as string | undefined,
      overwrite: parsed.searchParams.get("overwrite") === "true",
      objects,
    });
    answer(res, 200, { success: true, successCount: objects.length, successResults: objects });
  };

  const server = createServer({ cert: upstream.tls.cert, key: upstream.tls.key }, (req, res) => {
    handle(req, res).catch((err: unknown) => answer(res, 500, { error: String(err) }));
  });
  const listening = await listen(server);
  return { endpoint: `localhost:${listening.port}`, imports, close: listening.close };
}
