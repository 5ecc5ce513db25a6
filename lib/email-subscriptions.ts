import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";

/**
 * One email subscription per address on an SNS topic, named `<name>-email-<index>`: the address is
 * the subscription's endpoint, so it stays out of the resource name (and of URNs and logs).
 */
export function emailSubscriptions(
  name: string,
  topicArn: pulumi.Input<string>,
  emails: readonly string[],
  opts: pulumi.CustomResourceOptions,
): aws.sns.TopicSubscription[] {
  return emails.map(
    (endpoint, i) =>
      new aws.sns.TopicSubscription(
        `${name}-email-${i}`,
        { topic: topicArn, protocol: "email", endpoint },
        opts,
      ),
  );
}
