import assert from "node:assert/strict";
import { test } from "node:test";
import { load } from "js-yaml";
import { renderCreateFlaggedUser } from "../stacks/processing/fraud-rules/sql";
import {
  pipelineName,
  pipelineRolePolicies,
  primaryKeyColumn,
  renderPipelineBody,
} from "../stacks/processing/sinks/opensearch-pipeline";
import { opensearchSinkConfig } from "../stacks/processing/sinks/sink-configs";

const TABLE = "flagged_user";
const INDEX = "flagged_user";
const SECRET = {
  name: "fd-prod-a1b2-osi-kafka",
  arn: "arn:aws:secretsmanager:us-east-1:1:secret:fd-prod-a1b2-osi-kafka-Ab",
};

const body = (documentIdColumn = primaryKeyColumn(renderCreateFlaggedUser({ flaggedTable: TABLE }))) =>
  load(
    renderPipelineBody({
      pipelineName: "fd-prod-a1b2-osi",
      bootstrap: "lkc-abc-ap-ingress0.us-east-1.aws.accesspoint.glb.confluent.cloud:9092",
      topic: TABLE,
      groupId: `fd-prod-a1b2-osi-${TABLE}`,
      registryUrl: "https://psrc-abc.us-east-1.aws.confluent.cloud",
      secret: SECRET,
      region: "us-east-1",
      roleArn: "arn:aws:iam::1:role/fd-prod-a1b2-osi-pipeline",
      domainEndpoint: "vpc-fd-prod-a1b2-xyz.us-east-1.es.amazonaws.com",
      index: INDEX,
      documentIdColumn,
    }),
  ) as Record<string, Record<string, unknown>>;

test("the pipeline writes what the OpenSearch sink wrote: the same index, one document per account id", () => {
  const sink = opensearchSinkConfig({
    name: "s",
    serviceAccountId: "sa",
    errorsTolerance: "all",
    topic: TABLE,
    index: INDEX,
    endpoint: "e",
    user: "u",
    password: "p",
  }).nonsensitive;
  const pipeline = body()["fd-prod-a1b2-osi"]!;
  const opensearch = (pipeline.sink as { opensearch: Record<string, unknown> }[])[0]!.opensearch;
  assert.equal(opensearch.index, sink["index1.name"]);
  // The sink keyed each document by the record key, the table's primary key; the pipeline by that column.
  assert.equal(sink["index1.write.method"], "UPSERT");
  assert.equal(opensearch.document_id, "${/account_id}");
  assert.equal(
    opensearch.action,
    "index",
    "the whole document replaced, as the sink's upsert of full rows did",
  );
  const kafka = (pipeline.source as { kafka: Record<string, unknown> }).kafka;
  assert.deepEqual((kafka.topics as Record<string, unknown>[])[0]!.name, sink["index1.topic"]);
  assert.equal(
    (kafka.topics as Record<string, unknown>[])[0]!.key_mode,
    "discard",
    "the key is the id, not a field",
  );
  assert.deepEqual(kafka.bootstrap_servers, [
    "lkc-abc-ap-ingress0.us-east-1.aws.accesspoint.glb.confluent.cloud:9092",
  ]);
});

test("a different primary key changes the document id: the id follows the table, not a constant", () => {
  const opensearch = (
    body("user_name")["fd-prod-a1b2-osi"]!.sink as { opensearch: Record<string, unknown> }[]
  )[0]!.opensearch;
  assert.equal(opensearch.document_id, "${/user_name}");
  assert.throws(() => primaryKeyColumn("CREATE TABLE t (a INT)"), /PRIMARY KEY/);
});

test("credentials only by Secrets Manager reference, SASL over TLS, Avro through the Schema Registry", () => {
  const doc = body();
  const text = JSON.stringify(doc);
  const kafka = (doc["fd-prod-a1b2-osi"]!.source as { kafka: Record<string, unknown> }).kafka;
  assert.deepEqual(kafka.encryption, { type: "ssl" });
  assert.deepEqual((kafka.authentication as Record<string, unknown>).sasl, {
    plain: {
      username: `\${{aws_secrets:${SECRET.name}:username}}`,
      password: `\${{aws_secrets:${SECRET.name}:password}}`,
    },
  });
  assert.equal((kafka.schema as Record<string, unknown>).type, "confluent");
  assert.deepEqual(
    (doc.extension as Record<string, Record<string, Record<string, unknown>>>).aws!.secrets![SECRET.name],
    {
      secret_id: SECRET.arn,
      region: "us-east-1",
      sts_role_arn: "arn:aws:iam::1:role/fd-prod-a1b2-osi-pipeline",
    },
  );
  assert.equal(doc.version, "2");
  assert.doesNotMatch(text, /SASL_SSL:\/\//);
});

test("pipeline names fit OpenSearch Ingestion's limit; the role reads its one secret and writes its one domain", () => {
  assert.equal(pipelineName("fd-prod-a1b2"), "fd-prod-a1b2-osi");
  assert.match(pipelineName("averyveryverylongprefix-prod-a1b2"), /^[a-z][a-z0-9-]{2,27}$/);
  const { trust, policy } = pipelineRolePolicies({
    accountId: "1",
    secretArn: SECRET.arn,
    domainArn: "arn:aws:es:us-east-1:1:domain/d",
  });
  assert.match(trust, /osis-pipelines\.amazonaws\.com/);
  const statements = (JSON.parse(policy) as { Statement: { Resource: string }[] }).Statement;
  assert.deepEqual(
    statements.map((s) => s.Resource),
    [SECRET.arn, "arn:aws:es:us-east-1:1:domain/d", "arn:aws:es:us-east-1:1:domain/d/*"],
  );
});
