import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

/** How every log group of the stack is kept. */
export interface LogSettings {
  /** One of CloudWatch's retention values (see LOG_RETENTION_DAYS). */
  readonly retentionDays: number;
  /** The stack's customer-managed key; undefined keeps CloudWatch's own encryption. */
  readonly kmsKeyArn?: pulumi.Input<string>;
  /** Refuse deletion of the group (and its events) while protectData is on. */
  readonly protect: boolean;
}

/**
 * A log group created by the stack rather than by the service writing to it, so it has a retention,
 * the stack's key, and leaves with the stack. Names follow `/aws/<service>/…/<namePrefix>/…`, the
 * pattern the key policy allows CloudWatch Logs to encrypt.
 */
export function stackLogGroup(
  name: string,
  logGroupName: pulumi.Input<string>,
  settings: LogSettings,
  opts: pulumi.CustomResourceOptions,
): aws.cloudwatch.LogGroup {
  return new aws.cloudwatch.LogGroup(
    name,
    {
      name: logGroupName,
      retentionInDays: settings.retentionDays,
      kmsKeyId: settings.kmsKeyArn,
      deletionProtectionEnabled: settings.protect,
    },
    opts,
  );
}

/**
 * The CloudWatch Logs resource policy OpenSearch Service needs to publish into the given groups,
 * limited to one domain of one account
 * (https://docs.aws.amazon.com/opensearch-service/latest/developerguide/createdomain-configure-slow-logs.html).
 */
export function opensearchLogsResourcePolicy(
  logGroupArns: readonly string[],
  domainArn: string,
  accountId: string,
): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "OpenSearchPublishesDomainLogs",
        Effect: "Allow",
        Principal: { Service: "es.amazonaws.com" },
        Action: ["logs:PutLogEvents", "logs:CreateLogStream"],
        Resource: logGroupArns.map((arn) => `${arn.replace(/:\*$/, "")}:*`),
        Condition: {
          StringEquals: { "aws:SourceAccount": accountId },
          ArnLike: { "aws:SourceArn": domainArn },
        },
      },
    ],
  });
}
