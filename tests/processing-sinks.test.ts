import assert from "node:assert/strict";
import { SECRET_CONFIG_KEY } from "../lib/connector-config";
import { test } from "node:test";
import type { SinkConfig } from "../stacks/processing/sinks/sink-configs";
import type { StackRun } from "../tools/offline/run-stack";
import { ofType } from "./helpers/resources";
import { runStackUnderTest, sharedStackRun } from "./helpers/stack-under-test";
import {
  opensearchSinkConfig,
  redshiftSinkConfig,
  snowflakeSinkConfig,
} from "../stacks/processing/sinks/sink-configs";

const common = { serviceAccountId: "sa-sink01", errorsTolerance: "all" as const };

const opensearch = opensearchSinkConfig({
  ...common,
  name: "fd-dev-a1b2-opensearch-sink",
  topic: "flagged_user",
  index: "flagged_user",
  endpoint: "search-fd.us-east-1.es.amazonaws.com",
  user: "admin",
  password: "OsPassword1!",
});
const redshift = redshiftSinkConfig({
  ...common,
  name: "fd-dev-a1b2-redshift-sink",
  topics: ["auth_user", "user_transaction"],
  host: "fd.cabc.us-east-1.redshift.amazonaws.com",
  port: 5439,
  database: "frauddetection",
  user: "fraud_sink",
  providerIntegrationId: "cspi-redshift1",
});
const snowflake = snowflakeSinkConfig({
  ...common,
  name: "fd-dev-a1b2-snowflake-sink",
  topic: "flagged_user",
  url: "https://xy12345.snowflakecomputing.com",
  user: "FRAUD_SINK",
  database: "FRAUD",
  schema: "PUBLIC",
  role: "FRAUD_SINK_ROLE",
  privateKey: "MIIEvQIBADANBg",
});

test("OpenSearch sink: flagged_user upserted into the index over HTTPS, basic auth, password sensitive", () => {
  assert.deepEqual(opensearch, {
    nonsensitive: {
      "connector.class": "OpenSearchSink",
      name: "fd-dev-a1b2-opensearch-sink",
      "kafka.auth.mode": "SERVICE_ACCOUNT",
      "kafka.service.account.id": "sa-sink01",
      topics: "flagged_user",
      "input.data.format": "AVRO",
      "input.key.format": "AVRO",
      "errors.tolerance": "all",
      "tasks.max": "1",
      "instance.url": "https://search-fd.us-east-1.es.amazonaws.com",
      "opensearch.ssl.enabled": "true",
      "auth.type": "BASIC",
      "connection.user": "admin",
      "indexes.num": "1",
      "index1.name": "flagged_user",
      "index1.topic": "flagged_user",
      "index1.write.method": "UPSERT",
      "index1.behavior.on.null.values": "DELETE",
    },
    sensitive: { "connection.password": "OsPassword1!" },
  });
});

test("Redshift sink: both source topics, auto-created tables, IAM credentials through the integration, no password", () => {
  assert.deepEqual(redshift, {
    nonsensitive: {
      "connector.class": "RedshiftSink",
      name: "fd-dev-a1b2-redshift-sink",
      "kafka.auth.mode": "SERVICE_ACCOUNT",
      "kafka.service.account.id": "sa-sink01",
      topics: "auth_user,user_transaction",
      "input.data.format": "AVRO",
      "errors.tolerance": "all",
      "tasks.max": "1",
      "authentication.method": "IAM Roles",
      "provider.integration.id": "cspi-redshift1",
      "aws.redshift.domain": "fd.cabc.us-east-1.redshift.amazonaws.com",
      "aws.redshift.port": "5439",
      "aws.redshift.database": "frauddetection",
      "aws.redshift.user": "fraud_sink",
      "auto.create": "true",
      "auto.evolve": "false",
      "db.timezone": "UTC",
    },
    sensitive: {},
  });
});

test("Snowflake sink: Snowpipe Streaming with a key pair, the key sensitive", () => {
  assert.deepEqual(snowflake.sensitive, { "snowflake.private.key": "MIIEvQIBADANBg" });
  assert.equal(snowflake.nonsensitive["connector.class"], "SnowflakeSink");
  assert.equal(snowflake.nonsensitive["snowflake.ingestion.method"], "SNOWPIPE_STREAMING");
  assert.equal(snowflake.nonsensitive["snowflake.role.name"], "FRAUD_SINK_ROLE");
  assert.equal(snowflake.nonsensitive["snowflake.topic2table.map"], "flagged_user:FLAGGED_USER");
  assert.equal(snowflake.nonsensitive["kafka.auth.mode"], "SERVICE_ACCOUNT");
});

test("no nonsensitive key of any sink looks like a credential, and no secret value is in one", () => {
  const all: [string, SinkConfig, string][] = [
    ["opensearch", opensearch, "OsPassword1!"],
    ["snowflake", snowflake, "MIIEvQIBADANBg"],
  ];
  for (const [label, config, secretValue] of all) {
    assert.deepEqual(
      Object.keys(config.nonsensitive).filter((k) => SECRET_CONFIG_KEY.test(k)),
      [],
      label,
    );
    assert.ok(!Object.values(config.nonsensitive).includes(secretValue), label);
    assert.ok(Object.keys(config.sensitive).length > 0, label);
    assert.ok(
      Object.keys(config.sensitive).every((k) => SECRET_CONFIG_KEY.test(k)),
      label,
    );
  }
  // The guard itself bites.
  assert.ok(SECRET_CONFIG_KEY.test("connection.password") && SECRET_CONFIG_KEY.test("kafka.api.secret"));
  assert.ok(
    SECRET_CONFIG_KEY.test("snowflake.private.key") && SECRET_CONFIG_KEY.test("aws.credentials.file"),
  );
});

test("errors.tolerance follows the config", () => {
  const strict = redshiftSinkConfig({
    serviceAccountId: "sa-1",
    errorsTolerance: "none",
    name: "n",
    topics: ["a"],
    host: "h",
    port: 5439,
    database: "d",
    user: "u",
    providerIntegrationId: "cspi-1",
  });
  assert.equal(strict.nonsensitive["errors.tolerance"], "none");
});

test("the sink secrets: encrypted with the deployment's key when it has one, a 7-day recovery window, unique names", async () => {
  const KEY = "arn:aws:kms:us-east-1:123456789012:key/0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d";
  const secretsOf = (run: StackRun) => ofType(run, "aws:secretsmanager/secret:Secret");
  const keyed = await runStackUnderTest("processing", { upstream: { "aws-resources": { kmsKeyArn: KEY } } });
  const plain = await sharedStackRun("processing");
  assert.ok(secretsOf(keyed).length > 0);
  for (const s of secretsOf(keyed)) {
    assert.equal(s.inputs.kmsKeyId, KEY, s.name);
    assert.equal(s.inputs.recoveryWindowInDays, 7, s.name);
    assert.equal(
      s.inputs.name,
      undefined,
      `${s.name}: a namePrefix, so a re-created secret never meets its deleted twin`,
    );
    assert.match(String(s.inputs.namePrefix), /^fd-dev-a1b2-[a-z]+-sink-user-$/);
  }
  for (const s of secretsOf(plain)) assert.equal(s.inputs.kmsKeyId, undefined, s.name);
});
