import type { Clock } from "./readiness";
import { retryWithBackoff } from "./readiness";

/**
 * The OpenSearch REST, security-plugin and Dashboards saved-objects calls the processing stack's
 * in-cluster Job makes (the module is bundled into it), as a pure module: `fetch` and the clock are
 * injected, so success, bad credentials, a blocked source IP,
 * server errors with retry and backoff, and timeouts are all unit-tested without a network.
 * Error messages name the user and the URL, never the password or the Authorization header.
 */

/** The subset of the WHATWG fetch API this module uses. */
export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string | FormData; signal?: AbortSignal },
) => Promise<{ status: number; text(): Promise<string> }>;

export interface OpenSearchClientOptions {
  /** Domain endpoint host name, without scheme (the aws-resources `opensearchEndpoint`). */
  readonly endpoint: string;
  readonly username: string;
  readonly password: string;
  readonly fetch: FetchLike;
  readonly clock: Clock;
  /** Per-request timeout. @default 30000 */
  readonly timeoutMs?: number;
  /** Attempts for a request that times out, cannot connect, or gets 429/5xx. @default 6 */
  readonly maxAttempts?: number;
  /** Pause after the first failed attempt; doubles each time, at most 30 s. @default 1000 */
  readonly initialDelayMs?: number;
  /** Dashboards tenant the saved objects live in (FGAC multi-tenancy). @default "global" */
  readonly tenant?: string;
  /**
   * Why the domain may refuse this caller's address, for 403 and unreachable messages.
   * @default the hint for a caller outside AWS (aws-resources:allowedCidrs)
   */
  readonly reachHint?: string;
  /**
   * How long a request answered 403 is tried again before the 403 is final: a domain access policy
   * that changed moments before takes a while to apply. @default 0 (a 403 is final at once)
   */
  readonly forbiddenRetryMs?: number;
}

/** A request OpenSearch refused or that never got an answer; `status` is absent for network errors. */
export interface OpenSearchApiError extends Error {
  readonly name: "OpenSearchApiError";
  readonly status?: number;
}

/**
 * A plain `Error` with a name, not an `Error` subclass: Pulumi's closure serialization (dynamic
 * providers) turns `class … extends Error` into a function whose `super(message)` sets nothing, so
 * messages (401, 403, unreachable) would reach the deployer empty if this module ever ran there.
 */
function apiError(message: string, status?: number): OpenSearchApiError {
  const err = new Error(message) as Error & { status?: number };
  err.name = "OpenSearchApiError";
  if (status !== undefined) err.status = status;
  return err as OpenSearchApiError;
}

/** A try that may succeed later (429, 5xx, no answer); the message says what it got. */
const RETRY_LATER = "OpenSearchRetryLater";
const retryLater = (message: string): Error => Object.assign(new Error(message), { name: RETRY_LATER });
const isRetryLater = (err: unknown): boolean => err instanceof Error && err.name === RETRY_LATER;

/** True for the errors this module throws. */
export function isOpenSearchApiError(value: unknown): value is OpenSearchApiError {
  return value instanceof Error && value.name === "OpenSearchApiError";
}

/** One saved object of an ndjson export, as the import answer and the delete call name it. */
export interface SavedObjectRef {
  readonly type: string;
  readonly id: string;
}

export interface OpenSearchClient {
  putIndexTemplate(name: string, body: unknown): Promise<void>;
  deleteIndexTemplate(name: string): Promise<void>;
  /** Imports (overwriting) every object of an ndjson file; fails listing each object that failed. */
  importSavedObjects(ndjson: string): Promise<SavedObjectRef[]>;
  deleteSavedObject(ref: SavedObjectRef): Promise<void>;
  /** `_search` on an index: the parsed answer, or undefined when the index does not exist yet. */
  search(index: string, body: unknown): Promise<unknown>;
  /** Documents in an index, or undefined when the index does not exist yet. */
  count(index: string): Promise<number | undefined>;
  /** Creates or replaces an internal user of the security plugin (FGAC internal user database). */
  putInternalUser(name: string, password: string): Promise<void>;
  /** Creates or replaces a security-plugin role. */
  putRole(name: string, role: SecurityRole): Promise<void>;
  /** Maps exactly these internal users to a role (replacing the mapping). */
  /** Maps internal users and, optionally, IAM roles (backend roles) to a role. */
  putRoleMapping(role: string, users: readonly string[], backendRoles?: readonly string[]): Promise<void>;
  /** Replaces the security plugin's audit-logging and compliance configuration. */
  putAuditConfig(config: AuditConfig): Promise<void>;
}

/** A security-plugin role body (https://docs.opensearch.org/latest/security/access-control/api/#create-role). */
export interface SecurityRole {
  readonly description: string;
  readonly cluster_permissions: readonly string[];
  readonly index_permissions: readonly {
    readonly index_patterns: readonly string[];
    readonly allowed_actions: readonly string[];
  }[];
}

/**
 * The security plugin's audit configuration, the body of `PUT _plugins/_security/api/audit/config`
 * (https://docs.opensearch.org/latest/security/api/audit/update-audit-configuration/; categories and
 * settings: https://docs.opensearch.org/latest/security/audit-logs/index/). The PUT replaces the whole
 * configuration, so every field is sent.
 */
export interface AuditConfig {
  readonly enabled: boolean;
  readonly audit: {
    readonly enable_rest: boolean;
    readonly disabled_rest_categories: readonly AuditCategory[];
    readonly enable_transport: boolean;
    readonly disabled_transport_categories: readonly AuditCategory[];
    readonly resolve_bulk_requests: boolean;
    readonly log_request_body: boolean;
    readonly resolve_indices: boolean;
    readonly exclude_sensitive_headers: boolean;
    readonly ignore_users: readonly string[];
    readonly ignore_requests: readonly string[];
    /** Header names left out of the events (besides the sensitive ones). */
    readonly ignore_headers: readonly string[];
    /** URL parameter names left out of the events. */
    readonly ignore_url_params: readonly string[];
  };
  readonly compliance: {
    readonly enabled: boolean;
    readonly internal_config: boolean;
    readonly external_config: boolean;
    readonly read_metadata_only: boolean;
    readonly read_watched_fields: Readonly<Record<string, readonly string[]>>;
    readonly read_ignore_users: readonly string[];
    readonly write_metadata_only: boolean;
    readonly write_log_diffs: boolean;
    readonly write_watched_indices: readonly string[];
    readonly write_ignore_users: readonly string[];
  };
}

/** The REST/transport audit categories a layer can disable (the plugin refuses unknown names). */
export type AuditCategory =
  | "BAD_HEADERS"
  | "FAILED_LOGIN"
  | "MISSING_PRIVILEGES"
  | "GRANTED_PRIVILEGES"
  | "SSL_EXCEPTION"
  | "AUTHENTICATED";

const REACH_HINT =
  "the domain's access policy admits only aws-resources:allowedCidrs, the NAT gateways' addresses and " +
  "Confluent's egress CIDRs, so the public IP of this machine must be in aws-resources:allowedCidrs";

/** The same refusal, seen from an in-cluster Job: its traffic leaves through the NAT gateways. */
export const IN_CLUSTER_REACH_HINT =
  "the domain's access policy must admit the NAT gateways' addresses (aws-resources output natPublicIps), " +
  "which the processing stack's domain policy adds";

const MAX_DELAY_MS = 30_000;
const SECURITY_API = "/_plugins/_security/api";

interface Call {
  readonly method: "GET" | "PUT" | "POST" | "DELETE";
  readonly path: string;
  readonly body?: () => string | FormData;
  readonly dashboards?: boolean;
  /** A 404 answer means "already gone" (idempotent deletes). */
  readonly notFoundOk?: boolean;
}

type Attempt = { kind: "answer"; status: number; text: string } | { kind: "unreachable"; why: string };

export function createOpenSearchClient(opts: OpenSearchClientOptions): OpenSearchClient {
  const base = `https://${opts.endpoint.replace(/^https?:\/\//, "").replace(/\/+$/, "")}`;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const maxAttempts = opts.maxAttempts ?? 6;
  const initialDelayMs = opts.initialDelayMs ?? 1000;
  const auth = `Basic ${Buffer.from(`${opts.username}:${opts.password}`).toString("base64")}`;
  const reachHint = opts.reachHint ?? REACH_HINT;

  async function attempt(call: Call, url: string): Promise<Attempt> {
    const headers: Record<string, string> = { authorization: auth, accept: "application/json" };
    const body = call.body?.();
    if (typeof body === "string") headers["content-type"] = "application/json";
    if (call.dashboards) {
      headers["osd-xsrf"] = "true";
      headers["securitytenant"] = opts.tenant ?? "global";
    }
    const abort = new AbortController();
    const timer = opts.clock.sleep(timeoutMs).then(() => "timeout" as const);
    try {
      const res = await Promise.race([
        opts.fetch(url, { method: call.method, headers, body, signal: abort.signal }),
        timer,
      ]);
      if (res === "timeout") {
        abort.abort();
        return { kind: "unreachable", why: `no answer within ${timeoutMs / 1000} s` };
      }
      return { kind: "answer", status: res.status, text: await res.text() };
    } catch (err) {
      return { kind: "unreachable", why: err instanceof Error ? err.message : String(err) };
    }
  }

  /** An answer as text, or an error: for good on 401, 403 and other 4xx, retried on 429, 5xx and no answer. */
  async function answer(call: Call, url: string, what: string): Promise<string> {
    const a = await attempt(call, url);
    if (a.kind === "unreachable") throw retryLater(`could not reach the domain (${a.why}); ${reachHint}`);
    if (a.status >= 200 && a.status < 300) return a.text;
    if (a.status === 404 && call.notFoundOk) return "";
    if (a.status === 401) {
      throw apiError(
        `${what}: 401 Unauthorized — OpenSearch rejected the credentials of user "${opts.username}"; ` +
          "check the master user and password exported by the aws-resources stack",
        401,
      );
    }
    if (a.status === 403) {
      throw apiError(
        `${what}: 403 Forbidden for user "${opts.username}" — either ${reachHint}, or the user lacks ` +
          `the permission (answer: ${excerpt(a.text)})`,
        403,
      );
    }
    if (a.status !== 429 && a.status < 500) {
      throw apiError(`${what}: HTTP ${a.status}: ${excerpt(a.text)}`, a.status);
    }
    throw retryLater(`HTTP ${a.status}: ${excerpt(a.text)}`);
  }

  /** Pause between tries of a request answered 403, while `forbiddenRetryMs` lasts. */
  const FORBIDDEN_PAUSE_MS = 5_000;

  async function send(call: Call): Promise<string> {
    for (let retries = Math.ceil((opts.forbiddenRetryMs ?? 0) / FORBIDDEN_PAUSE_MS); ; retries--) {
      try {
        return await sendOnce(call);
      } catch (err) {
        if (!(isOpenSearchApiError(err) && err.status === 403) || retries <= 0) throw err;
        await opts.clock.sleep(FORBIDDEN_PAUSE_MS);
      }
    }
  }

  async function sendOnce(call: Call): Promise<string> {
    const url = `${base}${call.path}`;
    const what = `${call.method} ${url}`;
    try {
      return await retryWithBackoff(() => answer(call, url, what), {
        initialDelayMs,
        maxDelayMs: MAX_DELAY_MS,
        maxAttempts,
        clock: opts.clock,
        retryable: isRetryLater,
      });
    } catch (err) {
      if (!isRetryLater(err)) throw err;
      throw apiError(`${what} failed after ${maxAttempts} attempts; last: ${(err as Error).message}`);
    }
  }

  const json = (body: unknown) => () => JSON.stringify(body);
  const seg = encodeURIComponent;

  return {
    async putIndexTemplate(name, body) {
      await send({ method: "PUT", path: `/_index_template/${seg(name)}`, body: json(body) });
    },
    async deleteIndexTemplate(name) {
      await send({ method: "DELETE", path: `/_index_template/${seg(name)}`, notFoundOk: true });
    },
    async importSavedObjects(ndjson) {
      const text = await send({
        method: "POST",
        path: "/_dashboards/api/saved_objects/_import?overwrite=true",
        dashboards: true,
        body: () => {
          const form = new FormData();
          form.append("file", new Blob([ndjson], { type: "application/ndjson" }), "fraud-infra.ndjson");
          return form;
        },
      });
      return checkImportAnswer(text);
    },
    async putInternalUser(name, password) {
      await send({
        method: "PUT",
        path: `${SECURITY_API}/internalusers/${seg(name)}`,
        body: json({ password, backend_roles: [], attributes: {} }),
      });
    },
    async putRole(name, role) {
      await send({ method: "PUT", path: `${SECURITY_API}/roles/${seg(name)}`, body: json(role) });
    },
    async putRoleMapping(role, users, backendRoles = []) {
      await send({
        method: "PUT",
        path: `${SECURITY_API}/rolesmapping/${seg(role)}`,
        body: json({ users, backend_roles: backendRoles, hosts: [] }),
      });
    },
    async putAuditConfig(config) {
      await send({ method: "PUT", path: `${SECURITY_API}/audit/config`, body: json(config) });
    },
    async deleteSavedObject(ref) {
      await send({
        method: "DELETE",
        path: `/_dashboards/api/saved_objects/${seg(ref.type)}/${seg(ref.id)}`,
        dashboards: true,
        notFoundOk: true,
      });
    },
    async search(index, body) {
      const text = await send({
        method: "POST",
        path: `/${seg(index)}/_search`,
        body: json(body),
        notFoundOk: true,
      });
      return text === "" ? undefined : parseAnswer(`POST /${index}/_search`, text);
    },
    async count(index) {
      const text = await send({ method: "GET", path: `/${seg(index)}/_count`, notFoundOk: true });
      if (text === "") return undefined;
      const n = (parseAnswer(`GET /${index}/_count`, text) as { count?: unknown } | null)?.count;
      if (typeof n !== "number")
        throw apiError(`GET /${index}/_count: no count in the answer: ${excerpt(text)}`);
      return n;
    },
  };
}

function parseAnswer(what: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw apiError(`${what}: the answer is not JSON: ${excerpt(text)}`);
  }
}

interface ImportAnswer {
  success?: boolean;
  successCount?: number;
  successResults?: { type: string; id: string }[];
  errors?: { type: string; id: string; error?: { type?: string; message?: string } }[];
}

/** The import API answers 200 even when objects fail; this turns such an answer into an error. */
export function checkImportAnswer(text: string): SavedObjectRef[] {
  let answer: ImportAnswer;
  try {
    answer = JSON.parse(text) as ImportAnswer;
  } catch {
    throw apiError(`saved-objects import: the answer is not JSON: ${excerpt(text)}`);
  }
  if (answer.success !== true || (answer.errors?.length ?? 0) > 0) {
    const failures = (answer.errors ?? []).map(
      (e) =>
        `${e.type}/${e.id}: ${e.error?.type ?? "error"}${e.error?.message ? ` (${e.error.message})` : ""}`,
    );
    throw apiError(
      `saved-objects import failed for ${failures.length} object(s): ${failures.join("; ") || excerpt(text)}`,
    );
  }
  return (answer.successResults ?? []).map(({ type, id }) => ({ type, id }));
}

function excerpt(text: string): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > 300 ? `${oneLine.slice(0, 300)}…` : oneLine || "(empty body)";
}
