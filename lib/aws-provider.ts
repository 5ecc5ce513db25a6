import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { TagInputs } from "./naming";
import { standardTags } from "./naming";

/**
 * The explicit AWS provider a stack creates its AWS resources with: pinned to `region` whatever the
 * ambient AWS config says, and carrying the standard tags (this Pulumi project and stack, owner,
 * cost center) to every taggable resource through `defaultTags`. Credentials come from the
 * environment, as for any Pulumi AWS program.
 */
export function taggedAwsProvider(
  name: string,
  region: string,
  tags: Pick<TagInputs, "owner" | "costCenter">,
): aws.Provider {
  return new aws.Provider(name, {
    region,
    defaultTags: {
      tags: standardTags({
        project: pulumi.getProject(),
        stack: pulumi.getStack(),
        owner: tags.owner,
        costCenter: tags.costCenter,
      }),
    },
  });
}
