import * as aws from "@pulumi/aws";
import type * as pulumi from "@pulumi/pulumi";
import { CONNECTOR_INGRESS_GROUPS } from "../../lib/security-group-quota";

/**
 * The empty "connector ingress" security groups of one data store. The connector and processing
 * stacks put their rules for Confluent's egress CIDRs into these (spread by `spreadCidrs`), so the
 * number of CIDRs is not capped by one group's rule quota and the store's own group keeps room for
 * allowedCidrs. No rules of their own: egress comes from the store's own group.
 */
export function connectorIngressGroups(
  name: string,
  args: { vpcId: pulumi.Input<string>; port: number; store: string },
  opts: pulumi.CustomResourceOptions,
): aws.ec2.SecurityGroup[] {
  return Array.from(
    { length: CONNECTOR_INGRESS_GROUPS },
    (_, i) =>
      new aws.ec2.SecurityGroup(
        `${name}-connector-ingress-${i}`,
        {
          vpcId: args.vpcId,
          description: `${args.store} ${args.port} from Confluent Cloud egress CIDRs (group ${i + 1} of ${CONNECTOR_INGRESS_GROUPS})`,
        },
        opts,
      ),
  );
}
