/**
 * What every fully managed Confluent sink connector touches besides its source topics, as CRN
 * suffixes under `<cluster rbacCrn>/kafka=<cluster id>/`: it consumes as the group `connect-<id>`
 * and writes failed records to `dlq-<id>` and, for connectors that report results (OpenSearch,
 * Lambda), `success-<id>` and `error-<id>`, where `<id>` is the `lcc-…` connector id. The id is
 * known only once the connector exists, so the grants use the `lcc-` prefix. Source: the ACLs of
 * Confluent's S3 sink example (github.com/confluentinc/terraform-provider-confluent,
 * examples/configurations/connectors/s3-sink-connector-assume-role/main.tf) in RBAC form.
 */

export type ConnectorRole = "DeveloperRead" | "DeveloperWrite" | "DeveloperManage";

export interface KafkaGrant {
  readonly role: ConnectorRole;
  /** e.g. `group=connect-lcc-*`, `topic=dlq-lcc-*`. */
  readonly crnSuffix: string;
}

export const CONNECTOR_GROUP_SUFFIX = "group=connect-lcc-*";
export const CONNECTOR_REPORT_TOPICS = ["dlq-lcc-*", "success-lcc-*", "error-lcc-*"] as const;

/** The grants a managed sink needs on its consumer group and its own report topics. */
export function managedSinkOwnGrants(): KafkaGrant[] {
  return [
    { role: "DeveloperRead", crnSuffix: CONNECTOR_GROUP_SUFFIX },
    ...CONNECTOR_REPORT_TOPICS.flatMap((t): KafkaGrant[] => [
      { role: "DeveloperWrite", crnSuffix: `topic=${t}` },
      { role: "DeveloperManage", crnSuffix: `topic=${t}` },
    ]),
  ];
}
