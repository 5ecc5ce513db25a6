import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { LogSettings } from "./logs";
import { stackLogGroup } from "./logs";

/** The flow-log role may only be assumed by VPC Flow Logs of this account, for this account's flow logs. */
export function flowLogTrustPolicy(partition: string, region: string, accountId: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: "vpc-flow-logs.amazonaws.com" },
        Action: "sts:AssumeRole",
        // Confused-deputy guard (https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-iam-role.html).
        Condition: {
          StringEquals: { "aws:SourceAccount": accountId },
          ArnLike: { "aws:SourceArn": `arn:${partition}:ec2:${region}:${accountId}:vpc-flow-log/*` },
        },
      },
    ],
  });
}

/** Writes to its one log group only; DescribeLogGroups cannot be narrowed below the account's groups. */
export function flowLogRolePolicy(logGroupArn: string): string {
  const group = logGroupArn.replace(/:\*$/, "");
  const allGroups = group.replace(/:log-group:.*$/, ":log-group:*");
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "WriteFlowLogGroup",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
        Resource: [group, `${group}:*`],
      },
      { Sid: "FindLogGroup", Effect: "Allow", Action: "logs:DescribeLogGroups", Resource: allGroups },
    ],
  });
}

export interface VpcFlowLogsArgs {
  readonly vpcId: pulumi.Input<string>;
  /** Base of physical names; the group is `/aws/vpc/<namePrefix>/flow-logs`. */
  readonly namePrefix: pulumi.Input<string>;
  readonly logs: LogSettings;
}

/**
 * Every accepted and rejected flow of the VPC, to CloudWatch Logs: the same place, retention, key and
 * query tools as the stack's other audit logs, and no bucket (with its own policy, encryption and
 * lifecycle) to secure. S3 would cost less per GB at high volume; this VPC carries little traffic.
 */
export class VpcFlowLogs extends pulumi.ComponentResource {
  constructor(name: string, args: VpcFlowLogsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-infra:network:VpcFlowLogs", name, {}, opts);
    const parent = { parent: this };
    const partition = aws.getPartitionOutput({}, parent).partition;
    const region = aws.getRegionOutput({}, parent).region;
    const accountId = aws.getCallerIdentityOutput({}, parent).accountId;
    const group = stackLogGroup(
      name,
      pulumi.interpolate`/aws/vpc/${args.namePrefix}/flow-logs`,
      args.logs,
      parent,
    );
    const role = new aws.iam.Role(
      name,
      {
        description: "VPC Flow Logs writes the VPC's flow log group",
        assumeRolePolicy: pulumi
          .all([partition, region, accountId])
          .apply(([p, r, a]) => flowLogTrustPolicy(p, r, a)),
      },
      parent,
    );
    const policy = new aws.iam.RolePolicy(
      name,
      { role: role.name, policy: group.arn.apply(flowLogRolePolicy) },
      parent,
    );
    new aws.ec2.FlowLog(
      name,
      {
        vpcId: args.vpcId,
        trafficType: "ALL",
        logDestinationType: "cloud-watch-logs",
        logDestination: group.arn,
        iamRoleArn: role.arn,
        // One-minute records, so a connection shows up while it is being investigated.
        maxAggregationInterval: 60,
      },
      { ...parent, dependsOn: [policy] },
    );
    this.registerOutputs({ logGroupName: group.name });
  }
}
