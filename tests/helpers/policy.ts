import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import type { ResourceFixture, StackResourceFixture, Violation } from "../../tools/plan/policy/args";
import { checkResource, checkStack, stackResources } from "../../tools/plan/policy/args";

/**
 * Test helpers: run one rule on plain resource-like fixtures and collect what it reports. The
 * policy's config schema defaults apply, as they do under the Pulumi CLI.
 */

/** The messages `policy` reports for one resource. */
export function violations(
  policy: ResourceValidationPolicy,
  fixture: ResourceFixture,
  config: Record<string, unknown> = {},
): string[] {
  return checkResource(policy, fixture, config).map((v) => v.message);
}

/** What `policy` reports for a set of resources of one stack. */
export function stackViolations(
  policy: StackValidationPolicy,
  fixtures: readonly StackResourceFixture[],
  config: Record<string, unknown> = {},
): Violation[] {
  return checkStack(policy, stackResources(fixtures), config);
}
