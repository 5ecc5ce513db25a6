import * as confluentcloud from "@pulumi/confluentcloud";
import * as pulumi from "@pulumi/pulumi";

/**
 * Confluent Cloud role bindings as data. A Grant says "principal P gets role R on the resource that a
 * CRN suffix names in a scope"; each stack lists its grants, and `bindGrants` turns them into
 * RoleBindings, so the lists are reviewed and tested on their own.
 *
 * Role semantics (Confluent Cloud RBAC, Standard clusters and up): DeveloperRead = consume/read,
 * DeveloperWrite = produce/register, DeveloperManage = create/alter/delete the resource. A trailing
 * `*` in a CRN suffix is a prefix pattern. Source: Confluent Cloud's predefined RBAC roles,
 * https://docs.confluent.io/cloud/current/security/access-control/rbac/predefined-rbac-roles.html
 */

export type Role =
  "DeveloperRead" | "DeveloperWrite" | "DeveloperManage" | "FlinkDeveloper" | "Assigner" | "EnvironmentAdmin";

/**
 * Where a CRN suffix is appended:
 * - `kafka`: `<cluster rbacCrn>/kafka=<cluster id>/<suffix>` (topics, groups, transactional ids)
 * - `schema-registry`: `<Schema Registry resourceName>/<suffix>` (subjects)
 * - `environment`: the environment CRN itself (suffix empty)
 * - `organization`: `<organization CRN>/<suffix>`; `@<principal>` in the suffix is that account's id
 */
export type CrnScope = "kafka" | "schema-registry" | "environment" | "organization";

export interface Grant<P extends string = string> {
  readonly principal: P;
  readonly role: Role;
  readonly scope: CrnScope;
  readonly crnSuffix: string;
}

/** The CRNs the scopes refer to; a stack gives the ones its grants use. */
export interface ScopeCrns {
  /** Kafka cluster `rbacCrn`. */
  readonly kafkaRbacCrn: string;
  readonly kafkaClusterId: string;
  /** Schema Registry cluster `resourceName`. */
  readonly schemaRegistryCrn: string;
  /** Environment `resourceName`. */
  readonly environmentCrn?: string;
  /** Organization `resourceName`. */
  readonly organizationCrn?: string;
}

/** Each of `roles` for `principal` on one resource. */
export function grants<P extends string>(
  principal: P,
  roles: readonly Role[],
  scope: CrnScope,
  crnSuffix: string,
): Grant<P>[] {
  return roles.map((role) => ({ principal, role, scope, crnSuffix }));
}

/** Roles on a table: on its topic, and on its Schema Registry subjects (`<table>-key`, `<table>-value`). */
export function tableGrants<P extends string>(
  principal: P,
  table: string,
  roles: { readonly topic: readonly Role[]; readonly subjects: readonly Role[] },
): Grant<P>[] {
  return [
    ...grants(principal, roles.topic, "kafka", `topic=${table}`),
    ...grants(principal, roles.subjects, "schema-registry", `subject=${table}-*`),
  ];
}

/** Accounts a grant's CRN refers to (`@flink-statements` in an Assigner grant). */
export function referencedPrincipals<P extends string>(grant: Grant<P>): P[] {
  return [...grant.crnSuffix.matchAll(/@([a-z-]+)/g)].map((m) => m[1] as P);
}

/** The full CRN pattern of a grant, given the scope CRNs and the ids of the accounts it refers to. */
export function crnPattern<P extends string>(
  grant: Grant<P>,
  crns: ScopeCrns,
  accountIds: Readonly<Partial<Record<P, string>>>,
): string {
  const suffix = grant.crnSuffix.replace(/@([a-z-]+)/g, (_m, who: string) => {
    const id = accountIds[who as P];
    if (!id) throw new Error(`grant ${grant.principal}/${grant.role} refers to unknown account ${who}`);
    return id;
  });
  const scopeCrn = (crn: string | undefined) => {
    if (!crn) throw new Error(`grant ${grant.principal}/${grant.role} needs the ${grant.scope} CRN`);
    return crn;
  };
  switch (grant.scope) {
    case "kafka":
      return `${crns.kafkaRbacCrn}/kafka=${crns.kafkaClusterId}/${suffix}`;
    case "schema-registry":
      return `${crns.schemaRegistryCrn}/${suffix}`;
    case "environment":
      return suffix ? `${scopeCrn(crns.environmentCrn)}/${suffix}` : scopeCrn(crns.environmentCrn);
    case "organization":
      return `${scopeCrn(crns.organizationCrn)}/${suffix}`;
  }
}

/** A stable, readable resource name for a grant, e.g. `cdc-source-developerwrite-topic-fd-all`. */
export function grantResourceName(grant: Grant): string {
  const slug = `${grant.scope === "schema-registry" ? "sr-" : ""}${grant.crnSuffix || grant.scope}`
    .replace(/@/g, "")
    .replace(/\*/g, "all")
    .replace(/[^A-Za-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "")
    .toLowerCase();
  return `${grant.principal}-${grant.role.toLowerCase()}-${slug}`;
}

/** Who the grants are for and where their CRNs point. */
export interface BindingTarget<P extends string> {
  /** The service-account id of each principal the grants name. */
  readonly accountId: (principal: P) => pulumi.Input<string>;
  readonly crns: pulumi.Input<ScopeCrns>;
}

/**
 * One RoleBinding per grant, in order, named `<name>-<grantResourceName>`. `optionsOf` adds options
 * to one binding (say, the alias of a name a stack already holds it under).
 */
export function bindGrants<P extends string>(
  name: string,
  grantList: readonly Grant<P>[],
  target: BindingTarget<P>,
  opts: pulumi.CustomResourceOptions,
  optionsOf: (grant: Grant<P>) => pulumi.CustomResourceOptions = () => ({}),
): confluentcloud.RoleBinding[] {
  return grantList.map((grant) => {
    const named = referencedPrincipals(grant).map((p) => [p, target.accountId(p)] as const);
    return new confluentcloud.RoleBinding(
      `${name}-${grantResourceName(grant)}`,
      {
        principal: pulumi.interpolate`User:${target.accountId(grant.principal)}`,
        roleName: grant.role,
        // Depends only on the accounts the pattern names, so the graph stays exact.
        crnPattern: pulumi
          .all([target.crns, pulumi.output(Object.fromEntries(named))])
          .apply(([crns, ids]) => crnPattern(grant, crns, ids as Partial<Record<P, string>>)),
      },
      { ...opts, ...optionsOf(grant) },
    );
  });
}
