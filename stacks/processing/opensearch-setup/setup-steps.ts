import { readFileSync } from "node:fs";
import * as path from "node:path";
import type { AuditConfig, FetchLike, OpenSearchClient, SecurityRole } from "../../../lib/opensearch-api";
import { createOpenSearchClient, IN_CLUSTER_REACH_HINT } from "../../../lib/opensearch-api";
import type { Clock } from "../../../lib/readiness";

/**
 * What the in-cluster OpenSearch Job does, in order, against an injected client (tested with a fake):
 * the index template first, so an index the sink creates meanwhile gets the mapping; the dashboards'
 * saved objects (overwritten: idempotent); then the security plugin's audit configuration, first among
 * the security calls so the sink's role, its internal user and the mapping between them that follow are
 * recorded as configuration changes (all PUTs that create or replace: a re-run with a new password
 * updates it). Bundled into the Job: it must not import a Pulumi SDK.
 */

/** What to write besides the saved objects. */
export interface OpenSearchSetupSpec {
  readonly templateName: string;
  readonly template: unknown;
  readonly sinkUser: string;
  readonly sinkRole: string;
  readonly sinkRoleBody: SecurityRole;
  readonly auditConfig: AuditConfig;
  /** IAM roles that write as the sink too: the OpenSearch Ingestion pipeline's (private mode). */
  readonly sinkBackendRoles?: readonly string[];
}

/** The Job's data files, next to its script in the ConfigMap (none of them secret). */
export const SETUP_FILES = { spec: "setup.json", savedObjects: "saved-objects.ndjson" } as const;

export async function runOpenSearchSetup(
  os: OpenSearchClient,
  spec: OpenSearchSetupSpec,
  savedObjects: string,
  sinkPassword: string,
  log: (line: string) => void,
): Promise<void> {
  await os.putIndexTemplate(spec.templateName, spec.template);
  log(`index template ${spec.templateName} written`);
  const imported = await os.importSavedObjects(savedObjects);
  log(`${imported.length} saved object(s) imported`);
  await os.putAuditConfig(spec.auditConfig);
  log("audit logging enabled in the security plugin");
  await os.putRole(spec.sinkRole, spec.sinkRoleBody);
  await os.putInternalUser(spec.sinkUser, sinkPassword);
  await os.putRoleMapping(spec.sinkRole, [spec.sinkUser], spec.sinkBackendRoles ?? []);
  log(
    `sink user ${spec.sinkUser}${(spec.sinkBackendRoles ?? []).map((r) => ` and ${r}`).join("")} mapped to role ${spec.sinkRole}`,
  );
}

/**
 * A 403 just after the processing stack replaced the domain policy may only mean the new policy (which
 * admits the NAT addresses) has not reached every node yet: the Job tries again for about a minute
 * before it fails with the NAT hint.
 */
const FORBIDDEN_RETRY_MS = 60_000;

/** The Job's OpenSearch client: the master user, from inside the cluster. */
export function setupClient(
  env: ReturnType<typeof readSetupEnv>,
  fetch: FetchLike,
  clock: Clock,
): OpenSearchClient {
  return createOpenSearchClient({
    endpoint: env.endpoint,
    username: env.user,
    password: env.password,
    fetch,
    clock,
    reachHint: IN_CLUSTER_REACH_HINT,
    forbiddenRetryMs: FORBIDDEN_RETRY_MS,
  });
}

/** The environment the Job passes; a missing value is named before any request. */
export function readSetupEnv(env: Readonly<Record<string, string | undefined>>) {
  const keys = ["OPENSEARCH_ENDPOINT", "OPENSEARCH_USER", "OPENSEARCH_PASSWORD", "SINK_PASSWORD"] as const;
  const missing = keys.filter((k) => !env[k]);
  if (missing.length > 0) throw new Error(`missing environment: ${missing.join(", ")}`);
  return {
    endpoint: env.OPENSEARCH_ENDPOINT!,
    user: env.OPENSEARCH_USER!,
    password: env.OPENSEARCH_PASSWORD!,
    sinkPassword: env.SINK_PASSWORD!,
  };
}

/** The Job's data files in `dir`; one that is missing or not JSON is named before any request. */
export function readSetupFiles(dir: string): { spec: OpenSearchSetupSpec; savedObjects: string } {
  const read = (file: string) => {
    try {
      return readFileSync(path.join(dir, file), "utf8");
    } catch (err) {
      throw new Error(`cannot read ${file}: ${(err as Error).message}`, { cause: err });
    }
  };
  let spec: OpenSearchSetupSpec;
  try {
    spec = JSON.parse(read(SETUP_FILES.spec)) as OpenSearchSetupSpec;
  } catch (err) {
    throw new Error(`${SETUP_FILES.spec} is not the setup spec: ${(err as Error).message}`, { cause: err });
  }
  return { spec, savedObjects: read(SETUP_FILES.savedObjects) };
}
