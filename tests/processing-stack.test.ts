import assert from "node:assert/strict";
import { before, test } from "node:test";
import { processingContract } from "../lib/contracts";
import { MOCK_CONNECT_EGRESS } from "../lib/offline/fixtures";
import type { StackRun } from "../lib/offline/run-stack";
import { StackRunError } from "../lib/offline/run-stack";
import { flinkSyntaxErrors } from "../lib/sql";
import { SECRET_CONFIG_KEY } from "../policy/rules/secret-patterns";
import { one, runProcessing, T } from "./helpers/processing";
import { ofType } from "./helpers/resources";
import {
  SYNTHETIC_FLINK_SECRET,
  SYNTHETIC_OPENSEARCH_PASSWORD,
  SYNTHETIC_REDSHIFT_PASSWORD,
  syntheticAwsResources as awsUp,
  syntheticConnector as ccUp,
} from "./helpers/synthetic-upstream";

let run: StackRun;
before(async () => {
  run = await runProcessing();
});

const config = (name: string) =>
  one(run, T.connector, name).inputs.configNonsensitive as Record<string, string>;

test("the OpenSearch sink: exact config, password only in configSensitive (a secret)", () => {
  const sink = one(run, T.connector, "sinks-opensearch");
  assert.deepEqual(sink.inputs.environment, { id: ccUp.environmentId });
  assert.deepEqual(sink.inputs.kafkaCluster, { id: ccUp.kafkaClusterId });
  assert.deepEqual(config("sinks-opensearch"), {
    "connector.class": "OpenSearchSink",
    name: "fd-dev-a1b2-opensearch-sink",
    "kafka.auth.mode": "SERVICE_ACCOUNT",
    "kafka.service.account.id": ccUp.sinkServiceAccountId,
    topics: "flagged_user",
    "input.data.format": "AVRO",
    "input.key.format": "AVRO",
    "errors.tolerance": "all",
    "tasks.max": "1",
    "instance.url": `https://${String(awsUp.opensearchEndpoint)}`,
    "opensearch.ssl.enabled": "true",
    "auth.type": "BASIC",
    "connection.user": awsUp.opensearchMasterUser,
    "indexes.num": "1",
    "index1.name": "flagged_user",
    "index1.topic": "flagged_user",
    "index1.write.method": "UPSERT",
    "index1.behavior.on.null.values": "DELETE",
  });
  assert.deepEqual(sink.inputs.configSensitive, { "connection.password": SYNTHETIC_OPENSEARCH_PASSWORD });
  assert.ok(sink.secretInputPaths.some((p) => p.startsWith("configSensitive")));
});

test("the Redshift sink: exact config for auth_user and user_transaction, password only in configSensitive", () => {
  const sink = one(run, T.connector, "sinks-redshift");
  assert.deepEqual(config("sinks-redshift"), {
    "connector.class": "RedshiftSink",
    name: "fd-dev-a1b2-redshift-sink",
    "kafka.auth.mode": "SERVICE_ACCOUNT",
    "kafka.service.account.id": ccUp.sinkServiceAccountId,
    topics: "auth_user,user_transaction",
    "input.data.format": "AVRO",
    "errors.tolerance": "all",
    "tasks.max": "1",
    "authentication.method": "Password",
    "aws.redshift.domain": awsUp.redshiftHost,
    "aws.redshift.port": "5439",
    "aws.redshift.database": awsUp.redshiftDatabase,
    "aws.redshift.user": awsUp.redshiftAdminUser,
    "auto.create": "true",
    "auto.evolve": "false",
    "db.timezone": "UTC",
  });
  assert.deepEqual(sink.inputs.configSensitive, { "aws.redshift.password": SYNTHETIC_REDSHIFT_PASSWORD });
  assert.ok(sink.secretInputPaths.some((p) => p.startsWith("configSensitive")));
});

test("no connector has a credential-looking key or a secret value in configNonsensitive", () => {
  const secrets = [SYNTHETIC_OPENSEARCH_PASSWORD, SYNTHETIC_REDSHIFT_PASSWORD, SYNTHETIC_FLINK_SECRET];
  for (const c of ofType(run, T.connector)) {
    const nonsensitive = c.inputs.configNonsensitive as Record<string, string>;
    assert.deepEqual(
      Object.keys(nonsensitive).filter((k) => SECRET_CONFIG_KEY.test(k)),
      [],
      c.name,
    );
    assert.ok(!Object.values(nonsensitive).some((v) => secrets.includes(v)), c.name);
  }
  assert.equal(ofType(run, T.connector).length, 2, "Snowflake is off by default");
});

test("Redshift ingress: one rule per Confluent egress CIDR, tcp 5439, on the upstream security group only", () => {
  const rules = ofType(run, T.ingress);
  assert.deepEqual(
    rules.map((r) => r.inputs.cidrIpv4),
    [...MOCK_CONNECT_EGRESS].sort(),
  );
  for (const r of rules) {
    assert.equal(r.inputs.securityGroupId, awsUp.redshiftSecurityGroupId);
    assert.equal(r.inputs.ipProtocol, "tcp");
    assert.equal(r.inputs.fromPort, 5439);
    assert.equal(r.inputs.toPort, 5439);
    assert.match(r.providerRef, /pulumi:providers:aws::aws::/, "explicit provider in the upstream region");
  }
});

test("the OpenSearch domain policy keeps allowedCidrs and adds the egress CIDRs, nothing else", () => {
  const policy = one(run, T.domainPolicy, "opensearch-policy");
  assert.equal(policy.inputs.domainName, awsUp.opensearchDomainName);
  const doc = JSON.parse(String(policy.inputs.accessPolicies)) as {
    Statement: { Effect: string; Principal: unknown; Action: string; Resource: string; Condition: unknown }[];
  };
  assert.equal(doc.Statement.length, 1);
  const [s] = doc.Statement;
  assert.equal(s?.Effect, "Allow");
  assert.equal(s?.Resource, `${String(awsUp.opensearchDomainArn)}/*`);
  assert.deepEqual(s?.Condition, {
    IpAddress: { "aws:SourceIp": [...(awsUp.allowedCidrs as string[]), ...MOCK_CONNECT_EGRESS].sort() },
  });
  assert.match(policy.providerRef, /pulumi:providers:aws::aws::/);
});

test("order: domain policy → dashboards import → OpenSearch sink; egress rules → Redshift sink", () => {
  const policy = one(run, T.domainPolicy, "opensearch-policy");
  const importer = one(run, T.dashboardImport, "fraud-dashboards-import");
  const osSink = one(run, T.connector, "sinks-opensearch");
  const rsSink = one(run, T.connector, "sinks-redshift");
  const table = one(run, T.statement, "fraud-rules-table");
  assert.ok(importer.dependencyUrns.includes(policy.urn), "the import waits for this stack's IP path");
  assert.ok(osSink.dependencyUrns.includes(importer.urn), "the sink waits for the template and dashboards");
  assert.ok(osSink.dependencyUrns.includes(table.urn), "the sink waits for the flagged_user topic");
  for (const rule of ofType(run, T.ingress)) assert.ok(rsSink.dependencyUrns.includes(rule.urn));
});

test("the dashboards import: the master password is a secret input and output; content bound to the index", () => {
  const importer = one(run, T.dashboardImport, "fraud-dashboards-import");
  assert.deepEqual(
    importer.secretInputPaths.filter((p) => p.startsWith("password")),
    ["password"],
  );
  assert.ok(importer.additionalSecretOutputs.includes("password"));
  assert.equal(importer.inputs.endpoint, awsUp.opensearchEndpoint);
  assert.equal(importer.inputs.username, awsUp.opensearchMasterUser);
  assert.equal(importer.inputs.templateName, "flagged_user-template");
  assert.deepEqual(
    (JSON.parse(String(importer.inputs.template)) as { index_patterns: string[] }).index_patterns,
    ["flagged_user"],
  );
  assert.ok(String(importer.inputs.__provider).length > 0, "the provider serialises");
});

test("the Flink statements parse, run as the Flink account with Option #1 settings, the job after the table", () => {
  const statements = ofType(run, T.statement);
  assert.equal(statements.length, 2);
  for (const s of statements) {
    assert.deepEqual(flinkSyntaxErrors(String(s.inputs.statement)), [], s.name);
    assert.deepEqual(s.inputs.organization, { id: ccUp.organizationId });
    assert.deepEqual(s.inputs.environment, { id: ccUp.environmentId });
    assert.deepEqual(s.inputs.computePool, { id: ccUp.flinkComputePoolId });
    assert.deepEqual(s.inputs.principal, { id: ccUp.flinkStatementServiceAccountId });
    assert.equal(s.inputs.restEndpoint, ccUp.flinkRestEndpoint);
    assert.deepEqual(s.inputs.credentials, { key: ccUp.flinkApiKey, secret: SYNTHETIC_FLINK_SECRET });
    assert.ok(
      s.secretInputPaths.some((p) => p.startsWith("credentials")),
      "the Flink secret stays secret",
    );
    assert.deepEqual(s.inputs.properties, {
      "sql.current-catalog": ccUp.environmentName,
      "sql.current-database": ccUp.kafkaClusterName,
      ...(s.name.endsWith("-job") ? { "sql.state-ttl": "60 min" } : {}),
    });
  }
  const table = one(run, T.statement, "fraud-rules-table");
  const job = one(run, T.statement, "fraud-rules-job");
  assert.ok(job.dependencyUrns.includes(table.urn));
  assert.match(String(table.inputs.statement), /^CREATE TABLE IF NOT EXISTS `flagged_user`/m);
  assert.match(String(job.inputs.statement), /^INSERT INTO `flagged_user`/m);
  assert.deepEqual(run.outputs.fraudStatementNames, [table.inputs.statementName, job.inputs.statementName]);
});

test("a threshold change replaces the rules job (new name), not the table", async () => {
  const changed = await runProcessing({ maxWindowCount: 20 });
  const names = (r: StackRun, n: string) => one(r, T.statement, n).inputs.statementName;
  assert.notEqual(names(changed, "fraud-rules-job"), names(run, "fraud-rules-job"));
  assert.equal(names(changed, "fraud-rules-table"), names(run, "fraud-rules-table"));
  assert.match(
    String(one(changed, T.statement, "fraud-rules-job").inputs.statement),
    /> 20 AS `too_many_count`/,
  );
});

test("role bindings for flagged_user: Flink may create and write it, the sink may read it", () => {
  const crn = `${String(ccUp.kafkaRbacCrn)}/kafka=${String(ccUp.kafkaClusterId)}/topic=flagged_user`;
  const subjects = `${String(ccUp.schemaRegistryCrn)}/subject=flagged_user-*`;
  const got = ofType(run, T.roleBinding)
    .map((b) => `${String(b.inputs.principal)} ${String(b.inputs.roleName)} ${String(b.inputs.crnPattern)}`)
    .sort();
  const flink = `User:${String(ccUp.flinkStatementServiceAccountId)}`;
  const sink = `User:${String(ccUp.sinkServiceAccountId)}`;
  assert.deepEqual(
    got,
    [
      `${flink} DeveloperManage ${crn}`,
      `${flink} DeveloperWrite ${crn}`,
      `${flink} DeveloperWrite ${subjects}`,
      `${flink} DeveloperRead ${subjects}`,
      `${sink} DeveloperRead ${crn}`,
      `${sink} DeveloperRead ${subjects}`,
    ].sort(),
  );
  const table = one(run, T.statement, "fraud-rules-table");
  for (const b of ofType(run, T.roleBinding).filter((x) => x.inputs.principal === flink)) {
    assert.ok(table.dependencyUrns.includes(b.urn), `table after ${b.name}`);
  }
});

test("environment-admin access mode upstream: no fine-grained role bindings, the sinks and rules still run", async () => {
  const adminRun = await runProcessing({}, { connector: { accessMode: "environment-admin" } });
  assert.deepEqual(ofType(adminRun, T.roleBinding), []);
  assert.equal(ofType(adminRun, T.statement).length, ofType(run, T.statement).length);
  assert.equal(ofType(adminRun, T.connector).length, ofType(run, T.connector).length);
});

test("Redshift views run through the Data API as the admin user, after the schema, views late-binding", () => {
  const statements = ofType(run, T.redshiftStatement);
  assert.equal(statements.length, 5);
  const schema = one(run, T.redshiftStatement, "redshift-views-schema");
  assert.equal(schema.inputs.sql, "CREATE SCHEMA IF NOT EXISTS fraud");
  for (const s of statements) {
    assert.equal(s.inputs.clusterIdentifier, awsUp.redshiftClusterIdentifier);
    assert.equal(s.inputs.database, awsUp.redshiftDatabase);
    assert.equal(s.inputs.dbUser, awsUp.redshiftAdminUser);
    assert.equal(s.inputs.secretArn, undefined);
    if (s === schema) continue;
    assert.ok(s.dependencyUrns.includes(schema.urn), s.name);
    assert.match(String(s.inputs.sql), /^CREATE OR REPLACE VIEW fraud\.\w+ AS/m);
    assert.match(String(s.inputs.sql), /WITH NO SCHEMA BINDING$/);
  }
  assert.match(
    String(one(run, T.redshiftStatement, "flagged-transactions").inputs.sql),
    /ip_address IN \('1\.1\.1\.1', /,
  );
});

test("the outputs satisfy the processing contract", () => {
  assert.deepEqual(Object.keys(run.outputs).sort(), Object.keys(processingContract).sort());
  for (const [key, field] of Object.entries(processingContract)) {
    assert.ok(
      field.schema.safeParse(run.outputs[key]).success,
      `${key}: ${JSON.stringify(run.outputs[key])}`,
    );
  }
  assert.deepEqual(run.secretOutputNames, []);
  assert.deepEqual(run.outputs.sinkConnectorNames, [
    "fd-dev-a1b2-opensearch-sink",
    "fd-dev-a1b2-redshift-sink",
  ]);
  assert.equal(
    run.outputs.dashboardsUrl,
    "https://search-fd-dev-a1b2-abc.us-east-1.es.amazonaws.com/_dashboards/app/dashboards#/view/fraud-detection-dashboard",
  );
});

test("Snowflake on: a third sink for flagged_user, the key only in configSensitive", async () => {
  const key = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7" + "B".repeat(64);
  const on = await runProcessing({
    enableSnowflake: true,
    snowflakeUrl: "https://xy12345.snowflakecomputing.com",
    snowflakeUser: "FRAUD_SINK",
    snowflakeDatabase: "FRAUD",
    snowflakeSchema: "PUBLIC",
    snowflakeRole: "FRAUD_SINK_ROLE",
    snowflakePrivateKey: key,
    flaggedIndex: "fraud_flags",
  });
  const sink = one(on, T.connector, "sinks-snowflake");
  const nonsensitive = sink.inputs.configNonsensitive as Record<string, string>;
  assert.equal(nonsensitive.topics, "flagged_user");
  assert.ok(!Object.values(nonsensitive).includes(key));
  assert.deepEqual(sink.inputs.configSensitive, { "snowflake.private.key": key });
  assert.ok(sink.secretInputPaths.some((p) => p.startsWith("configSensitive")));
  assert.ok(sink.dependencyUrns.includes(one(on, T.statement, "fraud-rules-table").urn));
  assert.equal(on.outputs.sinkConnectorNames instanceof Array && on.outputs.sinkConnectorNames.length, 3);
  assert.equal(
    (one(on, T.connector, "sinks-opensearch").inputs.configNonsensitive as Record<string, string>)[
      "index1.name"
    ],
    "fraud_flags",
  );
  assert.equal(on.outputs.opensearchIndex, "fraud_flags");
});

test("upstream problems stop the program before any resource: region mismatch, missing output", async () => {
  await assert.rejects(
    runProcessing({}, { connector: { region: "eu-west-1" } }),
    (err: unknown) =>
      err instanceof StackRunError &&
      /connector stack is in eu-west-1 but aws-resources in us-east-1/.test(err.message) &&
      err.resources.length === 0,
  );
  await assert.rejects(
    runProcessing({}, { aws: { redshiftSecurityGroupId: undefined } }),
    (err: unknown) =>
      err instanceof StackRunError &&
      /output 'redshiftSecurityGroupId' is missing/.test(err.message) &&
      err.resources.length === 0,
  );
});

test("the serialised DashboardImport provider writes the template and objects, and deletes them all", async () => {
  const importer = one(run, T.dashboardImport, "fraud-dashboards-import");
  const source = String(importer.inputs.__provider);
  assert.ok(!source.includes(SYNTHETIC_OPENSEARCH_PASSWORD), "no secret captured in the provider's code");
  // Load the provider exactly as Pulumi's dynamic provider host would: a CommonJS module text.
  const mod = { exports: {} as { handler?: () => Record<string, (...a: unknown[]) => Promise<unknown>> } };
  new Function("exports", "module", "require", source)(mod.exports, mod, require);
  const provider = mod.exports.handler?.();
  assert.ok(provider);

  const calls: string[] = [];
  const realFetch = globalThis.fetch;
  globalThis.fetch = ((url: string, init: { method: string; headers: Record<string, string> }) => {
    calls.push(`${init.method} ${url.replace(`https://${String(awsUp.opensearchEndpoint)}`, "")}`);
    assert.equal(init.headers.authorization, `Basic ${btoa(`admin:${SYNTHETIC_OPENSEARCH_PASSWORD}`)}`);
    const body = url.includes("_import") ? JSON.stringify({ success: true, successResults: [] }) : "{}";
    return Promise.resolve(new Response(body, { status: 200 }));
  }) as typeof fetch;
  try {
    const inputs = { ...importer.inputs };
    delete inputs.__provider;
    const created = (await provider.create?.(inputs)) as { id: string };
    assert.equal(created.id, `${String(awsUp.opensearchEndpoint)}/flagged_user-template`);
    await provider.delete?.(created.id, inputs);
  } finally {
    globalThis.fetch = realFetch;
  }
  const objects = (importer.inputs.objects as { type: string; id: string }[]).map(
    (o) => `DELETE /_dashboards/api/saved_objects/${o.type}/${o.id}`,
  );
  assert.deepEqual(calls, [
    "PUT /_index_template/flagged_user-template",
    "POST /_dashboards/api/saved_objects/_import?overwrite=true",
    ...objects,
    "DELETE /_index_template/flagged_user-template",
  ]);
});

test("the serialised DashboardImport provider fails with OpenSearch's answer in the message (401 names the user)", async () => {
  const importer = one(run, T.dashboardImport, "fraud-dashboards-import");
  const mod = { exports: {} as { handler?: () => Record<string, (...a: unknown[]) => Promise<unknown>> } };
  new Function("exports", "module", "require", String(importer.inputs.__provider))(mod.exports, mod, require);
  const provider = mod.exports.handler?.();
  assert.ok(provider);
  const realFetch = globalThis.fetch;
  globalThis.fetch = (() =>
    Promise.resolve(new Response('{"error":"unauthorized"}', { status: 401 }))) as typeof fetch;
  try {
    const inputs = { ...importer.inputs };
    delete inputs.__provider;
    // Pulumi's dynamic-provider host reports `err.message` to the deployer.
    await assert.rejects(provider.create?.(inputs) ?? Promise.resolve(), (err: unknown) => {
      assert.ok(err instanceof Error, `a real Error, got ${String(err)}`);
      assert.equal(err.name, "OpenSearchApiError");
      assert.match(err.message, /401 Unauthorized — OpenSearch rejected the credentials of user "admin"/);
      assert.equal((err as { status?: number }).status, 401);
      assert.ok(!err.message.includes(SYNTHETIC_OPENSEARCH_PASSWORD));
      return true;
    });
  } finally {
    globalThis.fetch = realFetch;
  }
});
