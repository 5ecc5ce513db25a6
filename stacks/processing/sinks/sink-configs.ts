import type * as pulumi from "@pulumi/pulumi";
import { checkedConnectorConfig } from "../../../lib/connector-config";

/**
 * Pure builders of the sink connectors' configuration. Each returns the two maps a
 * `confluentcloud.Connector` takes: `nonsensitive` (stored and shown in plain text) and
 * `sensitive` (a secret in state). Every password or key goes in `sensitive`; a test fails if a
 * nonsensitive key even looks like a credential. Kafka access is by service account
 * (`kafka.auth.mode=SERVICE_ACCOUNT`), so no Kafka API secret exists at all.
 *
 * Failed records: with `errors.tolerance=all` a record a sink cannot write (bad schema, rejected by
 * the database) goes to the connector's dead-letter topic `dlq-<connector id>` (`dlq-lcc-…`) with the
 * error in its headers, and the sink carries on; with `none` the connector stops (FAILED) instead.
 */

/**
 * Secret values may still be Outputs (e.g. a password read from an upstream stack), and so may the
 * nonsensitive values of a config that names a resource this stack creates (`Value`). The
 * connector's name is always known up front.
 */
export interface SinkConfig<Value extends pulumi.Input<string> = string> {
  readonly nonsensitive: { readonly name: string } & Record<string, Value>;
  readonly sensitive: Record<string, pulumi.Input<string>>;
}

export type ErrorsTolerance = "all" | "none";

interface CommonSinkInput {
  /** Connector name, unique in the cluster. */
  readonly name: string;
  /** Service account the connector reads Kafka as (from the connector contract). */
  readonly serviceAccountId: string;
  readonly errorsTolerance: ErrorsTolerance;
}

function common(input: CommonSinkInput, topics: readonly string[]) {
  return {
    name: input.name,
    "kafka.auth.mode": "SERVICE_ACCOUNT",
    "kafka.service.account.id": input.serviceAccountId,
    topics: topics.join(","),
    "input.data.format": "AVRO",
    "errors.tolerance": input.errorsTolerance,
    "tasks.max": "1",
  };
}

export interface OpenSearchSinkInput extends CommonSinkInput {
  /** Topic of the flagged accounts (an upsert table keyed by account). */
  readonly topic: string;
  readonly index: string;
  /** Domain endpoint host name, without scheme. */
  readonly endpoint: string;
  readonly user: string;
  readonly password: pulumi.Input<string>;
}

/** flagged_user → one OpenSearch index, upserted by record key over HTTPS with basic auth. */
export function opensearchSinkConfig(input: OpenSearchSinkInput): SinkConfig {
  return checkedConnectorConfig(input.name, {
    nonsensitive: {
      "connector.class": "OpenSearchSink",
      ...common(input, [input.topic]),
      // The topic key is the Avro-encoded account id (the table's primary key).
      "input.key.format": "AVRO",
      "instance.url": `https://${input.endpoint}`,
      "opensearch.ssl.enabled": "true",
      "auth.type": "BASIC",
      "connection.user": input.user,
      "indexes.num": "1",
      "index1.name": input.index,
      "index1.topic": input.topic,
      // UPSERT: one document per account, replaced whenever the account is flagged again.
      "index1.write.method": "UPSERT",
      // A tombstone (the row deleted from the upsert table) deletes the document.
      "index1.behavior.on.null.values": "DELETE",
    },
    sensitive: { "connection.password": input.password },
  });
}

export interface RedshiftSinkInput extends CommonSinkInput {
  readonly topics: readonly string[];
  /** Leader-node host name, without port. */
  readonly host: string;
  readonly port: number;
  readonly database: string;
  /** The sink's own Redshift user, whose password is disabled: it logs in with IAM credentials only. */
  readonly user: string;
  /** The Confluent provider integration whose AWS role may get that user's credentials. */
  readonly providerIntegrationId: pulumi.Input<string>;
}

/**
 * auth_user and user_transaction → Redshift tables the connector creates (`auto.create`). The connector
 * signs in with temporary credentials of its user, which the provider integration's role gets from
 * Redshift (https://docs.confluent.io/cloud/current/connectors/cc-amazon-redshift-sink.html: password or
 * IAM role-based authentication via a provider integration), so no database password exists anywhere.
 * Only a real run confirms the two keys of that mode: `authentication.method` = "IAM Roles" (the value
 * Confluent's S3 sink takes with a provider integration) and `provider.integration.id`.
 */
export function redshiftSinkConfig(input: RedshiftSinkInput): SinkConfig<pulumi.Input<string>> {
  return checkedConnectorConfig(input.name, {
    nonsensitive: {
      "connector.class": "RedshiftSink",
      ...common(input, input.topics),
      "authentication.method": "IAM Roles",
      "provider.integration.id": input.providerIntegrationId,
      "aws.redshift.domain": input.host,
      "aws.redshift.port": String(input.port),
      "aws.redshift.database": input.database,
      "aws.redshift.user": input.user,
      "auto.create": "true",
      // Schema changes are not applied silently; a record that no longer fits goes to the DLQ.
      "auto.evolve": "false",
      "db.timezone": "UTC",
    },
    sensitive: {},
  });
}

export interface SnowflakeSinkInput extends CommonSinkInput {
  readonly topic: string;
  readonly url: string;
  readonly user: string;
  readonly database: string;
  readonly schema: string;
  readonly role: string;
  /** Base64 body of the unencrypted PKCS#8 key. */
  readonly privateKey: pulumi.Input<string>;
}

/** flagged_user → a Snowflake table through Snowpipe Streaming, key-pair authentication. */
export function snowflakeSinkConfig(input: SnowflakeSinkInput): SinkConfig {
  return checkedConnectorConfig(input.name, {
    nonsensitive: {
      "connector.class": "SnowflakeSink",
      ...common(input, [input.topic]),
      "input.key.format": "AVRO",
      "snowflake.url.name": input.url,
      "snowflake.user.name": input.user,
      "snowflake.database.name": input.database,
      "snowflake.schema.name": input.schema,
      "snowflake.role.name": input.role,
      "snowflake.ingestion.method": "SNOWPIPE_STREAMING",
      "snowflake.topic2table.map": `${input.topic}:${input.topic.toUpperCase()}`,
    },
    sensitive: { "snowflake.private.key": input.privateKey },
  });
}
