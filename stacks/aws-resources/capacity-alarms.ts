import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { emailSubscriptions } from "../../lib/email-subscriptions";
import type { OracleCapacityMetric } from "../../lib/oracle-capacity";
import {
  CAPACITY_ALARM_PERCENT,
  CAPACITY_PUBLISH_SECONDS,
  ORACLE_CAPACITY_METRIC_KEYS,
  ORACLE_CAPACITY_METRICS,
  ORACLE_METRICS_NAMESPACE,
} from "../../lib/oracle-capacity";

/**
 * Alarms on the Oracle host's disk: the data volume's and the fast recovery area's use, as its
 * housekeeping timer publishes them, each above CAPACITY_ALARM_PERCENT. They notify an SNS topic
 * whose email subscribers are the budget's addresses here and the fraud alerts' addresses (the
 * processing stack subscribes those to the exported topic).
 */

export interface CapacityAlarmsArgs {
  readonly namePrefix: pulumi.Input<string>;
  /** The Oracle host: the metrics' `InstanceId` dimension. */
  readonly instanceId: pulumi.Input<string>;
  /** Addresses subscribed here (the budget's); may be empty. */
  readonly emails: readonly string[];
  /**
   * The stack's customer-managed key, whose policy lets CloudWatch alarms publish to a topic it
   * encrypts. Without one the topic stays unencrypted: CloudWatch alarms cannot publish to a topic
   * under the AWS-managed SNS key, whose policy nobody can change
   * (https://docs.aws.amazon.com/sns/latest/dg/sns-key-management.html#compatibility-with-aws-services).
   */
  readonly kmsKeyArn?: pulumi.Input<string>;
}

/** One alarm's arguments: its metric, threshold and actions. */
function capacityAlarmArgs(
  metric: OracleCapacityMetric,
  instanceId: pulumi.Input<string>,
  topicArn: pulumi.Input<string>,
): aws.cloudwatch.MetricAlarmArgs {
  const { name, label } = ORACLE_CAPACITY_METRICS[metric];
  return {
    alarmDescription: `The Oracle host's ${label} is more than ${CAPACITY_ALARM_PERCENT}% full (docs/operations.md)`,
    namespace: ORACLE_METRICS_NAMESPACE,
    metricName: name,
    dimensions: { InstanceId: instanceId },
    statistic: "Maximum",
    period: CAPACITY_PUBLISH_SECONDS,
    evaluationPeriods: 1,
    comparisonOperator: "GreaterThanThreshold",
    threshold: CAPACITY_ALARM_PERCENT,
    // A host that stops publishing shows as INSUFFICIENT_DATA (and in `fraud-infra status`), not as full.
    treatMissingData: "missing",
    alarmActions: [topicArn],
    okActions: [topicArn],
  };
}

export class CapacityAlarms extends pulumi.ComponentResource {
  readonly topicArn: pulumi.Output<string>;

  constructor(name: string, args: CapacityAlarmsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-infra:alarms:CapacityAlarms", name, {}, opts);
    const parent = { parent: this };
    const topic = new aws.sns.Topic(
      `${name}-topic`,
      { name: pulumi.interpolate`${args.namePrefix}-capacity-alarms`, kmsMasterKeyId: args.kmsKeyArn },
      parent,
    );
    emailSubscriptions(name, topic.arn, args.emails, parent);
    for (const metric of ORACLE_CAPACITY_METRIC_KEYS) {
      new aws.cloudwatch.MetricAlarm(
        `${name}-${metric}`,
        {
          name: pulumi.interpolate`${args.namePrefix}-oracle-${ORACLE_CAPACITY_METRICS[metric].name}`,
          ...capacityAlarmArgs(metric, args.instanceId, topic.arn),
        },
        parent,
      );
    }
    this.topicArn = topic.arn;
    this.registerOutputs({ topicArn: this.topicArn });
  }
}
