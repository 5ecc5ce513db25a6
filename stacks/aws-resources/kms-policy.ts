/**
 * The key policy of the stack's customer-managed KMS key (pure, tested without a Pulumi engine).
 *
 * One key serves the whole stack rather than one per service: every service below already names
 * its own use through `kms:ViaService` (or, for CloudWatch Logs, the encryption context), so
 * separate keys would add cost (each key is billed monthly) and key policies to review without
 * narrowing who can decrypt what; a key per data store only pays off when different teams
 * administer them, which is not the case within one stack.
 */

export interface KeyPolicyInput {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  /** Base of the stack's physical names; every log group of the stack has it as a path segment. */
  readonly namePrefix: string;
}

/**
 * Services that encrypt the deployment's data with the key on a caller's behalf (`kms:ViaService`): this
 * stack's, and SNS for the processing stack's alert topic (its sink secrets go through Secrets Manager).
 */
const KEY_USING_SERVICES = ["secretsmanager", "ec2", "redshift", "es", "sns"] as const;

/**
 * Administration without cryptography: IAM policies decide who manages the key, but nobody can
 * use it directly (no Encrypt/Decrypt, no CreateGrant outside the services below).
 */
export const KEY_ADMIN_ACTIONS = [
  "kms:CreateAlias",
  "kms:Describe*",
  "kms:Enable*",
  "kms:List*",
  "kms:Put*",
  "kms:Update*",
  "kms:Revoke*",
  "kms:Disable*",
  "kms:Get*",
  "kms:Delete*",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:ScheduleKeyDeletion",
  "kms:CancelKeyDeletion",
  "kms:RotateKeyOnDemand",
];

export const KEY_USE_ACTIONS = [
  "kms:Encrypt",
  "kms:Decrypt",
  "kms:ReEncrypt*",
  "kms:GenerateDataKey*",
  "kms:CreateGrant",
  "kms:DescribeKey",
];

/**
 * Log groups of the deployment: this stack's `/aws/<service>/…/<namePrefix>/…`, and the Lambda functions'
 * `/aws/lambda/<namePrefix>-<function>` (the processing stack's alert function).
 */
export function stackLogGroupArnPatterns({
  partition,
  region,
  accountId,
  namePrefix,
}: KeyPolicyInput): string[] {
  const groups = `arn:${partition}:logs:${region}:${accountId}:log-group:`;
  return [`${groups}/aws/*/${namePrefix}/*`, `${groups}/aws/lambda/${namePrefix}-*`];
}

/**
 * Four statements: the account (IAM delegation) administers the key; the account's principals use
 * it only through the services that store this stack's data; CloudWatch Logs of the region uses it
 * only for this stack's log groups, the encryption-context condition AWS documents in
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html; CloudWatch
 * alarms of this account publish to the capacity-alarm topic it encrypts, as
 * https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html
 * (compatibility with AWS services) requires.
 */
export function stackKeyPolicy(input: KeyPolicyInput): string {
  const { partition, region, accountId } = input;
  const root = { AWS: `arn:${partition}:iam::${accountId}:root` };
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "AccountAdministersKey",
        Effect: "Allow",
        Principal: root,
        Action: KEY_ADMIN_ACTIONS,
        Resource: "*",
      },
      {
        Sid: "AccountUsesKeyOnlyThroughStackServices",
        Effect: "Allow",
        Principal: root,
        Action: KEY_USE_ACTIONS,
        Resource: "*",
        Condition: {
          StringEquals: {
            "kms:ViaService": KEY_USING_SERVICES.map((s) => `${s}.${region}.amazonaws.com`),
          },
        },
      },
      {
        Sid: "CloudWatchLogsEncryptsStackLogGroups",
        Effect: "Allow",
        Principal: { Service: `logs.${region}.amazonaws.com` },
        Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
        Resource: "*",
        Condition: { ArnLike: { "kms:EncryptionContext:aws:logs:arn": stackLogGroupArnPatterns(input) } },
      },
      {
        Sid: "CloudWatchAlarmsPublishToStackTopics",
        Effect: "Allow",
        Principal: { Service: "cloudwatch.amazonaws.com" },
        Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
        Resource: "*",
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
      },
    ],
  });
}

/**
 * The Oracle host reads its secret at boot; with the stack key, Secrets Manager decrypts it with
 * the host role's permission, and only through Secrets Manager.
 */
export function secretDecryptStatement(keyArn: string, region: string): Record<string, unknown> {
  return {
    Sid: "DecryptOracleSecretThroughSecretsManager",
    Effect: "Allow",
    Action: "kms:Decrypt",
    Resource: keyArn,
    Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${region}.amazonaws.com` } },
  };
}
