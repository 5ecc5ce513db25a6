import { dump } from "js-yaml";

/**
 * The Amazon OpenSearch Ingestion pipeline that replaces the OpenSearch sink connector in private mode
 * (Confluent: "OpenSearch | If private connectivity is required, use OpenSearch Ingestion",
 * https://docs.confluent.io/cloud/current/connectors/internet-resources.html). Pure: the body is
 * rendered here and tested against the sink it replaces. Keys follow Data Prepper's Kafka source and
 * OpenSearch sink (https://docs.opensearch.org/latest/data-prepper/pipelines/configuration/sources/kafka/,
 * https://docs.opensearch.org/latest/data-prepper/pipelines/configuration/sinks/opensearch/) and
 * AWS's Confluent Cloud guide
 * (https://docs.aws.amazon.com/opensearch-service/latest/developerguide/configure-client-confluent-kafka.html).
 */

/** The keys of the pipeline's secret: the Kafka API key and the Schema Registry API key. */
export const PIPELINE_SECRET_KEYS = ["username", "password", "registry_key", "registry_secret"] as const;

export interface PipelineInput {
  readonly pipelineName: string;
  /** The cluster's bootstrap endpoint (a `SASL_SSL://` scheme is dropped). */
  readonly bootstrap: string;
  readonly topic: string;
  readonly groupId: string;
  readonly registryUrl: string;
  /** Name and ARN of the Secrets Manager secret holding PIPELINE_SECRET_KEYS. */
  readonly secret: { readonly name: string; readonly arn: string };
  readonly region: string;
  readonly roleArn: string;
  /** The domain's endpoint host, without scheme. */
  readonly domainEndpoint: string;
  readonly index: string;
  /** The table's primary key column, whose value becomes the document id. */
  readonly documentIdColumn: string;
}

/** `${{aws_secrets:<secret>:<key>}}`, how a pipeline reads one key of a secret. */
const secretRef = (secret: string, key: (typeof PIPELINE_SECRET_KEYS)[number]) =>
  `\${{aws_secrets:${secret}:${key}}}`;

/**
 * The pipeline body. One document per account, as the sink wrote it: the document id is the account id
 * (the upsert table's key, which the value carries too), `index` replaces the whole document each time
 * the account is flagged again, and the record key itself is not stored (the sink used it as the id only).
 */
export function renderPipelineBody(p: PipelineInput): string {
  const aws = { region: p.region, sts_role_arn: p.roleArn };
  const body = {
    version: "2",
    [p.pipelineName]: {
      source: {
        kafka: {
          bootstrap_servers: [p.bootstrap.replace(/^[A-Z_]+:\/\//, "")],
          topics: [
            { name: p.topic, group_id: p.groupId, key_mode: "discard", auto_offset_reset: "earliest" },
          ],
          encryption: { type: "ssl" },
          authentication: {
            sasl: {
              plain: {
                username: secretRef(p.secret.name, "username"),
                password: secretRef(p.secret.name, "password"),
              },
            },
          },
          schema: {
            type: "confluent",
            registry_url: p.registryUrl,
            api_key: secretRef(p.secret.name, "registry_key"),
            api_secret: secretRef(p.secret.name, "registry_secret"),
            basic_auth_credentials_source: "USER_INFO",
          },
          aws,
        },
      },
      sink: [
        {
          opensearch: {
            hosts: [`https://${p.domainEndpoint}`],
            index: p.index,
            index_type: "custom",
            document_id: `\${/${p.documentIdColumn}}`,
            action: "index",
            aws,
          },
        },
      ],
    },
    extension: {
      aws: {
        secrets: { [p.secret.name]: { secret_id: p.secret.arn, region: p.region, sts_role_arn: p.roleArn } },
      },
    },
  };
  return dump(body, { lineWidth: -1, noRefs: true });
}

/** A pipeline name: 3–28 lowercase letters, digits and hyphens, starting with a letter. */
export function pipelineName(namePrefix: string): string {
  const name = `${namePrefix.slice(0, 24).replace(/-+$/, "")}-osi`;
  if (!/^[a-z][a-z0-9-]{2,27}$/.test(name)) {
    throw new Error(
      `the OpenSearch Ingestion pipeline name ${JSON.stringify(name)} is not 3-28 lowercase characters`,
    );
  }
  return name;
}

/** The pipeline's trust and rights: its one secret, and writing the one domain. */
export function pipelineRolePolicies(p: { accountId: string; secretArn: string; domainArn: string }) {
  return {
    trust: JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: "osis-pipelines.amazonaws.com" },
          Action: "sts:AssumeRole",
          Condition: { StringEquals: { "aws:SourceAccount": p.accountId } },
        },
      ],
    }),
    policy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "ReadKafkaCredentials",
          Effect: "Allow",
          Action: "secretsmanager:GetSecretValue",
          Resource: p.secretArn,
        },
        { Sid: "DescribeDomain", Effect: "Allow", Action: "es:DescribeDomain", Resource: p.domainArn },
        { Sid: "WriteDomain", Effect: "Allow", Action: "es:ESHttp*", Resource: `${p.domainArn}/*` },
      ],
    }),
  };
}

/** The one primary-key column of a CREATE TABLE statement: the key the sink used as the document id. */
export function primaryKeyColumn(createTableSql: string): string {
  const match = /PRIMARY KEY\s*\(\s*`?([A-Za-z_][A-Za-z0-9_]*)`?\s*\)/i.exec(createTableSql);
  if (!match?.[1]) throw new Error("the flagged accounts' table must have a one-column PRIMARY KEY");
  return match[1];
}
