import * as aws from "@pulumi/aws";
import * as confluentcloud from "@pulumi/confluentcloud";
import * as pulumi from "@pulumi/pulumi";
import { emailSubscriptions } from "../../../lib/email-subscriptions";
import type { FlinkStatementSpec, FlinkTarget } from "../../../lib/flink";
import type { ScopeCrns } from "../../../lib/role-bindings";
import { flinkTableAndJob } from "../flink-table-job";
import { alertsSinkGrants, bindStackGrants } from "../grants";
import { confluentRole } from "../confluent-role";
import { confluentInvokePolicy, functionPolicy, lambdaTrustPolicy, topicPolicy } from "./iam-policies";
import { lambdaSinkConfig } from "./lambda-sink";
import type { RenderedAlerts } from "./render";
import type { SinkConfig } from "../sinks/sink-configs";

/**
 * Fraud alerts, present only when `processing:alertEmails` is set: the Flink alerts table and job,
 * the Lambda Sink connector reading it as its own service account, the provider integration and the
 * role Confluent assumes to invoke the function, the function (bundled from the repo), its log
 * group and role, and the SNS topic with one email subscription per address.
 */

export interface FraudAlertsArgs extends RenderedAlerts {
  readonly region: string;
  readonly emails: readonly string[];
  /** The aws-resources stack's capacity-alarm topic: the same addresses get those alarms too. */
  readonly capacityAlarmTopicArn: string;
  readonly dashboardUrl: string;
  /**
   * The deployment's customer-managed KMS key (aws-resources `kmsKeyArn`) for the topic and the function's
   * log group; empty = the AWS-managed `alias/aws/sns` key and no key on the group.
   */
  readonly kmsKeyArn: string;
  /** How long the function's log group keeps its events (aws-resources `logRetentionDays`). */
  readonly logRetentionDays: number;
  readonly flink: FlinkTarget & { readonly principalId: string };
  readonly environmentId: string;
  readonly kafkaClusterId: string;
  /** Absent in environment-admin mode (see grants.ts): the connector then runs as `fallbackServiceAccountId`. */
  readonly crns?: ScopeCrns;
  readonly fallbackServiceAccountId: string;
  /** The upstream resources the alerts job reads (the rules' user table must exist). */
  readonly after: pulumi.Resource[];
  readonly awsProvider: aws.Provider;
  /**
   * Create the Flink statements and the Lambda Sink here (public mode), or leave them to the data-plane
   * stack, which creates the connector after the table it reads (private mode).
   */
  readonly register: boolean;
}

export class FraudAlerts extends pulumi.ComponentResource {
  readonly functionName: string;
  readonly topicArn: pulumi.Output<string>;
  /** The Lambda Sink (public mode). */
  readonly connector?: confluentcloud.Connector;
  /** The alerts table and job as data, keys `table` and `job`. */
  readonly specs: FlinkStatementSpec[];
  /** The Lambda Sink's configuration for the data-plane stack, when this stack does not register it (private mode). */
  readonly connectorConfig?: pulumi.Output<SinkConfig>;

  constructor(name: string, args: FraudAlertsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-infra:alerts:FraudAlerts", name, {}, opts);
    const names = args.names;
    const awsOpts = { parent: this, provider: args.awsProvider };
    const parent = { parent: this };

    // SNS → email, encrypted at rest with the customer-managed key when there is one.
    const kmsKeyArn = args.kmsKeyArn || undefined;
    const topic = new aws.sns.Topic(
      `${name}-topic`,
      { name: names.topicName, kmsMasterKeyId: kmsKeyArn ?? "alias/aws/sns" },
      awsOpts,
    );
    emailSubscriptions(name, topic.arn, args.emails, awsOpts);
    emailSubscriptions(`${name}-capacity`, args.capacityAlarmTopicArn, args.emails, awsOpts);

    // The function, its own log group (with retention) and a role limited to the two.
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      {
        name: `/aws/lambda/${names.functionName}`,
        retentionInDays: args.logRetentionDays,
        kmsKeyId: kmsKeyArn,
      },
      awsOpts,
    );
    const functionRole = new aws.iam.Role(
      `${name}-function-role`,
      { name: names.functionRoleName, assumeRolePolicy: JSON.stringify(lambdaTrustPolicy()) },
      awsOpts,
    );
    new aws.sns.TopicPolicy(
      `${name}-topic-policy`,
      {
        arn: topic.arn,
        policy: pulumi.all([topic.arn, functionRole.arn]).apply(([t, r]) => topicPolicy(t, r)),
      },
      awsOpts,
    );
    const functionRolePolicy = new aws.iam.RolePolicy(
      `${name}-function-policy`,
      {
        role: functionRole.name,
        policy: pulumi
          .all([topic.arn, logGroup.arn])
          .apply(([topicArn, logArn]) => JSON.stringify(functionPolicy(topicArn, logArn, kmsKeyArn))),
      },
      awsOpts,
    );
    const fn = new aws.lambda.Function(
      `${name}-function`,
      {
        name: names.functionName,
        runtime: "nodejs24.x",
        handler: "index.handler",
        role: functionRole.arn,
        code: new pulumi.asset.AssetArchive({ "index.js": new pulumi.asset.StringAsset(args.functionCode) }),
        timeout: 60,
        memorySize: 128,
        loggingConfig: { logFormat: "Text", logGroup: logGroup.name },
        environment: { variables: { ALERT_TOPIC_ARN: topic.arn, DASHBOARD_URL: args.dashboardUrl } },
      },
      { ...awsOpts, dependsOn: [logGroup, functionRolePolicy] },
    );

    // Confluent's role: ARN fixed up front, trust from the integration's outputs (confluent-role.ts).
    const { integration, role: assumedRole } = confluentRole(
      name,
      {
        environmentId: args.environmentId,
        integrationName: names.integrationName,
        roleName: names.confluentRoleName,
        awsProvider: args.awsProvider,
      },
      this,
    );
    const invokePolicy = new aws.iam.RolePolicy(
      `${name}-confluent-invoke`,
      { role: assumedRole.name, policy: fn.arn.apply((arn) => JSON.stringify(confluentInvokePolicy(arn))) },
      awsOpts,
    );

    // Flink: the alerts table and its job, with the Flink account's rights on the new table.
    const { specs, statements } = flinkTableAndJob(
      name,
      {
        flink: args.flink,
        crns: args.crns,
        table: args.alertsTable,
        createTable: args.createTable,
        job: args.job,
        register: args.register,
        jobAfter: args.after,
      },
      this,
    );
    this.specs = specs;

    // The connector's own service account: read the alerts topic, its group, its report topics.
    const account = args.crns
      ? new confluentcloud.ServiceAccount(
          `${name}-sink-account`,
          {
            displayName: names.serviceAccountName,
            description: "Lambda Sink of the fraud alerts: reads the alerts topic only",
          },
          parent,
        )
      : undefined;
    const accountId = account ? account.id : pulumi.output(args.fallbackServiceAccountId);
    const sinkBindings = account
      ? bindStackGrants(
          name,
          alertsSinkGrants(args.alertsTable),
          { accountId: account.id, crns: args.crns, deployedAs: "alertsSink" },
          this,
        )
      : [];

    const config = pulumi
      .all([accountId, integration.id])
      .apply(([serviceAccountId, providerIntegrationId]) =>
        lambdaSinkConfig({
          name: names.connectorName,
          serviceAccountId,
          topic: args.alertsTable,
          functionName: names.functionName,
          region: args.region,
          providerIntegrationId,
        }),
      );
    if (!args.register) this.connectorConfig = config;
    this.connector = statements.table
      ? new confluentcloud.Connector(
          `${name}-connector`,
          {
            environment: { id: args.environmentId },
            kafkaCluster: { id: args.kafkaClusterId },
            configNonsensitive: config.apply((c) => c.nonsensitive),
            configSensitive: {},
          },
          { ...parent, dependsOn: [statements.table, fn, assumedRole, invokePolicy, ...sinkBindings] },
        )
      : undefined;

    this.functionName = names.functionName;
    this.topicArn = topic.arn;
    this.registerOutputs({
      functionName: this.functionName,
      topicArn: this.topicArn,
      jobName: args.job.name,
    });
  }
}
