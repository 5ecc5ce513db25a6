import type { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { OPENSEARCH_DOMAIN } from "./aws-opensearch";
import { REDSHIFT_CLUSTER } from "./aws-redshift";
import { CONNECTOR } from "./confluent";
import { record, strings } from "./util";

/** Connector keys that name the database or search user a connector logs in as. */
const CONNECTOR_USER_KEYS: readonly string[] = [
  "connection.user",
  "connection.username",
  "aws.redshift.user",
];

/**
 * Master user names the pack refuses without seeing the data store: the stacks' defaults
 * (aws-resources' redshiftAdminUser `fraudadmin`, opensearchMasterUser `admin`; a test keeps them in
 * step with its Pulumi.yaml) and Redshift's console default `awsuser`.
 */
export const DEFAULT_MASTER_USER_NAMES: readonly string[] = ["fraudadmin", "admin", "awsuser"];

export interface SinkUserConfig {
  readonly masterUserNames?: readonly string[];
}

/** The master user names of the Redshift clusters and OpenSearch domains among `resources`. */
export function masterUserNames(resources: readonly Pick<PolicyResource, "type" | "props">[]): string[] {
  return resources.flatMap((r) => {
    if (r.type === REDSHIFT_CLUSTER) return strings([r.props.masterUsername]);
    if (r.type === OPENSEARCH_DOMAIN) {
      const options = record(record(r.props.advancedSecurityOptions).masterUserOptions);
      return strings([options.masterUserName]);
    }
    return [];
  });
}

export const confluentSinkNotMasterUser: StackValidationPolicy = {
  name: "confluent-sink-not-master-user",
  description:
    `A Confluent connector never logs in as a data store's master user (${CONNECTOR_USER_KEYS.join(", ")} ` +
    "in configNonsensitive): its password would sit at Confluent with every right on the cluster or " +
    "domain. Sinks use dedicated users that may only write what they sink. Refused names: the master users " +
    "of the Redshift clusters (masterUsername) and OpenSearch domains (masterUserOptions.masterUserName) in " +
    "the same stack, plus this policy's masterUserNames config (default: the stacks' default master " +
    "names). The offline plan adds the master names of the whole deployment; a real per-stack run sees " +
    "only the config list, so a custom master name belongs in the pack config too. Case-insensitive. " +
    "No scanner equivalent.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      masterUserNames: {
        type: "array",
        items: { type: "string" },
        default: [...DEFAULT_MASTER_USER_NAMES],
        description: "Master user names no connector may log in as (the stacks' defaults are listed).",
      },
    },
  },
  validateStack: (args, reportViolation) => {
    const configured = strings(args.getConfig<SinkUserConfig>().masterUserNames);
    const masters = new Set([...configured, ...masterUserNames(args.resources)].map((n) => n.toLowerCase()));
    for (const connector of args.resources.filter((r) => r.type === CONNECTOR)) {
      const config = record(connector.props.configNonsensitive);
      for (const key of CONNECTOR_USER_KEYS) {
        const user = config[key];
        if (typeof user === "string" && masters.has(user.trim().toLowerCase())) {
          reportViolation(
            `${connector.name}: ${key} is a master user; give the connector a dedicated user that may only ` +
              "write what it sinks",
            connector.urn,
          );
        }
      }
    }
  },
};
