/**
 * The IAM documents of the alert path, pure so each is tested on its own: each grants one action set
 * on one resource. The FraudAlerts component only wires them.
 */

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

/**
 * The topic's own policy: only the alert function's role may publish. The Deny covers the rest of the
 * account too, whose IAM policies would otherwise be enough to publish a forged alert to the recipients.
 */
export function topicPolicy(topicArn: string, functionRoleArn: string): string {
  return JSON.stringify(
    doc(
      {
        Sid: "FunctionPublishes",
        Effect: "Allow",
        Principal: { AWS: functionRoleArn },
        Action: "sns:Publish",
        Resource: topicArn,
      },
      {
        Sid: "NobodyElsePublishes",
        Effect: "Deny",
        Principal: "*",
        Action: "sns:Publish",
        Resource: topicArn,
        Condition: { ArnNotEquals: { "aws:PrincipalArn": functionRoleArn } },
      },
    ),
  );
}
