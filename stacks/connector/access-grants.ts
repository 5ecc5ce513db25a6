import { managedSinkOwnGrants } from "../../lib/managed-connector-access";
import type { Grant, Role } from "../../lib/role-bindings";
import { grants, tableGrants } from "../../lib/role-bindings";

/**
 * Who may do what, as data: one service account per job, each with only the role bindings that job
 * needs (tests/connector-access.test.ts). The AccessControl component binds them; what only a real run
 * confirms is listed in stacks/connector/README.md.
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

/** The names the grants are about. */
export interface AccessNames {
  /** topic.prefix of the CDC connector, e.g. `fd`. */
  readonly topicPrefix: string;
  /** Topics the CDC connector writes, e.g. `fd.SAMPLE.AUTH_USER`. */
  readonly cdcTopics: readonly string[];
  /** Tables (= topics) the Flink statements create, e.g. `auth_user`. */
  readonly tables: readonly string[];
}

const RW: Role[] = ["DeveloperRead", "DeveloperWrite"];
const RWM: Role[] = ["DeveloperRead", "DeveloperWrite", "DeveloperManage"];

/** The fine-grained grants. */
export function leastPrivilegeGrants(names: AccessNames): Grant<Principal>[] {
  const p = names.topicPrefix;
  return [
    // The XStream source creates and writes <prefix>.<SCHEMA>.<TABLE>, and keeps its schema history in
    // __orcl-schema-changes.<prefix>.<id> (heartbeats, if enabled, in __orcl-heartbeat.<id>.<prefix>),
    // which it reads back on restart. It authenticates as this account (kafka.auth.mode=SERVICE_ACCOUNT).
    ...grants("cdc-source", ["DeveloperWrite", "DeveloperManage"], "kafka", `topic=${p}.*`),
    ...grants("cdc-source", RWM, "kafka", "topic=__orcl-*"),
    ...grants("cdc-source", RW, "schema-registry", `subject=${p}.*`),

    // Managed sinks consume as connect-lcc-<id> and send failed records to dlq-lcc-<id> (plus
    // success-/error-lcc-<id> reporter topics for OpenSearch). The processing stack binds the topics it
    // creates itself (flagged_user).
    ...names.tables.flatMap((t) => grants("sink-connectors", ["DeveloperRead"], "kafka", `topic=${t}`)),
    ...managedSinkOwnGrants("sink-connectors"),
    ...names.tables.flatMap((t) =>
      grants("sink-connectors", ["DeveloperRead"], "schema-registry", `subject=${t}-*`),
    ),

    // Flink statements: exactly-once sinks use transactional ids _confluent-flink_*, and a statement
    // that consumes as a _confluent-flink_* group has that group (harmless when none does). ALTER TABLE on a CDC topic needs Manage on it and Write on
    // its subjects; CREATE TABLE creates the table's topic and subjects; INSERT writes them; the
    // processing stack's statements (same principal) read the tables.
    ...grants("flink-statements", RW, "kafka", "transactional-id=_confluent-flink_*"),
    ...grants("flink-statements", ["DeveloperManage"], "kafka", "group=_confluent-flink_*"),
    ...names.cdcTopics.flatMap((t) =>
      tableGrants("flink-statements", t, { topic: ["DeveloperRead", "DeveloperManage"], subjects: RW }),
    ),
    ...names.tables.flatMap((t) => tableGrants("flink-statements", t, { topic: RWM, subjects: RW })),

    // The deployer submits statements in this environment, running as the statements account.
    ...grants("flink-deployer", ["FlinkDeveloper"], "environment", ""),
    ...grants("flink-deployer", ["Assigner"], "organization", "service-account=@flink-statements"),

    // Read-only access for people and tools, with consumer groups of their own prefix. Its Schema
    // Registry key also drives the readiness gate that waits for the CDC subjects.
    ...grants("app", ["DeveloperRead"], "kafka", `topic=${p}.*`),
    ...grants("app", ["DeveloperRead"], "kafka", `group=${p}-app-*`),
    ...grants("app", ["DeveloperRead"], "schema-registry", `subject=${p}.*`),
  ];
}

/**
 * The documented escape hatch (`useEnvironmentAdmin`): one EnvironmentAdmin binding per account. The
 * deployer account is not needed then: the Flink key belongs to the statements account itself, and a
 * principal submitting its own statements needs no Assigner binding.
 */
export function environmentAdminGrants(): Grant<Principal>[] {
  return principalsFor(true).flatMap((principal) =>
    grants(principal, ["EnvironmentAdmin"], "environment", ""),
  );
}

/** Service accounts the stack creates in each mode. */
export function principalsFor(useEnvironmentAdmin: boolean): Principal[] {
  return PRINCIPALS.filter((p) => !(useEnvironmentAdmin && p === "flink-deployer"));
}

/** Owner of the Flink API key: the deployer, or the statements account under the escape hatch. */
export function flinkKeyOwner(useEnvironmentAdmin: boolean): Principal {
  return useEnvironmentAdmin ? "flink-statements" : "flink-deployer";
}

/** Display name of a service account, e.g. `fd-dev-a1b2-cdc-source` (Confluent allows 64 characters). */
export function serviceAccountName(namePrefix: string, principal: Principal): string {
  return `${namePrefix}-${principal}`;
}
