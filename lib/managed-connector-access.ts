import type { Grant } from "./role-bindings";
import { grants } from "./role-bindings";

/**
 * What every fully managed Confluent sink connector touches besides its source topics: it consumes as
 * the group `connect-<id>` and writes failed records to `dlq-<id>` and, for connectors that report
 * results (OpenSearch, Lambda), `success-<id>` and `error-<id>`, where `<id>` is the `lcc-…` connector
 * id. The id is known only once the connector exists, so the grants use the `lcc-` prefix. Source: the
 * ACLs of Confluent's S3 sink example (github.com/confluentinc/terraform-provider-confluent,
 * examples/configurations/connectors/s3-sink-connector-assume-role/main.tf) in RBAC form.
 */

const CONNECTOR_GROUP = "group=connect-lcc-*";
const CONNECTOR_REPORT_TOPICS = ["dlq-lcc-*", "success-lcc-*", "error-lcc-*"] as const;

/** The grants a managed sink running as `principal` needs on its consumer group and its report topics. */
export function managedSinkOwnGrants<P extends string>(principal: P): Grant<P>[] {
  return [
    ...grants(principal, ["DeveloperRead"], "kafka", CONNECTOR_GROUP),
    ...CONNECTOR_REPORT_TOPICS.flatMap((t) =>
      grants(principal, ["DeveloperWrite", "DeveloperManage"], "kafka", `topic=${t}`),
    ),
  ];
}
