import { secretDecryptStatement } from "../kms-policy";

/**
 * Pure pieces of the runner, the CodeBuild project inside the VPC that runs the inner phase of a
 * private deployment (docs/design-decisions.md#the-runner): what it may do, and what a build runs.
 */

/** The runner's credentials, each a key of its one Secrets Manager secret and an environment variable. */
export const RUNNER_SECRET_KEYS = [
  "PULUMI_ACCESS_TOKEN",
  "CONFLUENT_CLOUD_API_KEY",
  "CONFLUENT_CLOUD_API_SECRET",
] as const;

/** The longest a build may run (CodeBuild's own timeout); `fraud-infra` waits a little longer. */
export const RUNNER_BUILD_TIMEOUT_MINUTES = 60;

/** Where `fraud-infra` uploads the source revisions in the runner's bucket. */
export const RUNNER_SOURCE_PREFIX = "source/";

/**
 * What every build runs: the repository's own command, on the revision `fraud-infra` uploaded. The
 * Pulumi CLI is the release of the SDK the lock file pins (they share version numbers). Which inner
 * command and stack come as plain variables of the build; the credentials as SECRETS_MANAGER
 * variables of the project, so no secret is in the buildspec, the overrides or the log.
 */
export const RUNNER_BUILDSPEC = `version: 0.2
env:
  shell: bash
phases:
  install:
    runtime-versions:
      nodejs: 20
    commands:
      - npm ci --no-audit --no-fund
      - curl -fsSL https://get.pulumi.com | sh -s -- --version "$(node -p "require('@pulumi/pulumi/package.json').version")"
  build:
    commands:
      - export PATH="$HOME/.pulumi/bin:$PATH"
      - echo "fraud-infra inner $FRAUD_INFRA_COMMAND --stack $FRAUD_INFRA_STACK at $SOURCE_COMMIT"
      - npm run --silent fraud-infra -- inner "$FRAUD_INFRA_COMMAND" --stack "$FRAUD_INFRA_STACK"
`;

/** The project's trust: CodeBuild, for builds of this account only. */
export function codebuildTrustPolicy(accountId: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: "codebuild.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
      },
    ],
  });
}

export interface RunnerPolicyInput {
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly namePrefix: string;
  readonly logGroupArn: string;
  readonly bucketArn: string;
  readonly secretArn: string;
  readonly subnetIds: readonly string[];
  readonly readyParameterArn: string;
  readonly redshift: {
    readonly clusterIdentifier: string;
    readonly database: string;
    readonly adminUser: string;
  };
  /** The stack's customer-managed key, when the secret is encrypted with it. */
  readonly keyArn?: string;
}

/**
 * Least privilege of the runner's role: its log group, its source revisions, its one secret, the network
 * interfaces CodeBuild creates in the private subnets
 * (https://docs.aws.amazon.com/codebuild/latest/userguide/auth-and-access-control-iam-identity-based-access-control.html#customer-managed-policies-example-create-vpc-network-interface),
 * and what `verify` and `status` read inside: the Redshift Data API as the admin user, the Oracle ready
 * parameter and the alert function's log group. The inner Pulumi runs need no AWS permission: the
 * data-plane stack creates Confluent resources only.
 */
export function runnerRolePolicy(p: RunnerPolicyInput): string {
  const arn = (service: string, resource: string) =>
    `arn:${p.partition}:${service}:${p.region}:${p.accountId}:${resource}`;
  const { clusterIdentifier: cluster, database, adminUser } = p.redshift;
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "WriteBuildLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: `${p.logGroupArn.replace(/:\*$/, "")}:*`,
      },
      {
        Sid: "ReadSourceRevisions",
        Effect: "Allow",
        Action: ["s3:GetObject", "s3:GetObjectVersion"],
        Resource: `${p.bucketArn}/${RUNNER_SOURCE_PREFIX}*`,
      },
      {
        Sid: "LocateSourceBucket",
        Effect: "Allow",
        Action: ["s3:GetBucketLocation", "s3:GetBucketAcl"],
        Resource: p.bucketArn,
      },
      {
        Sid: "ReadRunnerSecret",
        Effect: "Allow",
        Action: "secretsmanager:GetSecretValue",
        Resource: p.secretArn,
      },
      ...(p.keyArn ? [{ ...secretDecryptStatement(p.keyArn, p.region), Sid: "DecryptRunnerSecret" }] : []),
      {
        Sid: "BuildNetworkInterfaces",
        Effect: "Allow",
        Action: [
          "ec2:CreateNetworkInterface",
          "ec2:DescribeDhcpOptions",
          "ec2:DescribeNetworkInterfaces",
          "ec2:DeleteNetworkInterface",
          "ec2:DescribeSubnets",
          "ec2:DescribeSecurityGroups",
          "ec2:DescribeVpcs",
        ],
        Resource: "*",
      },
      {
        Sid: "AttachInterfacesInPrivateSubnets",
        Effect: "Allow",
        Action: "ec2:CreateNetworkInterfacePermission",
        Resource: arn("ec2", "network-interface/*"),
        Condition: {
          StringEquals: { "ec2:AuthorizedService": "codebuild.amazonaws.com" },
          ArnEquals: { "ec2:Subnet": p.subnetIds.map((id) => arn("ec2", `subnet/${id}`)) },
        },
      },
      {
        Sid: "QueryRedshiftAsAdmin",
        Effect: "Allow",
        Action: "redshift-data:ExecuteStatement",
        Resource: arn("redshift", `cluster:${cluster}`),
      },
      {
        Sid: "RedshiftAdminCredentials",
        Effect: "Allow",
        Action: "redshift:GetClusterCredentials",
        Resource: [
          arn("redshift", `dbuser:${cluster}/${adminUser}`),
          arn("redshift", `dbname:${cluster}/${database}`),
        ],
      },
      {
        // Statements are looked up by id; these two actions take no resource-level scope.
        Sid: "ReadOwnStatementResults",
        Effect: "Allow",
        Action: ["redshift-data:DescribeStatement", "redshift-data:GetStatementResult"],
        Resource: "*",
      },
      {
        Sid: "ReadOracleReadySignal",
        Effect: "Allow",
        Action: "ssm:GetParameter",
        Resource: p.readyParameterArn,
      },
      {
        Sid: "ReadAlertFunctionLogs",
        Effect: "Allow",
        Action: "logs:FilterLogEvents",
        Resource: arn("logs", `log-group:/aws/lambda/${p.namePrefix}-*`),
      },
    ],
  });
}
