import { managedSinkOwnGrants } from "../../lib/managed-connector-access";

/**
 * Who may do what, as data. One service account per job, each with only the role bindings that job
 * needs; the AccessControl component turns this plan into RoleBindings. Pure, so the plan is
 * reviewed and tested on its own (tests/connector-access.test.ts).
 *
 * Role semantics (Confluent Cloud RBAC, Standard clusters and up): DeveloperRead = consume/read,
 * DeveloperWrite = produce/register, DeveloperManage = create/alter/delete the resource. A trailing
 * `*` in a CRN suffix is a prefix pattern. Source: Confluent Cloud's predefined RBAC roles,
 * https://docs.confluent.io/cloud/current/security/access-control/rbac/predefined-rbac-roles.html ;
 * what only a real run confirms is listed in stacks/connector/README.md.
 */

/** The stack's service accounts. */
export const PRINCIPALS = [
  "cdc-source",
  "sink-connectors",
  "flink-statements",
  "flink-deployer",
  "app",
] as const;
export type Principal = (typeof PRINCIPALS)[number];

export const PRINCIPAL_DESCRIPTIONS: Readonly<Record<Principal, string>> = {
  "cdc-source": "Oracle XStream CDC source connector: writes the CDC topics and registers their schemas",
  "sink-connectors": "Sink connectors of the processing stack: read the Flink tables, write their DLQ topics",
  "flink-statements": "Principal the Flink statements run as: reads CDC topics, owns the tables it creates",
  "flink-deployer": "Owns the Flink API key: submits statements that run as the flink-statements account",
  app: "Operators and apps: read-only on the CDC topics and their schemas",
};

export type Role =
  "DeveloperRead" | "DeveloperWrite" | "DeveloperManage" | "FlinkDeveloper" | "Assigner" | "EnvironmentAdmin";

/**
 * Where a CRN suffix is appended:
 * - `kafka`: `<cluster rbacCrn>/kafka=<cluster id>/<suffix>` (topics, groups, transactional ids)
 * - `schema-registry`: `<Schema Registry resourceName>/<suffix>` (subjects)
 * - `environment`: the environment CRN itself (suffix empty)
 * - `organization`: `<organization CRN>/<suffix>`; `@<principal>` in the suffix is that account's id
 */
export type Scope = "kafka" | "schema-registry" | "environment" | "organization";

export interface Grant {
  readonly principal: Principal;
  readonly role: Role;
  readonly scope: Scope;
  readonly crnSuffix: string;
}

/** The names the plan is about. */
export interface AccessNames {
  /** topic.prefix of the CDC connector, e.g. `fd`. */
  readonly topicPrefix: string;
  /** Topics the CDC connector writes, e.g. `fd.SAMPLE.AUTH_USER`. */
  readonly cdcTopics: readonly string[];
  /** Tables (= topics) the Flink statements create, e.g. `auth_user`. */
  readonly tables: readonly string[];
}

const g = (principal: Principal, role: Role, scope: Scope, crnSuffix: string): Grant => ({
  principal,
  role,
  scope,
  crnSuffix,
});

/** Several roles on one resource. */
const each = (principal: Principal, roles: readonly Role[], scope: Scope, crnSuffix: string): Grant[] =>
  roles.map((role) => g(principal, role, scope, crnSuffix));

/** The fine-grained plan. */
export function accessPlan(names: AccessNames): Grant[] {
  const p = names.topicPrefix;
  const RW: Role[] = ["DeveloperRead", "DeveloperWrite"];
  return [
    // The XStream source creates and writes <prefix>.<SCHEMA>.<TABLE>, and keeps its schema history in
    // __orcl-schema-changes.<prefix>.<id> (heartbeats, if enabled, in __orcl-heartbeat.<id>.<prefix>),
    // which it reads back on restart. It authenticates as this account (kafka.auth.mode=SERVICE_ACCOUNT).
    ...each("cdc-source", ["DeveloperWrite", "DeveloperManage"], "kafka", `topic=${p}.*`),
    ...each("cdc-source", ["DeveloperRead", "DeveloperWrite", "DeveloperManage"], "kafka", "topic=__orcl-*"),
    ...each("cdc-source", RW, "schema-registry", `subject=${p}.*`),

    // Managed sinks consume as connect-lcc-<id> and send failed records to dlq-lcc-<id> (plus
    // success-/error-lcc-<id> reporter topics for OpenSearch). The processing stack binds the topics it
    // creates itself (flagged_user).
    ...names.tables.map((t) => g("sink-connectors", "DeveloperRead", "kafka", `topic=${t}`)),
    ...managedSinkOwnGrants().map((k) => g("sink-connectors", k.role, "kafka", k.crnSuffix)),
    ...names.tables.map((t) => g("sink-connectors", "DeveloperRead", "schema-registry", `subject=${t}-*`)),

    // Flink statements: exactly-once sinks use transactional ids _confluent-flink_*; the group binding
    // is from the older docs and harmless. ALTER TABLE on a CDC topic needs Manage on it and Write on
    // its subjects; CREATE TABLE creates the table's topic and subjects; INSERT writes them; the
    // processing stack's statements (same principal) read the tables.
    ...each("flink-statements", RW, "kafka", "transactional-id=_confluent-flink_*"),
    g("flink-statements", "DeveloperManage", "kafka", "group=_confluent-flink_*"),
    ...names.cdcTopics.flatMap((t) => [
      ...each("flink-statements", ["DeveloperRead", "DeveloperManage"], "kafka", `topic=${t}`),
      ...each("flink-statements", RW, "schema-registry", `subject=${t}-*`),
    ]),
    ...names.tables.flatMap((t) => [
      ...each(
        "flink-statements",
        ["DeveloperRead", "DeveloperWrite", "DeveloperManage"],
        "kafka",
        `topic=${t}`,
      ),
      ...each("flink-statements", RW, "schema-registry", `subject=${t}-*`),
    ]),

    // The deployer submits statements in this environment, running as the statements account.
    g("flink-deployer", "FlinkDeveloper", "environment", ""),
    g("flink-deployer", "Assigner", "organization", "service-account=@flink-statements"),

    // Read-only access for people and tools, with consumer groups of their own prefix. Its Schema
    // Registry key also drives the readiness gate that waits for the CDC subjects.
    g("app", "DeveloperRead", "kafka", `topic=${p}.*`),
    g("app", "DeveloperRead", "kafka", `group=${p}-app-*`),
    g("app", "DeveloperRead", "schema-registry", `subject=${p}.*`),
  ];
}

/**
 * The documented escape hatch (`useEnvironmentAdmin`): one EnvironmentAdmin binding per account. The
 * deployer account is not needed then: the Flink key belongs to the statements account itself, and a
 * principal submitting its own statements needs no Assigner binding.
 */
export function environmentAdminPlan(): Grant[] {
  return principalsFor(true).map((principal) => g(principal, "EnvironmentAdmin", "environment", ""));
}

/** Service accounts the stack creates in each mode. */
export function principalsFor(useEnvironmentAdmin: boolean): Principal[] {
  return PRINCIPALS.filter((p) => !(useEnvironmentAdmin && p === "flink-deployer"));
}

/** Owner of the Flink API key: the deployer, or the statements account under the escape hatch. */
export function flinkKeyOwner(useEnvironmentAdmin: boolean): Principal {
  return useEnvironmentAdmin ? "flink-statements" : "flink-deployer";
}

/** Accounts a grant's CRN refers to (`@flink-statements` in an Assigner grant). */
export function referencedPrincipals(grant: Grant): Principal[] {
  return [...grant.crnSuffix.matchAll(/@([a-z-]+)/g)].map((m) => m[1] as Principal);
}

/** The CRNs the scopes refer to. */
export interface ScopeCrns {
  /** Kafka cluster `rbacCrn`. */
  readonly kafkaRbacCrn: string;
  readonly kafkaClusterId: string;
  /** Schema Registry cluster `resourceName`. */
  readonly schemaRegistryCrn: string;
  /** Environment `resourceName`. */
  readonly environmentCrn: string;
  /** Organization `resourceName`. */
  readonly organizationCrn: string;
}

/** The full CRN pattern of a grant, given the scope CRNs and the service-account ids. */
export function crnPattern(
  grant: Grant,
  crns: ScopeCrns,
  accountIds: Readonly<Partial<Record<Principal, string>>>,
): string {
  const suffix = grant.crnSuffix.replace(/@([a-z-]+)/g, (_m, who: string) => {
    const id = accountIds[who as Principal];
    if (!id) throw new Error(`grant ${grant.principal}/${grant.role} refers to unknown account ${who}`);
    return id;
  });
  switch (grant.scope) {
    case "kafka":
      return `${crns.kafkaRbacCrn}/kafka=${crns.kafkaClusterId}/${suffix}`;
    case "schema-registry":
      return `${crns.schemaRegistryCrn}/${suffix}`;
    case "environment":
      return suffix ? `${crns.environmentCrn}/${suffix}` : crns.environmentCrn;
    case "organization":
      return `${crns.organizationCrn}/${suffix}`;
  }
}

/** A stable, readable Pulumi resource name for a grant, e.g. `cdc-source-developerwrite-topic-fd`. */
export function grantResourceName(grant: Grant): string {
  const slug = `${grant.scope === "schema-registry" ? "sr-" : ""}${grant.crnSuffix || grant.scope}`
    .replace(/@/g, "")
    .replace(/\*/g, "all")
    .replace(/[^A-Za-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .toLowerCase();
  return `${grant.principal}-${grant.role.toLowerCase()}-${slug}`;
}

/** Display name of a service account, e.g. `fd-dev-a1b2-cdc-source` (Confluent allows 64 characters). */
export function serviceAccountName(namePrefix: string, principal: Principal): string {
  return `${namePrefix}-${principal}`;
}
