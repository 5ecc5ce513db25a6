import assert from "node:assert/strict";
import { before, test } from "node:test";
import { processingContract } from "../lib/contracts";
import type { StackRun } from "../tools/offline/run-stack";
import { StackRunError } from "../tools/offline/run-stack";
import { bundleLambdaFunction } from "../lib/bundle";
import { functionPolicy, topicPolicy } from "../stacks/processing/alerts/iam-policies";
import { confluentTrustPolicy } from "../stacks/processing/confluent-role";
import { alertNames, ALERT_HANDLER } from "../stacks/processing/alerts/render";
import { T } from "./helpers/processing";
import { ofType, one } from "./helpers/resources";
import { syntheticConnector as ccUp } from "./helpers/synthetic-upstream";
import { runStackUnderTest, sharedStackRun } from "./helpers/stack-under-test";

// The optional alert path under mocks: everything exists with processing:alertEmails set, and
// nothing of it without.

const EMAILS = ["oncall@example.com", "fraud-team@example.org"];
const A = {
  topic: "aws:sns/topic:Topic",
  subscription: "aws:sns/topicSubscription:TopicSubscription",
  fn: "aws:lambda/function:Function",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
  integration: "confluentcloud:index/providerIntegration:ProviderIntegration",
  topicPolicy: "aws:sns/topicPolicy:TopicPolicy",
  account: "confluentcloud:index/serviceAccount:ServiceAccount",
} as const;

const KEY_ARN = "arn:aws:kms:us-east-1:123456789012:key/0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d";

let on: StackRun;
let off: StackRun;
let keyed: StackRun;
before(async () => {
  // One at a time: the mocked Pulumi runtime is process-wide.
  on = await runStackUnderTest("processing", { overrides: { alertEmails: EMAILS, alertQuietMinutes: 45 } });
  off = await sharedStackRun("processing");
  keyed = await runStackUnderTest("processing", {
    overrides: { alertEmails: EMAILS },
    upstream: { "aws-resources": { kmsKeyArn: KEY_ARN, logRetentionDays: 365 } },
  });
});

const policyOf = (r: { inputs: Record<string, unknown> }, key: string) =>
  JSON.parse(String(r.inputs[key])) as { Statement: Record<string, unknown>[] };

test("alerts off (the default): no alert resource exists and the outputs are empty strings", () => {
  for (const type of [...Object.values(A), T.statement, T.connector, T.roleBinding]) {
    const alertish = ofType(off, type).filter((r) => r.name.startsWith("fraud-alerts"));
    assert.deepEqual(alertish, [], type);
  }
  assert.equal(off.outputs.alertFunctionName, "");
  assert.equal(off.outputs.alertsTopic, "");
});

test("alerts on: the table, the job, the connector, the integration, the roles, the function and the topic with one subscription per address", () => {
  assert.match(
    String(one(on, T.statement, "fraud-alerts-table").inputs.statement),
    /^CREATE TABLE IF NOT EXISTS `fraud_alert`/,
  );
  const job = one(on, T.statement, "fraud-alerts-job");
  assert.match(String(job.inputs.statement), /^INSERT INTO `fraud_alert`/m);
  assert.match(String(job.inputs.statement), /\+ INTERVAL '45' MINUTE$/);
  assert.match(
    String(job.inputs.statement),
    /FROM `user_transaction` \/\*\+ OPTIONS\('scan\.startup\.mode' = 'latest-offset'\) \*\/ AS t/,
    "a new alerts job does not email the topic's history",
  );
  assert.doesNotMatch(String(one(on, T.statement, "fraud-rules-job").inputs.statement), /latest-offset/);
  assert.ok(job.dependencyUrns.includes(one(on, T.statement, "fraud-alerts-table").urn));
  one(on, A.integration, "fraud-alerts-integration");
  one(on, A.fn, "fraud-alerts-function");
  one(on, A.topic, "fraud-alerts-topic");
  const topicOf = (name: string) => (name.startsWith("fraud-alerts-capacity-") ? "capacity" : "alerts");
  assert.deepEqual(
    ofType(on, A.subscription)
      .map((s) => [topicOf(s.name), s.inputs.protocol, s.inputs.endpoint])
      .sort(),
    [...EMAILS.map((e) => ["alerts", "email", e]), ...EMAILS.map((e) => ["capacity", "email", e])].sort(),
  );
  assert.equal(ofType(on, A.role).filter((r) => r.name.startsWith("fraud-alerts")).length, 2);
  assert.equal(on.outputs.alertFunctionName, "fd-dev-a1b2-alert-notifier");
  assert.equal(on.outputs.alertsTopic, "fraud_alert");
  for (const [key, field] of Object.entries(processingContract)) {
    assert.ok(field.schema.safeParse(on.outputs[key]).success, `${key}: ${JSON.stringify(on.outputs[key])}`);
  }
});

test("the connector: LambdaSink, IAM-role auth through the integration, its own service account, nothing secret", () => {
  const connector = one(on, T.connector, "fraud-alerts-connector");
  const config = connector.inputs.configNonsensitive as Record<string, string>;
  const integration = one(on, A.integration, "fraud-alerts-integration");
  const account = one(on, A.account, "fraud-alerts-sink-account");
  assert.equal(config["connector.class"], "LambdaSink");
  assert.equal(config.topics, "fraud_alert");
  assert.equal(config["input.data.format"], "AVRO");
  assert.equal(config["aws.lambda.function.name"], "fd-dev-a1b2-alert-notifier");
  assert.equal(config["aws.lambda.region"], "us-east-1");
  assert.equal(config["authentication.method"], "IAM Roles");
  assert.match(config["provider.integration.id"] ?? "", /^cspi-/);
  assert.equal(config["kafka.auth.mode"], "SERVICE_ACCOUNT");
  assert.notEqual(config["kafka.service.account.id"], ccUp.sinkServiceAccountId, "its own account");
  assert.match(config["kafka.service.account.id"] ?? "", /^sa-/);
  assert.deepEqual(connector.inputs.configSensitive, {});
  assert.ok(!Object.keys(config).some((k) => /aws\.(access|secret)/.test(k)), "no access keys");
  assert.ok(connector.dependencyUrns.includes(one(on, A.role, "fraud-alerts-confluent-role").urn));
  assert.ok(integration.urn && account.urn);
});

test("the integration's role ARN is fixed up front; the role trusts only Confluent's role with the external ID", () => {
  const integration = one(on, A.integration, "fraud-alerts-integration");
  const role = one(on, A.role, "fraud-alerts-confluent-role");
  const arn = (integration.inputs.aws as { customerRoleArn: string }).customerRoleArn;
  assert.equal(arn, `arn:aws:iam::123456789012:role/${String(role.inputs.name)}`);
  const [trust] = policyOf(role, "assumeRolePolicy").Statement;
  assert.equal(trust?.Action, "sts:AssumeRole");
  assert.match(JSON.stringify(trust?.Principal), /confluent-integration-/);
  assert.match(JSON.stringify(trust?.Condition), /"sts:ExternalId":"00000000-0000-4000-8000-/);
});

test("least privilege: Confluent may only invoke the one function; the function may only publish to its topic and log", () => {
  const invoke = one(on, A.rolePolicy, "fraud-alerts-confluent-invoke");
  assert.deepEqual(policyOf(invoke, "policy").Statement, [
    {
      Effect: "Allow",
      Action: ["lambda:InvokeFunction", "lambda:GetFunction"],
      Resource: "arn:aws:lambda:us-east-1:123456789012:fraud-alerts-function",
    },
  ]);
  const fnPolicy = policyOf(one(on, A.rolePolicy, "fraud-alerts-function-policy"), "policy").Statement;
  assert.deepEqual(
    fnPolicy.map((s) => [s.Action, s.Resource]),
    [
      ["sns:Publish", "arn:aws:sns:us-east-1:123456789012:fraud-alerts-topic"],
      [
        ["logs:CreateLogStream", "logs:PutLogEvents"],
        "arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/fd-dev-a1b2-alert-notifier:*",
      ],
    ],
  );
  const logGroup = one(on, A.logGroup, "fraud-alerts-logs");
  assert.equal(logGroup.inputs.name, "/aws/lambda/fd-dev-a1b2-alert-notifier");
  assert.equal(one(on, A.topic, "fraud-alerts-topic").inputs.kmsMasterKeyId, "alias/aws/sns");
});

test("the deployment's key and retention: topic and log group use the kmsKeyArn and logRetentionDays outputs", () => {
  // Without a customer-managed key upstream: the AWS-managed SNS key, no key on the group, its retention.
  const plainGroup = one(on, A.logGroup, "fraud-alerts-logs");
  assert.equal(plainGroup.inputs.retentionInDays, 14);
  assert.equal(plainGroup.inputs.kmsKeyId, undefined);
  // With one: the same key everywhere, and the deployment's retention.
  assert.equal(one(keyed, A.topic, "fraud-alerts-topic").inputs.kmsMasterKeyId, KEY_ARN);
  const group = one(keyed, A.logGroup, "fraud-alerts-logs");
  assert.deepEqual([group.inputs.kmsKeyId, group.inputs.retentionInDays], [KEY_ARN, 365]);
  const fnPolicy = policyOf(one(keyed, A.rolePolicy, "fraud-alerts-function-policy"), "policy").Statement;
  assert.deepEqual(fnPolicy[2], {
    Effect: "Allow",
    Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
    Resource: KEY_ARN,
  });
});

test("the topic's own policy lets only the alert function publish", () => {
  const policy = policyOf(one(on, A.topicPolicy, "fraud-alerts-topic-policy"), "policy").Statement;
  const topic = "arn:aws:sns:us-east-1:123456789012:fraud-alerts-topic";
  const role = "arn:aws:iam::123456789012:role/fd-dev-a1b2-alert-notifier";
  assert.deepEqual(JSON.parse(topicPolicy(topic, role)).Statement, policy);
  assert.deepEqual(policy, [
    {
      Sid: "FunctionPublishes",
      Effect: "Allow",
      Principal: { AWS: role },
      Action: "sns:Publish",
      Resource: topic,
    },
    {
      Sid: "NobodyElsePublishes",
      Effect: "Deny",
      Principal: "*",
      Action: "sns:Publish",
      Resource: topic,
      Condition: { ArnNotEquals: { "aws:PrincipalArn": role } },
    },
  ]);
});

test("the connector's account may only read the alerts topic and subjects, its group, and write its report topics", () => {
  const kafka = `${String(ccUp.kafkaRbacCrn)}/kafka=${String(ccUp.kafkaClusterId)}`;
  const sinkBindings = ofType(on, T.roleBinding)
    .filter((b) => b.name.startsWith("fraud-alerts-alerts-sink-"))
    .map((b) => `${String(b.inputs.roleName)} ${String(b.inputs.crnPattern)}`)
    .sort();
  assert.deepEqual(
    sinkBindings,
    [
      `DeveloperRead ${kafka}/topic=fraud_alert`,
      `DeveloperRead ${kafka}/group=connect-lcc-*`,
      ...["dlq", "success", "error"].flatMap((t) => [
        `DeveloperWrite ${kafka}/topic=${t}-lcc-*`,
        `DeveloperManage ${kafka}/topic=${t}-lcc-*`,
      ]),
      `DeveloperRead ${String(ccUp.schemaRegistryCrn)}/subject=fraud_alert-*`,
    ].sort(),
  );
});

test("the function: the repo's handler bundled for the Node.js runtime, the AWS SDK left to the runtime", () => {
  const fn = one(on, A.fn, "fraud-alerts-function");
  assert.equal(fn.inputs.runtime, "nodejs24.x");
  assert.equal(fn.inputs.handler, "index.handler");
  const env = (fn.inputs.environment as { variables: Record<string, string> }).variables;
  assert.match(env.DASHBOARD_URL ?? "", /_dashboards\/app\/dashboards#\/view\//);
  assert.equal(env.ALERT_TOPIC_ARN, "arn:aws:sns:us-east-1:123456789012:fraud-alerts-topic");
  // The mocks record an archive's shape, not its assets: the bundle is checked on its own.
  assert.deepEqual(fn.inputs.code, { __pulumiArchive: true, assets: {} });
  const text = bundleLambdaFunction(ALERT_HANDLER);
  assert.match(text, /require\("@aws-sdk\/client-sns"\)/, "external, not bundled");
  assert.match(text, /exports, "handler"|handler: \(\) => handler/);
  assert.ok(text.length < 100_000, `small bundle (${text.length} bytes)`);
});

test("environment-admin upstream: the connector runs as the contract's sink account, no account or bindings created", async () => {
  const admin = await runStackUnderTest("processing", {
    overrides: { alertEmails: EMAILS },
    upstream: { connector: { accessMode: "environment-admin" } },
  });
  assert.deepEqual(ofType(admin, A.account), []);
  assert.deepEqual(ofType(admin, T.roleBinding), []);
  const config = one(admin, T.connector, "fraud-alerts-connector").inputs.configNonsensitive as Record<
    string,
    string
  >;
  assert.equal(config["kafka.service.account.id"], ccUp.sinkServiceAccountId);
});

test("bad alert config is refused before any resource, naming the key", async () => {
  for (const [override, pattern] of [
    [{ alertEmails: ["not-an-email"] }, /processing:alertEmails.*"not-an-email": must be one email address/s],
    [{ alertEmails: ["Ops <ops@example.com>"] }, /processing:alertEmails/],
    [{ alertEmails: ["a@example.com", "A@example.com"] }, /processing:alertEmails.*listed twice/s],
    [{ alertEmails: ["a@b.c,d@e.f"] }, /processing:alertEmails.*"a@b\.c,d@e\.f": must be one email address/s],
    [{ alertEmails: EMAILS, alertQuietMinutes: 0 }, /processing:alertQuietMinutes.*integer from 1 to 10080/s],
    [{ alertEmails: EMAILS, alertQuietMinutes: -5 }, /processing:alertQuietMinutes/],
  ] as const) {
    await assert.rejects(
      runStackUnderTest("processing", { overrides: override }),
      (err: unknown) =>
        err instanceof StackRunError && pattern.test(err.message) && err.resources.length === 0,
      JSON.stringify(override),
    );
  }
});

test("the plan's pieces refuse what would break at deploy: long names, an integration without external ID", () => {
  assert.throws(() => alertNames("x".repeat(60)), /longer than 64 characters/);
  assert.throws(
    () => confluentTrustPolicy({ iamRoleArn: "arn:aws:iam::1:role/r", externalId: "" }),
    /external ID/,
  );
  const withKey = functionPolicy("arn:t", "arn:l", "arn:aws:kms:us-east-1:1:key/k").Statement;
  assert.deepEqual(withKey[2], {
    Effect: "Allow",
    Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
    Resource: "arn:aws:kms:us-east-1:1:key/k",
  });
  assert.equal(functionPolicy("arn:t", "arn:l").Statement.length, 2, "no KMS grant with the AWS-managed key");
});
