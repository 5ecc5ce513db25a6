import { readFileSync } from "node:fs";
import type { EnforcementLevel, PolicyProviderResource } from "@pulumi/policy";
import { PROJECTS } from "../../../lib/contracts";
import { isTrialStack } from "../../../lib/naming";
import { resourcePolicies, stackPolicies } from "../../../policy/rules";
import { confluentNoAdminRoleBindings } from "../../../policy/rules/confluent";
import { TRIAL_STACK_POLICY_CONFIG } from "../../deploy/policy-options";
import {
  confluentSinkNotMasterUser,
  DEFAULT_MASTER_USER_NAMES,
  masterUserNames,
} from "../../../policy/rules/sink-users";
import type { RecordedResource } from "../../offline/mocks";
import type { StackRun } from "../../offline/run-stack";
import type { StackResourceFixture } from "./args";
import { checkResource, checkStack, stackResources } from "./args";

/**
 * The policy pack offline: the plan runs the pack's rules over the resources the stack programs
 * recorded, as `pulumi preview --policy-pack policy` runs them over a real preview.
 */

/** One policy violation found in the offline plan. */
export interface Finding {
  readonly policy: string;
  readonly enforcementLevel: EnforcementLevel;
  /** The Pulumi project of the run (`aws-resources`, `connector`, `processing`). */
  readonly stack: string;
  /** Empty for a stack-level finding that blames no resource. */
  readonly resourceType: string;
  readonly resourceName: string;
  readonly urn: string;
  readonly message: string;
}

/** Pack config, as a real run passes it with `--policy-pack-config`. */
export interface PolicyConfig {
  /** Config of `confluent-no-admin-role-bindings`: the EnvironmentAdmin escape hatch. */
  readonly allowEnvironmentAdmin?: boolean;
  /** The trial stack's pack config (policy/config.dev.json) applies, as fraud-infra passes it for dev. */
  readonly trialStack?: boolean;
}

/** Per rule, the config policy/config.dev.json gives the trial stack. */
function trialStackConfig(): Record<string, Record<string, unknown>> {
  return JSON.parse(readFileSync(TRIAL_STACK_POLICY_CONFIG, "utf8")) as Record<
    string,
    Record<string, unknown>
  >;
}

/** `<provider urn>::<provider id>` → the provider URN (an id never contains `::`). */
export function providerUrn(providerRef: string): string | undefined {
  const at = providerRef.lastIndexOf("::");
  return at > 0 ? providerRef.slice(0, at) : undefined;
}

function providerOf(
  r: RecordedResource,
  byUrn: ReadonlyMap<string, RecordedResource>,
): PolicyProviderResource | undefined {
  const urn = providerUrn(r.providerRef);
  const p = urn ? byUrn.get(urn) : undefined;
  return p ? { type: p.type, name: p.name, urn: p.urn, props: p.inputs } : undefined;
}

/**
 * The engine's view of a recorded resource: its inputs (secrets unwrapped, as the analyzer sees
 * them), options, parent, dependencies and provider.
 */
function fixtureOf(r: RecordedResource, byUrn: ReadonlyMap<string, RecordedResource>): StackResourceFixture {
  return {
    type: r.type,
    name: r.name,
    urn: r.urn,
    props: r.inputs,
    provider: providerOf(r, byUrn),
    dependencyUrns: r.dependencyUrns,
    propertyDependencyUrns: r.propertyDependencyUrns,
    parentUrn: r.parentUrn || undefined,
    opts: {
      protect: r.protect,
      ignoreChanges: [...r.ignoreChanges],
      additionalSecretOutputs: [...r.additionalSecretOutputs],
      ...(r.parentUrn ? { parent: r.parentUrn } : {}),
    },
  };
}

/**
 * Runs every rule of the pack over every resource the offline runs recorded, the way
 * `pulumi preview --policy-pack policy` runs it over a real plan: resource rules per resource,
 * stack rules once per stack. Disabled rules are skipped; findings come in stack order. The
 * master-user rule is given the master names of every stack of the deployment.
 */
export function evaluateDeployment(runs: readonly StackRun[], config: PolicyConfig = {}): Finding[] {
  // The sinks live in another project than the data stores they log in to; the plan sees both.
  const masters = masterUserNames(
    runs.flatMap((run) => run.resources.map((r) => ({ ...r, props: r.inputs }))),
  );
  const given: Record<string, Record<string, unknown>> = {
    ...(config.trialStack ? trialStackConfig() : {}),
    [confluentNoAdminRoleBindings.name]: { allowEnvironmentAdmin: config.allowEnvironmentAdmin ?? false },
    [confluentSinkNotMasterUser.name]: { masterUserNames: [...DEFAULT_MASTER_USER_NAMES, ...masters] },
  };
  const findings: Finding[] = [];
  for (const run of runs) {
    const byUrn = new Map(run.resources.map((r) => [r.urn, r] as const));
    const fixtures = run.resources.map((r) => fixtureOf(r, byUrn));
    for (const f of fixtures) {
      for (const policy of resourcePolicies) {
        if (policy.enforcementLevel === "disabled") continue;
        for (const v of checkResource(policy, f, given[policy.name])) {
          findings.push({
            ...v,
            stack: run.project,
            resourceType: f.type,
            resourceName: f.name,
            urn: f.urn ?? "",
          });
        }
      }
    }
    const resources = stackResources(fixtures);
    for (const policy of stackPolicies) {
      if (policy.enforcementLevel === "disabled") continue;
      for (const v of checkStack(policy, resources, given[policy.name])) {
        const blamed = v.urn ? byUrn.get(v.urn) : undefined;
        findings.push({
          policy: v.policy,
          enforcementLevel: v.enforcementLevel,
          message: v.message,
          stack: run.project,
          resourceType: blamed?.type ?? "",
          resourceName: blamed?.name ?? "",
          urn: v.urn ?? "",
        });
      }
    }
  }
  return findings;
}

export type Evaluator = (runs: readonly StackRun[], config: PolicyConfig) => Finding[];

/** Finds nothing: for a plan that is read for its resources or costs only. */
export const skipPolicies: Evaluator = () => [];

/**
 * The pack config that goes with the planned stacks' config: the trial stack's (policy/config.dev.json)
 * on the trial stack, and the EnvironmentAdmin escape hatch (policy/config.environment-admin.json)
 * exactly when the connector stack is configured to use EnvironmentAdmin, which its config allows on
 * the trial stack only, as fraud-infra passes them. Without this the plan would report a finding the
 * documented real run does not have.
 */
export function policyConfigFor(
  configs: readonly Readonly<Record<string, string>>[],
  stack: string,
): PolicyConfig {
  const key = `${PROJECTS.connector}:useEnvironmentAdmin`;
  return {
    allowEnvironmentAdmin: configs.some((c) => c[key] === "true"),
    trialStack: isTrialStack(stack),
  };
}

/** A mandatory finding would block a real `pulumi up` with the pack enabled. */
export function isBlocking(f: Finding): boolean {
  return f.enforcementLevel === "mandatory";
}

/** Findings that belong to a stack (matched by project or stack name). */
export function findingsFor(findings: readonly Finding[], run: StackRun): Finding[] {
  return findings.filter((f) => f.stack === run.project || f.urn.includes(`::${run.project}::`));
}
