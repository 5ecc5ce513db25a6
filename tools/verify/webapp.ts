/**
 * The web app's own endpoints, as its UI calls them: `GET /health/`, `POST
 * /create-real-transaction/` and `POST /create-fraudulant-transaction/` (sic) with the form field
 * `fraud_type`. The app's API lives at the root of the host that serves the UI (`webappUrl`).
 * Django guards POSTs with a CSRF token unless a view is exempt; on a 403 that names CSRF the
 * client fetches the UI page once for its `csrftoken` cookie and retries with it. Whether the
 * app's views need that is for a real run to show (the stack's first transaction posts without).
 */

export type HttpFetch = typeof fetch;

export class WebappError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WebappError";
  }
}

export interface WebappClient {
  /** Throws a WebappError saying why when the app is unreachable or unhealthy. */
  health(): Promise<void>;
  /** The account (the username, the answer's `account_id`) the fraud was committed on. */
  commitFraud(kind: string): Promise<string>;
  realTransaction(): Promise<void>;
}

export interface WebappOptions {
  readonly webappUrl: string;
  readonly fetch?: HttpFetch;
  /** Per-request timeout. @default 15000 */
  readonly timeoutMs?: number;
}

/** The username the web app's answer names: `account_id` of its transactions. */
export function accountOf(body: unknown): string | undefined {
  const list = Array.isArray(body)
    ? body
    : (body as { transactions?: unknown } | null | undefined)?.transactions;
  if (!Array.isArray(list)) return undefined;
  const ids = list
    .map((t) => (t as { account_id?: unknown } | null)?.account_id)
    .filter((id): id is string | number => typeof id === "string" || typeof id === "number");
  return ids.length > 0 ? String(ids[0]) : undefined;
}

export function createWebappClient(o: WebappOptions): WebappClient {
  if (!URL.canParse(o.webappUrl) || !/^https?:$/.test(new URL(o.webappUrl).protocol)) {
    throw new WebappError(`aws-resources:webappUrl ${JSON.stringify(o.webappUrl)} is not an http(s) URL`);
  }
  const http = o.fetch ?? fetch;
  const timeoutMs = o.timeoutMs ?? 15_000;
  const url = (p: string) => new URL(p, o.webappUrl).toString();
  let csrf: { token: string; cookie: string } | undefined;

  async function call(method: "GET" | "POST", path: string, form?: Record<string, string>) {
    const target = url(path);
    const send = () => {
      const headers: Record<string, string> = { accept: "application/json" };
      if (csrf)
        Object.assign(headers, { "x-csrftoken": csrf.token, cookie: csrf.cookie, referer: o.webappUrl });
      const body = form ? new URLSearchParams(form).toString() : undefined;
      if (body !== undefined) headers["content-type"] = "application/x-www-form-urlencoded";
      return http(target, { method, headers, body, signal: AbortSignal.timeout(timeoutMs) });
    };
    try {
      let res = await send();
      if (res.status === 403 && method === "POST" && !csrf) {
        const text = await res.text();
        if (/csrf/i.test(text) && (csrf = await csrfToken())) res = await send();
        else return { status: 403, text };
      }
      return { status: res.status, text: await res.text() };
    } catch (err) {
      const why = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
      throw new WebappError(
        `cannot reach the web app at ${target} (${why}); check that the deployment is up ` +
          "(`fraud-infra status`) and that this machine may reach its load balancer",
      );
    }
  }

  async function csrfToken() {
    const res = await http(o.webappUrl, { signal: AbortSignal.timeout(timeoutMs) });
    const cookies = res.headers.getSetCookie?.() ?? [];
    const token = cookies.map((c) => /^csrftoken=([^;]+)/.exec(c)?.[1]).find(Boolean);
    return token ? { token, cookie: `csrftoken=${token}` } : undefined;
  }

  const excerpt = (t: string) => t.replace(/\s+/g, " ").trim().slice(0, 200) || "(empty body)";

  return {
    async health() {
      const r = await call("GET", "/health/");
      if (r.status !== 200) {
        throw new WebappError(
          `the web app answers GET ${url("/health/")} with HTTP ${r.status}: ${excerpt(r.text)} ` +
            "(500 means it cannot query Oracle; see `fraud-infra status`)",
        );
      }
    },
    async commitFraud(kind) {
      const r = await call("POST", "/create-fraudulant-transaction/", { fraud_type: kind });
      if (r.status < 200 || r.status >= 300) {
        throw new WebappError(`the web app refused fraud_type=${kind}: HTTP ${r.status}: ${excerpt(r.text)}`);
      }
      let account: string | undefined;
      try {
        account = accountOf(JSON.parse(r.text));
      } catch {
        account = undefined;
      }
      if (!account) {
        throw new WebappError(
          `the web app's answer to fraud_type=${kind} names no account_id: ${excerpt(r.text)}`,
        );
      }
      return account;
    },
    async realTransaction() {
      const r = await call("POST", "/create-real-transaction/");
      if (r.status < 200 || r.status >= 300) {
        throw new WebappError(
          `POST ${url("/create-real-transaction/")}: HTTP ${r.status}: ${excerpt(r.text)}`,
        );
      }
    },
  };
}
