import type { ResourceValidationPolicy } from "@pulumi/policy";
import { SECRET_CONFIG_KEY } from "../../lib/connector-config";
import { describeHits, findSecretMaterial } from "./secret-patterns";
import { record } from "./util";

export const CONNECTOR = "confluentcloud:index/connector:Connector";
export const ROLE_BINDING = "confluentcloud:index/roleBinding:RoleBinding";
export const API_KEY = "confluentcloud:index/apiKey:ApiKey";

export const confluentConnectorNoPlaintextSecrets: ResourceValidationPolicy = {
  name: "confluent-connector-no-plaintext-secrets",
  description:
    "Confluent connectors keep secrets in configSensitive (a Pulumi secret) only: no configNonsensitive key " +
    "named like password, secret, private.key, wallet, credential or token, and no value containing secret-looking " +
    "material. configNonsensitive is stored in plaintext in state and shown in diffs. No scanner equivalent " +
    "(Checkov/Trivy have no Confluent checks).",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type !== CONNECTOR) return;
    for (const [key, value] of Object.entries(record(args.props.configNonsensitive))) {
      if (SECRET_CONFIG_KEY.test(key)) {
        reportViolation(
          `${args.name}: configNonsensitive key '${key}' is a secret; move it to configSensitive`,
        );
        continue;
      }
      const hits = typeof value === "string" ? findSecretMaterial(value) : [];
      if (hits.length > 0) {
        reportViolation(`${args.name}: configNonsensitive key '${key}' contains ${describeHits(hits)}`);
      }
    }
  },
};

/**
 * Roles that grant a whole cluster, environment, organization or account, administer Flink pools
 * (FlinkAdmin) or governance (DataSteward), see the metadata of everything in their scope (Operator), or
 * (ResourceOwner) full control of a resource including the right to bind roles on it to others
 * (https://docs.confluent.io/cloud/current/security/access-control/rbac/predefined-rbac-roles.html). The
 * stacks bind only DeveloperRead/Write/Manage, FlinkDeveloper and Assigner
 * (stacks/connector/access-grants.ts), so none of these has a legitimate use here.
 */
const ADMIN_ROLES: readonly string[] = [
  "EnvironmentAdmin",
  "OrganizationAdmin",
  "CloudClusterAdmin",
  "AccountAdmin",
  "ResourceOwner",
  "FlinkAdmin",
  "DataSteward",
  "Operator",
];

/**
 * A bare `*` as a CRN segment's value: every topic of the cluster, every subject of the registry,
 * every consumer group or transactional id, every service account of the organization. A prefix
 * pattern (`topic=fd.*`, `group=connect-lcc-*`) names what it covers.
 */
const WILDCARD_RESOURCE = /\/(topic|subject|group|transactional-id|service-account)=\*+(?=\/|$)/;

export interface AdminRoleBindingConfig {
  /** Escape hatch matching the connector stack's switch for accounts without RBAC rights. */
  readonly allowEnvironmentAdmin?: boolean;
}

export const confluentNoAdminRoleBindings: ResourceValidationPolicy = {
  name: "confluent-no-admin-role-bindings",
  description:
    `No Confluent role binding grants ${ADMIN_ROLES.join(", ")}, and no binding's crnPattern names every ` +
    "topic, subject, consumer group, transactional id or service account (a bare `topic=*`, `subject=*`, " +
    "`group=*`, `transactional-id=*` or `service-account=*` segment; prefix patterns such as `topic=fd.*` " +
    "are fine): each workload gets a service account with roles scoped to its topics, subjects, groups and " +
    "pool. EnvironmentAdmin is allowed only when this policy's config sets allowEnvironmentAdmin = true " +
    "(the documented escape hatch for accounts that cannot create fine-grained bindings); the other roles " +
    "are never allowed. No scanner equivalent.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      allowEnvironmentAdmin: {
        type: "boolean",
        default: false,
        description: "Allow EnvironmentAdmin role bindings (escape hatch; document why it is on).",
      },
    },
  },
  validateResource: (args, reportViolation) => {
    if (args.type !== ROLE_BINDING) return;
    const role = args.props.roleName;
    const principal = String(args.props.principal);
    const wildcard =
      typeof args.props.crnPattern === "string" ? WILDCARD_RESOURCE.exec(args.props.crnPattern) : null;
    if (wildcard) {
      reportViolation(
        `${args.name}: grants ${String(role)} to ${principal} on every ${wildcard[1]} (${wildcard[1]}=*); ` +
          "name a prefix or the resource instead",
      );
    }
    if (typeof role !== "string" || !ADMIN_ROLES.includes(role)) return;
    const { allowEnvironmentAdmin } = args.getConfig<AdminRoleBindingConfig>();
    if (role === "EnvironmentAdmin" && allowEnvironmentAdmin === true) return;
    const hint =
      role === "EnvironmentAdmin" ? " (set allowEnvironmentAdmin only as a documented exception)" : "";
    reportViolation(`${args.name}: grants ${role} to ${principal}; scope the role instead${hint}`);
  },
};

export const confluentApiKeyServiceAccountOwner: ResourceValidationPolicy = {
  name: "confluent-api-key-service-account-owner",
  description:
    "Confluent API keys are owned by service accounts, never by users: a user-owned key carries that " +
    "person's rights and dies with their account. No scanner equivalent.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type !== API_KEY) return;
    const kind = record(args.props.owner).kind;
    if (kind !== "ServiceAccount") {
      reportViolation(`${args.name}: owner kind is '${String(kind)}', not 'ServiceAccount'`);
    }
  },
};
