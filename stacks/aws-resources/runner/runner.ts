import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { LogSettings } from "../logs";
import { stackLogGroup } from "../logs";
import {
  codebuildTrustPolicy,
  RUNNER_BUILDSPEC,
  RUNNER_BUILD_TIMEOUT_MINUTES,
  RUNNER_SECRET_KEYS,
  RUNNER_SOURCE_PREFIX,
  runnerRolePolicy,
} from "./runner-policy";

export interface RunnerArgs {
  readonly namePrefix: pulumi.Input<string>;
  readonly region: string;
  readonly vpcId: pulumi.Input<string>;
  readonly subnetIds: readonly pulumi.Input<string>[];
  readonly logs: LogSettings;
  /** What `verify` and `status` read inside the VPC. */
  readonly reads: {
    readonly readyParameterArn: pulumi.Input<string>;
    readonly redshift: {
      readonly clusterIdentifier: pulumi.Input<string>;
      readonly database: string;
      readonly adminUser: string;
    };
  };
}

/** Days a source revision stays in the bucket; a build reads its own within minutes of the upload. */
const SOURCE_RETENTION_DAYS = 7;

/**
 * The runner of a private deployment: a CodeBuild project in the private subnets that runs the
 * repository's own `fraud-infra inner …` on a source revision `fraud-infra` uploads to its bucket
 * (encrypted, no public access, TLS only), reading the Pulumi and Confluent credentials from its one
 * secret as SECRETS_MANAGER variables. `fraud-infra` puts the secret's value before each build, so it is
 * never in this stack's config or state.
 */
export class Runner extends pulumi.ComponentResource {
  readonly projectName: pulumi.Output<string>;
  readonly bucketName: pulumi.Output<string>;
  readonly logGroupName: pulumi.Output<string>;
  readonly secretArn: pulumi.Output<string>;

  constructor(name: string, args: RunnerArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-infra:runner:Runner", name, {}, opts);
    const parent = { parent: this };
    const partition = aws.getPartitionOutput({}, parent).partition;
    const accountId = aws.getCallerIdentityOutput({}, parent).accountId;

    const sg = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      { vpcId: args.vpcId, description: "fraud-infra runner: no inbound, HTTP(S) out" },
      parent,
    );
    for (const port of [443, 80]) {
      new aws.vpc.SecurityGroupEgressRule(
        `${name}-out-${port}`,
        {
          securityGroupId: sg.id,
          ipProtocol: "tcp",
          fromPort: port,
          toPort: port,
          cidrIpv4: "0.0.0.0/0",
          description:
            "Confluent private endpoints, AWS APIs, the state backend, the npm registry, the web app",
        },
        parent,
      );
    }

    const logGroup = stackLogGroup(
      `${name}-logs`,
      pulumi.interpolate`/aws/codebuild/${args.namePrefix}/runner`,
      args.logs,
      parent,
    );
    const bucket = this.sourceBucket(name);
    const secret = new aws.secretsmanager.Secret(
      `${name}-credentials`,
      {
        name: pulumi.interpolate`${args.namePrefix}-runner`,
        description: `fraud-infra runner: ${RUNNER_SECRET_KEYS.join(", ")}, put by fraud-infra before each build`,
        recoveryWindowInDays: 0,
        kmsKeyId: args.logs.kmsKeyArn,
      },
      parent,
    );

    const role = new aws.iam.Role(
      `${name}-role`,
      {
        description: "fraud-infra runner: its logs, source, secret and network interfaces; verify's reads",
        assumeRolePolicy: accountId.apply(codebuildTrustPolicy),
      },
      parent,
    );
    const policy = new aws.iam.RolePolicy(
      `${name}-role`,
      {
        role: role.name,
        policy: pulumi
          .output({
            partition,
            accountId,
            namePrefix: args.namePrefix,
            logGroupArn: logGroup.arn,
            bucketArn: bucket.arn,
            secretArn: secret.arn,
            subnetIds: args.subnetIds,
            readyParameterArn: args.reads.readyParameterArn,
            clusterIdentifier: args.reads.redshift.clusterIdentifier,
            keyArn: args.logs.kmsKeyArn ?? "",
          })
          .apply(({ keyArn, clusterIdentifier, ...v }) =>
            runnerRolePolicy({
              ...v,
              region: args.region,
              redshift: { ...args.reads.redshift, clusterIdentifier },
              ...(keyArn ? { keyArn } : {}),
            }),
          ),
      },
      parent,
    );

    const project = new aws.codebuild.Project(
      `${name}-project`,
      {
        name: pulumi.interpolate`${args.namePrefix}-runner`,
        description:
          "fraud-infra inner phase: Flink statements through the private endpoint; verify and status",
        serviceRole: role.arn,
        buildTimeout: RUNNER_BUILD_TIMEOUT_MINUTES,
        concurrentBuildLimit: 1,
        artifacts: { type: "NO_ARTIFACTS" },
        source: {
          type: "S3",
          location: pulumi.interpolate`${bucket.bucket}/${RUNNER_SOURCE_PREFIX}latest.zip`,
          buildspec: RUNNER_BUILDSPEC,
        },
        environment: {
          computeType: "BUILD_GENERAL1_SMALL",
          image: "aws/codebuild/amazonlinux-x86_64-standard:5.0",
          type: "LINUX_CONTAINER",
          environmentVariables: RUNNER_SECRET_KEYS.map((key) => ({
            name: key,
            type: "SECRETS_MANAGER",
            value: pulumi.interpolate`${secret.arn}:${key}`,
          })),
        },
        vpcConfig: { vpcId: args.vpcId, subnets: [...args.subnetIds], securityGroupIds: [sg.id] },
        logsConfig: { cloudwatchLogs: { groupName: logGroup.name, status: "ENABLED" } },
        ...(args.logs.kmsKeyArn ? { encryptionKey: args.logs.kmsKeyArn } : {}),
      },
      // CodeBuild checks the VPC permissions when the project is created.
      { parent: this, dependsOn: [policy] },
    );

    this.projectName = project.name;
    this.bucketName = bucket.bucket;
    this.logGroupName = logGroup.name;
    this.secretArn = secret.arn;
    this.registerOutputs({ projectName: this.projectName, bucketName: this.bucketName });
  }

  /** The source bucket: private, encrypted, TLS only, revisions expire; destroy empties it. */
  private sourceBucket(name: string): aws.s3.Bucket {
    const parent = { parent: this };
    const bucket = new aws.s3.Bucket(`${name}-source`, { forceDestroy: true }, parent);
    new aws.s3.BucketPublicAccessBlock(
      `${name}-source`,
      {
        bucket: bucket.id,
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      },
      parent,
    );
    new aws.s3.BucketOwnershipControls(
      `${name}-source`,
      { bucket: bucket.id, rule: { objectOwnership: "BucketOwnerEnforced" } },
      parent,
    );
    new aws.s3.BucketServerSideEncryptionConfiguration(
      `${name}-source`,
      { bucket: bucket.id, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
      parent,
    );
    new aws.s3.BucketLifecycleConfiguration(
      `${name}-source`,
      {
        bucket: bucket.id,
        rules: [
          {
            id: "expire-source-revisions",
            status: "Enabled",
            filter: { prefix: RUNNER_SOURCE_PREFIX },
            expiration: { days: SOURCE_RETENTION_DAYS },
          },
        ],
      },
      parent,
    );
    new aws.s3.BucketPolicy(
      `${name}-source`,
      {
        bucket: bucket.id,
        policy: bucket.arn.apply((arn) =>
          JSON.stringify({
            Version: "2012-10-17",
            Statement: [
              {
                Sid: "TlsOnly",
                Effect: "Deny",
                Principal: "*",
                Action: "s3:*",
                Resource: [arn, `${arn}/*`],
                Condition: { Bool: { "aws:SecureTransport": "false" } },
              },
            ],
          }),
        ),
      },
      parent,
    );
    return bucket;
  }
}
