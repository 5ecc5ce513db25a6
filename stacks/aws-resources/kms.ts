import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { stackKeyPolicy } from "./kms-policy";

export interface StackKeyArgs {
  /** Base of physical names; also scopes the CloudWatch Logs statement of the key policy. */
  readonly namePrefix: pulumi.Input<string>;
  /** Keep the key (and so everything encrypted with it) readable when the stack is destroyed. */
  readonly protect: boolean;
}

/** Longest waiting period AWS allows: a key scheduled for deletion by mistake can be rescued for 30 days. */
const KEY_DELETION_WINDOW_DAYS = 30;

/**
 * The stack's customer-managed KMS key (symmetric, rotated yearly) and an alias naming it. See
 * kms-policy.ts for why one key serves the whole stack and who may use it.
 */
export class StackKey extends pulumi.ComponentResource {
  readonly arn: pulumi.Output<string>;

  constructor(name: string, args: StackKeyArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-infra:kms:StackKey", name, {}, opts);
    const parent = { parent: this };
    const partition = aws.getPartitionOutput({}, parent).partition;
    const region = aws.getRegionOutput({}, parent).region;
    const accountId = aws.getCallerIdentityOutput({}, parent).accountId;

    const key = new aws.kms.Key(
      `${name}-key`,
      {
        description: pulumi.interpolate`${args.namePrefix}: secrets, volumes, Redshift, OpenSearch and logs`,
        enableKeyRotation: true,
        deletionWindowInDays: KEY_DELETION_WINDOW_DAYS,
        policy: pulumi
          .all([partition, region, accountId, args.namePrefix])
          .apply(([p, r, a, n]) => stackKeyPolicy({ partition: p, region: r, accountId: a, namePrefix: n })),
      },
      // Losing the key makes every retained data store and log group unreadable.
      { ...parent, protect: args.protect, retainOnDelete: args.protect },
    );
    new aws.kms.Alias(
      `${name}-alias`,
      { name: pulumi.interpolate`alias/${args.namePrefix}`, targetKeyId: key.keyId },
      parent,
    );

    this.arn = key.arn;
    this.registerOutputs({ arn: this.arn });
  }
}
