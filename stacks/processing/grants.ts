import type * as confluentcloud from "@pulumi/confluentcloud";
import type * as pulumi from "@pulumi/pulumi";
import { managedSinkOwnGrants } from "../../lib/managed-connector-access";
import type { Grant, ScopeCrns } from "../../lib/role-bindings";
import { bindGrants, tableGrants } from "../../lib/role-bindings";

/**
 * The processing stack's role bindings, as data. The connector stack grants its accounts the tables
 * that stack creates; this stack grants them the tables it creates itself, and gives the alerts sink,
 * which runs as an account of its own, what it reads and writes. None of them exist in the connector
 * stack's environment-admin mode, whose EnvironmentAdmin bindings already cover them (and whose users
 * may not be allowed to create fine-grained bindings at all).
 */

/** The accounts: the connector stack's Flink and sink accounts, and the alerts sink's own. */
export type Principal = "flink-statements" | "sink-connectors" | "alerts-sink";

/** The Flink account on a table a statement of this stack creates: create/alter and write its topic, register and read its schemas. */
export const flinkTableGrants = (table: string): Grant<Principal>[] =>
  tableGrants("flink-statements", table, {
    topic: ["DeveloperManage", "DeveloperWrite"],
    subjects: ["DeveloperWrite", "DeveloperRead"],
  });

/** A sink connector reading a table: its topic and its schemas. */
export const sinkReadGrants = (principal: Principal, table: string): Grant<Principal>[] =>
  tableGrants(principal, table, { topic: ["DeveloperRead"], subjects: ["DeveloperRead"] });

/** The alerts sink: read the alerts table, and its own consumer group and report topics. */
export const alertsSinkGrants = (table: string): Grant<Principal>[] => [
  ...sinkReadGrants("alerts-sink", table),
  ...managedSinkOwnGrants("alerts-sink"),
];

/** `topic-manage`, `subjects-read`: a table binding's role on its topic or subjects. */
const tableRole = (g: Grant): string =>
  `${g.scope === "kafka" ? "topic" : "subjects"}-${g.role.replace(/^Developer/, "").toLowerCase()}`;

/**
 * The names deployed stacks hold this stack's bindings under, given the component's name: each
 * binding names its own as an alias, so that `pulumi up` keeps it rather than replacing it.
 */
const DEPLOYED_BINDING_NAMES = {
  flinkTable: (component: string, g: Grant) => `${component}-flink-${tableRole(g)}`,
  flaggedRead: (component: string, g: Grant) => `${component}-flagged-${tableRole(g)}`,
  alertsSink: (component: string, g: Grant) =>
    g.scope === "schema-registry"
      ? `${component}-sink-developerread-subjects`
      : `${component}-sink-${g.role.toLowerCase()}-${g.crnSuffix.replace(/\*/g, "all").replace(/[^a-z0-9]+/gi, "-")}`,
} as const;

/**
 * A component's bindings of `grants` for one account, none when `crns` is absent (environment-admin
 * mode), each keeping as an alias the name deployed stacks hold it under (`deployedAs`).
 */
export function bindStackGrants(
  name: string,
  grants: readonly Grant<Principal>[],
  to: {
    readonly accountId: pulumi.Input<string>;
    readonly crns: ScopeCrns | undefined;
    readonly deployedAs: keyof typeof DEPLOYED_BINDING_NAMES;
  },
  parent: pulumi.Resource,
): confluentcloud.RoleBinding[] {
  const { accountId, crns } = to;
  if (!crns) return [];
  const deployedName = DEPLOYED_BINDING_NAMES[to.deployedAs];
  return bindGrants(name, grants, { accountId: () => accountId, crns }, { parent }, (g) => ({
    aliases: [{ name: deployedName(name, g) }],
  }));
}
