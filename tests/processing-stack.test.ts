import { OPENSEARCH_PASSWORD_RULES } from "../lib/opensearch-policy";
import assert from "node:assert/strict";
import { before, test } from "node:test";
import { processingContract } from "../lib/contracts";
import { MOCK_CONNECT_EGRESS } from "../tools/offline/fixtures";
import type { StackRun } from "../tools/offline/run-stack";
import { StackRunError } from "../tools/offline/run-stack";
import { SECRET_CONFIG_KEY } from "../lib/connector-config";
import { SECRET_UID_ANNOTATION } from "../lib/in-cluster-job";
import { spreadCidrs } from "../lib/security-group-quota";
import { T } from "./helpers/processing";
import type { K8sModels } from "./helpers/k8s-objects";
import { loadK8sModels } from "./helpers/k8s-objects";
import { ofType, one } from "./helpers/resources";
import {
  SYNTHETIC_FLINK_SECRET,
  SYNTHETIC_OPENSEARCH_PASSWORD,
  SYNTHETIC_REDSHIFT_PASSWORD,
  syntheticAwsResources as awsUp,
  syntheticConnector as ccUp,
} from "./helpers/synthetic-upstream";
import { runStackUnderTest, sharedStackRun } from "./helpers/stack-under-test";

let run: StackRun;
let k8sModels: K8sModels;
before(async () => {
  run = await sharedStackRun("processing");
  k8sModels = await loadK8sModels();
});

const config = (name: string) =>
  one(run, T.connector, name).inputs.configNonsensitive as Record<string, string>;
/** The OpenSearch sink user's password, as stored in its Secrets Manager secret. */
const storedPassword = (r: StackRun) =>
  (
    JSON.parse(String(one(r, T.secretVersion, "sink-credentials-opensearch").inputs.secretString)) as {
      password: string;
    }
  ).password;

test("the OpenSearch sink: exact config as its own user, password only in configSensitive (a secret)", () => {
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
    "connection.user": "fraud-sink",
    "indexes.num": "1",
    "index1.name": "flagged_user",
    "index1.topic": "flagged_user",
    "index1.write.method": "UPSERT",
    "index1.behavior.on.null.values": "DELETE",
  });
  const password = storedPassword(run);
  assert.notEqual(password, SYNTHETIC_OPENSEARCH_PASSWORD, "never the master password");
  assert.deepEqual(sink.inputs.configSensitive, { "connection.password": password });
  assert.ok(sink.secretInputPaths.some((p) => p.startsWith("configSensitive")));
});

test("the Redshift sink logs in as its own user with IAM credentials through its own integration: no password anywhere", () => {
  const sink = one(run, T.connector, "sinks-redshift");
  one(run, T.integration, "sink-credentials-redshift-integration");
  assert.equal(ofType(run, T.integration).length, 1, "its own: the alerts are off here");
  const integrationId = config("sinks-redshift")["provider.integration.id"];
  assert.match(integrationId ?? "", /^cspi-/);
  assert.deepEqual(config("sinks-redshift"), {
    "connector.class": "RedshiftSink",
    name: "fd-dev-a1b2-redshift-sink",
    "kafka.auth.mode": "SERVICE_ACCOUNT",
    "kafka.service.account.id": ccUp.sinkServiceAccountId,
    topics: "auth_user,user_transaction",
    "input.data.format": "AVRO",
    "errors.tolerance": "all",
    "tasks.max": "1",
    "authentication.method": "IAM Roles",
    "provider.integration.id": integrationId,
    "aws.redshift.domain": awsUp.redshiftHost,
    "aws.redshift.port": "5439",
    "aws.redshift.database": awsUp.redshiftDatabase,
    "aws.redshift.user": "fraud_sink",
    "auto.create": "true",
    "auto.evolve": "false",
    "db.timezone": "UTC",
  });
  assert.deepEqual(sink.inputs.configSensitive, {});
  assert.deepEqual(
    run.resources.filter(
      (r) => r.name.startsWith("sink-credentials-redshift") && /random|secret/i.test(r.type),
    ),
    [],
    "no Redshift password is generated or stored",
  );
  assert.ok(
    sink.dependencyUrns.includes(one(run, T.rolePolicy, "sink-credentials-redshift-credentials").urn),
  );
});

test("Confluent's Redshift role: trusts only the integration, gets credentials only for fraud_sink in the one database", () => {
  const integration = one(run, T.integration, "sink-credentials-redshift-integration");
  const role = one(run, T.role, "sink-credentials-redshift-confluent-role");
  assert.equal(
    (integration.inputs.aws as { customerRoleArn: string }).customerRoleArn,
    `arn:aws:iam::123456789012:role/${String(role.inputs.name)}`,
  );
  const trust = JSON.parse(String(role.inputs.assumeRolePolicy)) as { Statement: Record<string, unknown>[] };
  assert.match(JSON.stringify(trust.Statement[0]?.Condition), /"sts:ExternalId"/);
  const policy = JSON.parse(
    String(one(run, T.rolePolicy, "sink-credentials-redshift-credentials").inputs.policy),
  ) as { Statement: unknown[] };
  const arn = (resource: string) => `arn:aws:redshift:us-east-1:123456789012:${resource}`;
  assert.deepEqual(policy.Statement, [
    {
      Effect: "Allow",
      Action: "redshift:GetClusterCredentials",
      Resource: [
        arn(`dbuser:${awsUp.redshiftClusterIdentifier}/fraud_sink`),
        arn(`dbname:${awsUp.redshiftClusterIdentifier}/${awsUp.redshiftDatabase}`),
      ],
    },
    {
      Effect: "Allow",
      Action: "redshift:DescribeClusters",
      Resource: arn(`cluster:${awsUp.redshiftClusterIdentifier}`),
    },
  ]);
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

test("Redshift ingress: one rule per Confluent egress CIDR, tcp 5439, in the upstream connector ingress groups only", () => {
  const rules = ofType(run, T.ingress);
  assert.deepEqual(rules.map((r) => r.inputs.cidrIpv4).sort(), [...MOCK_CONNECT_EGRESS].sort());
  for (const r of rules) {
    const groups = spreadCidrs(
      "x",
      MOCK_CONNECT_EGRESS,
      awsUp.redshiftIngressSecurityGroupIds as string[],
      60,
    );
    const group = groups.find((g) => g.cidrs.includes(String(r.inputs.cidrIpv4)));
    assert.equal(
      r.inputs.securityGroupId,
      group?.securityGroupId,
      `${r.name} in the group spreadCidrs picks`,
    );
    assert.equal(r.inputs.ipProtocol, "tcp");
    assert.equal(r.inputs.fromPort, 5439);
    assert.equal(r.inputs.toPort, 5439);
    assert.match(r.providerRef, /pulumi:providers:aws::aws::/, "explicit provider in the upstream region");
  }
});

test("the OpenSearch domain policy keeps allowedCidrs and the NAT addresses and adds the egress CIDRs, nothing else", () => {
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
    IpAddress: {
      "aws:SourceIp": [
        ...(awsUp.allowedCidrs as string[]),
        ...(awsUp.natPublicIps as string[]),
        ...MOCK_CONNECT_EGRESS,
      ].sort(),
    },
  });
  assert.match(policy.providerRef, /pulumi:providers:aws::aws::/);
});

test("order: domain policy → OpenSearch Job → OpenSearch sink; egress rules and sink user → Redshift sink", () => {
  const policy = one(run, T.domainPolicy, "opensearch-policy");
  const job = one(run, T.job, "opensearch-setup-job-job");
  const osSink = one(run, T.connector, "sinks-opensearch");
  const rsSink = one(run, T.connector, "sinks-redshift");
  const table = one(run, T.statement, "fraud-rules-table");
  assert.ok(job.dependencyUrns.includes(policy.urn), "the Job waits for the policy that admits the NAT");
  assert.ok(
    osSink.dependencyUrns.includes(job.urn),
    "the sink waits for the template, dashboards and its user",
  );
  assert.ok(osSink.dependencyUrns.includes(table.urn), "the sink waits for the flagged_user topic");
  for (const rule of ofType(run, T.ingress)) assert.ok(rsSink.dependencyUrns.includes(rule.urn));
  const call = one(run, T.redshiftStatement, "sink-credentials-redshift-user");
  assert.ok(rsSink.dependencyUrns.includes(call.urn), "the Redshift sink waits for its user");
});

test("the OpenSearch Job: valid Kubernetes objects, credentials only in its Secret, content bound to the index", () => {
  const job = one(run, T.job, "opensearch-setup-job-job");
  const configMap = one(run, T.configMap, "opensearch-setup-job-files");
  const secret = one(run, T.k8sSecret, "opensearch-setup-job-env");
  for (const r of [job, configMap, secret]) k8sModels.validateRecorded(r);
  const meta = (r: typeof job) => r.inputs.metadata as { name: string; namespace: string };
  for (const r of [job, configMap, secret]) {
    assert.equal(meta(r).namespace, awsUp.jobsNamespace, "the deploy Jobs' own namespace, not the web app's");
  }
  assert.equal(meta(configMap).name, meta(job).name);
  assert.match(meta(job).name, /^opensearch-setup-[0-9a-f]{10}$/);
  const data = configMap.inputs.data as Record<string, string>;
  const sinkPassword = storedPassword(run);
  for (const text of Object.values(data)) {
    assert.ok(!text.includes(SYNTHETIC_OPENSEARCH_PASSWORD) && !text.includes(sinkPassword));
  }
  const stringData = secret.inputs.stringData as Record<string, string>;
  const spec = JSON.parse(data["setup.json"] ?? "{}") as {
    templateName: string;
    sinkUser: string;
    sinkRoleBody: { index_permissions: { index_patterns: string[] }[] };
    auditConfig: { enabled: boolean };
  };
  assert.equal(spec.templateName, "flagged_user-template");
  assert.equal(spec.sinkUser, "fraud-sink");
  assert.deepEqual(spec.sinkRoleBody.index_permissions[0]?.index_patterns, ["flagged_user"]);
  assert.equal(spec.auditConfig.enabled, true, "the Job switches the domain's audit logging on");
  assert.deepEqual(Object.keys(data), ["main.js", "saved-objects.ndjson", "setup.json"]);
  assert.deepEqual(
    Object.keys(stringData),
    ["OPENSEARCH_PASSWORD", "SINK_PASSWORD"],
    "only the credentials are secret",
  );
  assert.equal(stringData.OPENSEARCH_PASSWORD, SYNTHETIC_OPENSEARCH_PASSWORD);
  assert.equal(stringData.SINK_PASSWORD, sinkPassword);
  assert.ok(secret.secretInputPaths.some((p) => p.startsWith("stringData")));
  const env = (
    job.inputs.spec as { template: { spec: { containers: { env: Record<string, unknown>[] }[] } } }
  ).template.spec.containers[0]?.env;
  assert.deepEqual(
    env?.map((e) => [e.name, e.value ?? "from secret"]),
    [
      ["OPENSEARCH_ENDPOINT", awsUp.opensearchEndpoint],
      ["OPENSEARCH_USER", awsUp.opensearchMasterUser],
      ["OPENSEARCH_PASSWORD", "from secret"],
      ["SINK_PASSWORD", "from secret"],
      ["JOB_SECRET_NAME", meta(secret).name],
      ["NODE_EXTRA_CA_CERTS", "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt"],
    ],
  );
});

test("the OpenSearch Job removes its Secret when done; the next up re-runs it only if the Secret was re-created", () => {
  const job = one(run, T.job, "opensearch-setup-job-job");
  const secret = one(run, T.k8sSecret, "opensearch-setup-job-env");
  const name = (job.inputs.metadata as { name: string }).name;
  const account = one(run, "kubernetes:core/v1:ServiceAccount", "opensearch-setup-job-account");
  const role = one(run, "kubernetes:rbac.authorization.k8s.io/v1:Role", "opensearch-setup-job-remover");
  const binding = one(
    run,
    "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
    "opensearch-setup-job-remover",
  );
  for (const r of [account, role, binding]) {
    k8sModels.validateRecorded(r);
    const { name: n, namespace } = r.inputs.metadata as { name: string; namespace: string };
    assert.deepEqual([n, namespace], [name, awsUp.jobsNamespace], r.name);
  }
  assert.deepEqual(role.inputs.rules, [
    { apiGroups: [""], resources: ["secrets"], resourceNames: [name], verbs: ["delete"] },
  ]);
  const spec = job.inputs.spec as {
    ttlSecondsAfterFinished: number;
    template: { spec: { serviceAccountName: string } };
  };
  assert.equal(spec.ttlSecondsAfterFinished, 86_400);
  assert.equal(spec.template.spec.serviceAccountName, name);
  assert.ok(
    job.dependencyUrns.includes(binding.urn),
    "the account may delete the Secret before the Job runs",
  );
  // Pulumi sees a Secret the Job deleted only on refresh, which drops it from the state: the next up
  // creates it again, with a new uid. The Job carries the uid it ran with and is replaced when it
  // changes, so it runs again and removes the new copy; while the uid stays, nothing re-runs.
  const annotations = (job.inputs.metadata as { annotations: Record<string, string> }).annotations;
  assert.match(annotations[SECRET_UID_ANNOTATION] ?? "", /^[0-9a-f]{8}-[0-9a-f]{4}-4/);
  assert.ok(job.propertyDependencyUrns.metadata?.includes(secret.urn), "the uid is the Secret's own");
  assert.deepEqual(job.replaceOnChanges, ["metadata.annotations"]);
});

test("the Redshift sink user: password disabled (IAM logins only), no credential in any statement, granted only the sink's tables", () => {
  const procedure = String(one(run, T.redshiftStatement, "sink-credentials-redshift-procedure").inputs.sql);
  const callStatement = one(run, T.redshiftStatement, "sink-credentials-redshift-user");
  assert.equal(String(callStatement.inputs.sql), "CALL fraud.ensure_sink_user('fraud_sink')");
  assert.deepEqual(callStatement.secretInputPaths, [], "nothing in it is a credential");
  assert.equal(callStatement.inputs.dbUser, awsUp.redshiftAdminUser);
  for (const statement of ofType(run, T.redshiftStatement)) {
    assert.doesNotMatch(String(statement.inputs.sql), /PASSWORD\s+'|PASSWORD '\s*\|\||md5/i, statement.name);
  }
  const grants = [...procedure.matchAll(/'((?:GRANT|ALTER TABLE|CREATE USER|ALTER USER)[^']*)'/g)].map(
    (m) => m[1],
  );
  assert.deepEqual(grants, [
    "ALTER USER ",
    "CREATE USER ",
    "GRANT USAGE, CREATE ON SCHEMA public TO ",
    "ALTER TABLE public.",
  ]);
  assert.equal(procedure.match(/\|\| ' PASSWORD DISABLE'/g)?.length, 2, "created and altered with DISABLE");
  assert.match(procedure, /tablename IN \('auth_user', 'user_transaction'\)/);
  assert.doesNotMatch(procedure, /GRANT ALL|SUPERUSER|CREATEUSER|CREATEDB|ON ALL TABLES|SCHEMA fraud/i);
  const schema = one(run, T.redshiftStatement, "redshift-views-schema");
  const proc = one(run, T.redshiftStatement, "sink-credentials-redshift-procedure");
  assert.ok(proc.dependencyUrns.includes(schema.urn) && callStatement.dependencyUrns.includes(proc.urn));
});

test("the Flink statements parse, run as the Flink account with Option #1 settings, the job after the table", () => {
  const statements = ofType(run, T.statement);
  assert.equal(statements.length, 2);
  for (const s of statements) {
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
  const changed = await runStackUnderTest("processing", { overrides: { maxWindowCount: 20 } });
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
  const adminRun = await runStackUnderTest("processing", {
    upstream: { connector: { accessMode: "environment-admin" } },
  });
  assert.deepEqual(ofType(adminRun, T.roleBinding), []);
  assert.equal(ofType(adminRun, T.statement).length, ofType(run, T.statement).length);
  assert.equal(ofType(adminRun, T.connector).length, ofType(run, T.connector).length);
});

test("Redshift views run through the Data API as the admin user, after the schema, views late-binding", () => {
  const statements = ofType(run, T.redshiftStatement).filter((s) => s.name.startsWith("redshift-views"));
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
  assert.deepEqual(
    run.secretOutputNames,
    ["dataPlaneConnectorSecrets"],
    "the connectors' passwords stay secret",
  );
  assert.deepEqual(
    run.outputs.dataPlaneConnectors,
    [],
    "public mode hands the data-plane stack no connector",
  );
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
  const on = await runStackUnderTest("processing", {
    overrides: {
      enableSnowflake: true,
      snowflakeUrl: "https://xy12345.snowflakecomputing.com",
      snowflakeUser: "FRAUD_SINK",
      snowflakeDatabase: "FRAUD",
      snowflakeSchema: "PUBLIC",
      snowflakeRole: "FRAUD_SINK_ROLE",
      snowflakePrivateKey: key,
      flaggedIndex: "fraud_flags",
    },
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
    runStackUnderTest("processing", { upstream: { connector: { region: "eu-west-1" } } }),
    (err: unknown) =>
      err instanceof StackRunError &&
      /connector stack is in eu-west-1 but aws-resources in us-east-1/.test(err.message) &&
      err.resources.length === 0,
  );
  await assert.rejects(
    runStackUnderTest("processing", {
      upstream: { "aws-resources": { redshiftSecurityGroupId: undefined } },
    }),
    (err: unknown) =>
      err instanceof StackRunError &&
      /output 'redshiftSecurityGroupId' is missing/.test(err.message) &&
      err.resources.length === 0,
  );
});

test("the OpenSearch sink's password follows the master password's rules, special character included", () => {
  const generator = one(
    run,
    "random:index/randomPassword:RandomPassword",
    "sink-credentials-opensearch-password",
  );
  const { length, minUpper, minLower, minNumeric, minSpecial, special, overrideSpecial } = generator.inputs;
  assert.deepEqual(
    { length, minUpper, minLower, minNumeric, minSpecial, special, overrideSpecial },
    { ...OPENSEARCH_PASSWORD_RULES },
  );
  const password = storedPassword(run);
  assert.ok(
    [...password].some((c) => OPENSEARCH_PASSWORD_RULES.overrideSpecial.includes(c)),
    password,
  );
});
