import * as aws from "@pulumi/aws";
import * as confluentcloud from "@pulumi/confluentcloud";
import * as pulumi from "@pulumi/pulumi";

/**
 * A role in the AWS account that a fully managed connector assumes through a Confluent provider
 * integration, so the connector holds no AWS key and no database password. Each connector that
 * signs in this way gets its own integration and role, limited to what that connector calls.
 */

export type PolicyDocument = {
  readonly Version: "2012-10-17";
  readonly Statement: readonly Record<string, unknown>[];
};
export const policyDocument = (...Statement: Record<string, unknown>[]): PolicyDocument => ({
  Version: "2012-10-17",
  Statement,
});

/**
 * The Confluent role's ARN, known before the role exists. This breaks the cycle between the two
 * resources the way Confluent's own example does (terraform-provider-confluent,
 * examples/configurations/connectors/s3-sink-connector-assume-role): the provider integration is
 * created with the ARN the role *will* have, then the role is created trusting the integration's
 * Confluent IAM role and external ID. No resource has to be updated after creation.
 */
export const confluentRoleArn = (partition: string, accountId: string, roleName: string): string =>
  `arn:${partition}:iam::${accountId}:role/${roleName}`;

/** Trust of the Confluent role: only the integration's Confluent role, only with its external ID. */
export function confluentTrustPolicy(integration: {
  iamRoleArn: string;
  externalId: string;
}): PolicyDocument {
  if (!integration.iamRoleArn.startsWith("arn:") || integration.externalId === "") {
    throw new Error("the provider integration did not return its Confluent IAM role ARN and external ID");
  }
  return policyDocument({
    Effect: "Allow",
    Principal: { AWS: integration.iamRoleArn },
    Action: "sts:AssumeRole",
    Condition: { StringEquals: { "sts:ExternalId": integration.externalId } },
  });
}

export interface ConfluentRoleArgs {
  readonly environmentId: pulumi.Input<string>;
  readonly integrationName: string;
  /** The role's name, fixed up front (see confluentRoleArn). */
  readonly roleName: string;
  readonly awsProvider?: aws.Provider;
}

/**
 * The integration (`<name>-integration`) and the role it may assume (`<name>-confluent-role`), both
 * children of `parent`; the caller attaches what the role may do. Also the account and partition the
 * role lives in, for the caller's resource ARNs.
 */
export function confluentRole(name: string, args: ConfluentRoleArgs, parent: pulumi.Resource) {
  const awsOpts = { parent, provider: args.awsProvider };
  const caller = aws.getCallerIdentityOutput({}, awsOpts);
  const partition = aws.getPartitionOutput({}, awsOpts);
  const integration = new confluentcloud.ProviderIntegration(
    `${name}-integration`,
    {
      displayName: args.integrationName,
      environment: { id: args.environmentId },
      aws: {
        customerRoleArn: pulumi
          .all([partition.partition, caller.accountId])
          .apply(([p, account]) => confluentRoleArn(p, account, args.roleName)),
      },
    },
    { parent },
  );
  const role = new aws.iam.Role(
    `${name}-confluent-role`,
    {
      name: args.roleName,
      assumeRolePolicy: integration.aws.apply((a) => JSON.stringify(confluentTrustPolicy(a))),
    },
    awsOpts,
  );
  return { integration, role, accountId: caller.accountId, partition: partition.partition };
}
