import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import type { ResourceFixture, StackResourceFixture, Violation } from "../../tools/plan/policy/args";
import {
  policyConfig,
  resourceArgs,
  runResourcePolicy,
  runStackPolicy,
  stackArgs,
  stackResources,
} from "../../tools/plan/policy/args";

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
  return runResourcePolicy(policy, resourceArgs(fixture, policyConfig(policy, config))).map((v) => v.message);
}

/** What `policy` reports for a set of resources of one stack. */
export function stackViolations(
  policy: StackValidationPolicy,
  fixtures: readonly StackResourceFixture[],
  config: Record<string, unknown> = {},
): Violation[] {
  return runStackPolicy(policy, stackArgs(stackResources(fixtures), policyConfig(policy, config)));
}
