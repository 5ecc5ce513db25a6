import type { PolicyDocument } from "../confluent-role";
import { policyDocument as doc } from "../confluent-role";

/**
 * The IAM documents of the alert path, pure so each is tested on its own: each grants one action set
 * on one resource. The FraudAlerts component only wires them.
 */

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
