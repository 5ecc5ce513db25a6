import type { PolicyProviderResource, ResourceValidationPolicy } from "@pulumi/policy";
import { TAGGABLE_AWS_TYPES } from "./aws-taggable-types";
import { parseJson, record, stringMap } from "./util";

/**
 * Tags every taggable AWS resource must carry: who owns it, who pays, and which project and
 * stack made it. A subset of `standardTags` in lib/naming.ts (a test keeps them in step); the
 * pack does not import lib/ so it stays self-contained when published.
 */
export const REQUIRED_TAG_KEYS: readonly string[] = ["Project", "PulumiStack", "Owner", "CostCenter"];

export const AWS_PROVIDER = "pulumi:providers:aws";

const TAGGABLE = new Set(TAGGABLE_AWS_TYPES);

/**
 * The provider's `defaultTags.tags`. The AWS provider's inputs carry `defaultTags` as a JSON
 * string (the SDK serialises nested provider config); an object is accepted too.
 */
function providerDefaultTags(provider: PolicyProviderResource | undefined): Record<string, string> {
  if (!provider || provider.type !== AWS_PROVIDER) return {};
  return stringMap(record(record(parseJson(provider.props.defaultTags)).tags));
}

/**
 * The tags a resource ends up with: the provider's defaultTags, overridden by `tagsAll` (when the
 * engine reports it) and the resource's own `tags`.
 */
export function effectiveTags(
  props: Record<string, unknown>,
  provider: PolicyProviderResource | undefined,
): Record<string, string> {
  return { ...providerDefaultTags(provider), ...stringMap(props.tagsAll), ...stringMap(props.tags) };
}

function isTaggableAwsType(type: string, props: Record<string, unknown>): boolean {
  return TAGGABLE.has(type) || (type.startsWith("aws:") && ("tags" in props || "tagsAll" in props));
}

export const awsStandardTags: ResourceValidationPolicy = {
  name: "aws-standard-tags",
  description:
    `Every taggable AWS resource carries non-empty ${REQUIRED_TAG_KEYS.join(", ")} tags, set on the resource ` +
    "or — as the stacks do — through the AWS provider's defaultTags (read from the resource's provider, " +
    "since default tags are not part of the resource's own inputs). No direct Checkov, Trivy or cdk-nag " +
    "equivalent.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (!isTaggableAwsType(args.type, args.props)) return;
    const tags = effectiveTags(args.props, args.provider);
    const missing = REQUIRED_TAG_KEYS.filter((k) => (tags[k] ?? "").trim() === "");
    if (missing.length > 0) {
      reportViolation(
        `${args.name}: missing tags ${missing.join(", ")} (set them through the AWS provider's defaultTags)`,
      );
    }
  },
};
