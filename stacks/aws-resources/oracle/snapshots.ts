import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * Daily snapshots of the Oracle data volume by Amazon Data Lifecycle Manager. The volume holds the
 * data files, the redo logs, the control files and the recovery area, so one crash-consistent
 * snapshot restores the whole database: Oracle recovers it from its online redo logs at startup.
 */

/** When the daily snapshot starts (UTC); DLM starts it within the hour after. */
export const SNAPSHOT_TIME_UTC = "03:00";

/** The role DLM assumes, with AWS's managed policy for EBS snapshot policies. */
export const DLM_TRUST_POLICY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "dlm.amazonaws.com" }, Action: "sts:AssumeRole" }],
});
const DLM_MANAGED_POLICY = "arn:aws:iam::aws:policy/service-role/AWSDataLifecycleManagerServiceRole";

export interface VolumeSnapshotArgs {
  /** The `Name` tag of the volume (unique to this deployment): the policy targets it. */
  readonly volumeName: pulumi.Input<string>;
  /** Snapshots kept; the oldest is deleted when a new one is taken. */
  readonly keep: number;
}

/** The lifecycle policy's details: its schedule and retention. */
function snapshotPolicyDetails(
  volumeName: string,
  keep: number,
): aws.types.input.dlm.LifecyclePolicyPolicyDetails {
  return {
    resourceTypes: ["VOLUME"],
    targetTags: { Name: volumeName },
    schedules: [
      {
        name: `daily-${keep}-kept`,
        createRule: { interval: 24, intervalUnit: "HOURS", times: SNAPSHOT_TIME_UTC },
        retainRule: { count: keep },
        copyTags: true,
        tagsToAdd: { SnapshotOf: volumeName },
      },
    ],
  };
}

export class OracleVolumeSnapshots extends pulumi.ComponentResource {
  readonly policyArn: pulumi.Output<string>;

  constructor(name: string, args: VolumeSnapshotArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-infra:oracle:OracleVolumeSnapshots", name, {}, opts);
    const parent = { parent: this };
    const role = new aws.iam.Role(
      `${name}-dlm`,
      {
        description: "Data Lifecycle Manager: snapshots of the Oracle data volume",
        assumeRolePolicy: DLM_TRUST_POLICY,
      },
      parent,
    );
    const attachment = new aws.iam.RolePolicyAttachment(
      `${name}-dlm`,
      { role: role.name, policyArn: DLM_MANAGED_POLICY },
      parent,
    );
    const policy = new aws.dlm.LifecyclePolicy(
      `${name}-daily`,
      {
        description: "Daily snapshots of the Oracle data volume",
        executionRoleArn: role.arn,
        state: "ENABLED",
        policyDetails: pulumi.output(args.volumeName).apply((v) => snapshotPolicyDetails(v, args.keep)),
      },
      { ...parent, dependsOn: [attachment] },
    );
    this.policyArn = policy.arn;
    this.registerOutputs({ policyArn: this.policyArn });
  }
}
