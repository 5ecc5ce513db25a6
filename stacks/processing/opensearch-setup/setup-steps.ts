import type { AuditConfig, OpenSearchClient, SecurityRole } from "../../../lib/opensearch-api";

/**
 * What the in-cluster OpenSearch Job does, in order, against an injected client (tested with a fake):
 * the index template first, so an index the sink creates meanwhile gets the mapping; the dashboards'
 * saved objects (overwritten: idempotent); then the security plugin's audit configuration, first among
 * the security calls so the sink's role, its internal user and the mapping between them that follow are
 * recorded as configuration changes (all PUTs that create or replace: a re-run with a new password
 * updates it). Bundled into the Job: it must not import a Pulumi SDK.
 */

/** What to write besides the saved objects, passed to the Job as `SETUP_PLAN` (JSON). */
export interface OpenSearchSetupPlan {
  readonly templateName: string;
  readonly template: unknown;
  readonly sinkUser: string;
  readonly sinkRole: string;
  readonly sinkRoleBody: SecurityRole;
  readonly auditConfig: AuditConfig;
}

export async function runOpenSearchSetup(
  os: OpenSearchClient,
  plan: OpenSearchSetupPlan,
  savedObjects: string,
  sinkPassword: string,
  log: (line: string) => void,
): Promise<void> {
  await os.putIndexTemplate(plan.templateName, plan.template);
  log(`index template ${plan.templateName} written`);
  const imported = await os.importSavedObjects(savedObjects);
  log(`${imported.length} saved object(s) imported`);
  await os.putAuditConfig(plan.auditConfig);
  log("audit logging enabled in the security plugin");
  await os.putRole(plan.sinkRole, plan.sinkRoleBody);
  await os.putInternalUser(plan.sinkUser, sinkPassword);
  await os.putRoleMapping(plan.sinkRole, [plan.sinkUser]);
  log(`sink user ${plan.sinkUser} mapped to role ${plan.sinkRole}`);
}

/** The environment the Job passes; a missing value is named before any request. */
export function readSetupEnv(env: Readonly<Record<string, string | undefined>>) {
  const keys = [
    "OPENSEARCH_ENDPOINT",
    "OPENSEARCH_USER",
    "OPENSEARCH_PASSWORD",
    "SINK_PASSWORD",
    "SETUP_PLAN",
  ] as const;
  const missing = keys.filter((k) => !env[k]);
  if (missing.length > 0) throw new Error(`missing environment: ${missing.join(", ")}`);
  return {
    endpoint: env.OPENSEARCH_ENDPOINT!,
    user: env.OPENSEARCH_USER!,
    password: env.OPENSEARCH_PASSWORD!,
    sinkPassword: env.SINK_PASSWORD!,
    plan: JSON.parse(env.SETUP_PLAN!) as OpenSearchSetupPlan,
  };
}
