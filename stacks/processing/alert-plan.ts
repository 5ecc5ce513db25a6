import type { SinkConfig } from "./sink-configs";

/**
 * Pure pieces of the alert path (Flink alerts topic → Lambda Sink connector → Lambda → SNS email):
 * physical names, the IAM documents and the connector's config. The FraudAlerts component
 * only wires them. Each document grants one action set on one resource.
 */

export interface AlertNames {
  readonly functionName: string;
  /** The role Confluent assumes; its name is fixed up front (see confluentRoleArn). */
  readonly confluentRoleName: string;
  readonly functionRoleName: string;
  readonly topicName: string;
  readonly connectorName: string;
  readonly integrationName: string;
  readonly serviceAccountName: string;
}

/** IAM role names: at most 64 characters. */
export function alertNames(namePrefix: string): AlertNames {
  const names = {
    functionName: `${namePrefix}-alert-notifier`,
    confluentRoleName: `${namePrefix}-alerts-confluent`,
    functionRoleName: `${namePrefix}-alert-notifier`,
    topicName: `${namePrefix}-fraud-alerts`,
    connectorName: `${namePrefix}-alerts-lambda-sink`,
    integrationName: `${namePrefix}-alerts-lambda`,
    serviceAccountName: `${namePrefix}-alerts-sink`,
  };
  for (const [key, value] of Object.entries(names)) {
    if (value.length > 64)
      throw new Error(`${key} ${value} is longer than 64 characters; shorten the name prefix`);
  }
  return names;
}

/**
 * The Confluent role's ARN, known before the role exists. This breaks the cycle between the two
 * resources the way Confluent's own example does (terraform-provider-confluent,
 * examples/configurations/connectors/s3-sink-connector-assume-role): the provider integration is
 * created with the ARN the role *will* have, then the role is created trusting the integration's
 * Confluent IAM role and external ID. No resource has to be updated after creation.
 */
export const confluentRoleArn = (partition: string, accountId: string, roleName: string): string =>
  `arn:${partition}:iam::${accountId}:role/${roleName}`;

type PolicyDocument = {
  readonly Version: "2012-10-17";
  readonly Statement: readonly Record<string, unknown>[];
};
const doc = (...Statement: Record<string, unknown>[]): PolicyDocument => ({
  Version: "2012-10-17",
  Statement,
});

/** Trust of the Confluent role: only the integration's Confluent role, only with its external ID. */
export function confluentTrustPolicy(integration: {
  iamRoleArn: string;
  externalId: string;
}): PolicyDocument {
  if (!integration.iamRoleArn.startsWith("arn:") || integration.externalId === "") {
    throw new Error("the provider integration did not return its Confluent IAM role ARN and external ID");
  }
  return doc({
    Effect: "Allow",
    Principal: { AWS: integration.iamRoleArn },
    Action: "sts:AssumeRole",
    Condition: { StringEquals: { "sts:ExternalId": integration.externalId } },
  });
}

/**
 * What the Confluent role may do: invoke the one function, and read its configuration, which the
 * connector's validation calls (GetFunction is in the permission lists published for Lambda sink
 * connectors; only a real run confirms Confluent's exact set).
 */
export const confluentInvokePolicy = (functionArn: string): PolicyDocument =>
  doc({ Effect: "Allow", Action: ["lambda:InvokeFunction", "lambda:GetFunction"], Resource: functionArn });

export const lambdaTrustPolicy = (): PolicyDocument =>
  doc({ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" });

/**
 * What the function may do: publish to its one topic and write to its own log group (created by the
 * stack, so no logs:CreateLogGroup). With a customer-managed topic key it also needs that key for
 * the envelope encryption SNS does on its behalf; the AWS-managed alias/aws/sns key allows every
 * principal of the account that calls through SNS by its own key policy.
 */
export function functionPolicy(topicArn: string, logGroupArn: string, kmsKeyArn?: string): PolicyDocument {
  return doc(
    { Effect: "Allow", Action: "sns:Publish", Resource: topicArn },
    { Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents"], Resource: `${logGroupArn}:*` },
    ...(kmsKeyArn
      ? [{ Effect: "Allow", Action: ["kms:GenerateDataKey*", "kms:Decrypt"], Resource: kmsKeyArn }]
      : []),
  );
}

export interface LambdaSinkInput {
  readonly name: string;
  readonly serviceAccountId: string;
  readonly topic: string;
  readonly functionName: string;
  readonly region: string;
  readonly providerIntegrationId: string;
}

/**
 * The fully managed AWS Lambda Sink (https://docs.confluent.io/cloud/current/connectors/cc-aws-lambda-sink.html).
 * Keys from that page and the self-managed reference
 * (https://docs.confluent.io/kafka-connectors/aws-lambda/current/lambda_sink_connector_config.html).
 * Sync invocation: records of a partition go in order, the function's answer lands in
 * success-<id> and a failed batch in error-<id>. Only a real run confirms:
 * - `authentication.method` = "IAM Roles": the value Confluent's S3 sink takes with a provider
 *   integration; the Lambda page names provider-integration support but its value was not seen;
 * - `aws.lambda.configuration.mode` = "single" (seen in published Cloud configs, not in the docs read);
 * - `behavior.on.error` = "log" (log the failed batch to error-<id> and go on, rather than stop).
 */
export function lambdaSinkConfig(input: LambdaSinkInput): SinkConfig {
  return {
    nonsensitive: {
      "connector.class": "LambdaSink",
      name: input.name,
      "kafka.auth.mode": "SERVICE_ACCOUNT",
      "kafka.service.account.id": input.serviceAccountId,
      topics: input.topic,
      "input.data.format": "AVRO",
      "authentication.method": "IAM Roles",
      "provider.integration.id": input.providerIntegrationId,
      "aws.lambda.configuration.mode": "single",
      "aws.lambda.function.name": input.functionName,
      "aws.lambda.region": input.region,
      "aws.lambda.invocation.type": "sync",
      "aws.lambda.batch.size": "20",
      "behavior.on.error": "log",
      "tasks.max": "1",
    },
    sensitive: {},
  };
}
