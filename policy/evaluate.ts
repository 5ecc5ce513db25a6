import type { EnforcementLevel, PolicyProviderResource } from "@pulumi/policy";
import type { RecordedResource } from "../tools/offline/mocks";
import type { StackRun } from "../tools/offline/run-stack";
import type { StackResourceFixture } from "./args";
import {
  policyConfig,
  resourceArgs,
  runResourcePolicy,
  runStackPolicy,
  stackArgs,
  stackResources,
} from "./args";
import { eksEndpointNotWorldOpen } from "./rules/aws-eks";
import { confluentNoAdminRoleBindings } from "./rules/confluent";
import { DEFAULT_MASTER_USER_NAMES, confluentSinkNotMasterUser, masterUserNames } from "./rules/sink-users";
import { resourcePolicies, stackPolicies } from "./rules";

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

/** Pack config the offline plan can set, mirroring `--policy-pack-config`. */
export interface EvaluationConfig {
  /** Config of `confluent-no-admin-role-bindings`: the EnvironmentAdmin escape hatch. */
  readonly allowEnvironmentAdmin?: boolean;
  /** Config of `eks-endpoint-not-world-open`: a dev stack may leave publicAccessCidrs unset. */
  readonly allowUnsetEksPublicAccessCidrs?: boolean;
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
export function evaluateDeployment(runs: readonly StackRun[], config: EvaluationConfig = {}): Finding[] {
  // The sinks live in another project than the data stores they log in to; the plan sees both.
  const masters = masterUserNames(
    runs.flatMap((run) => run.resources.map((r) => ({ ...r, props: r.inputs }))),
  );
  const given: Record<string, Record<string, unknown>> = {
    [confluentNoAdminRoleBindings.name]: { allowEnvironmentAdmin: config.allowEnvironmentAdmin ?? false },
    [eksEndpointNotWorldOpen.name]: {
      allowUnsetPublicAccessCidrs: config.allowUnsetEksPublicAccessCidrs ?? false,
    },
    [confluentSinkNotMasterUser.name]: { masterUserNames: [...DEFAULT_MASTER_USER_NAMES, ...masters] },
  };
  const findings: Finding[] = [];
  for (const run of runs) {
    const byUrn = new Map(run.resources.map((r) => [r.urn, r] as const));
    const fixtures = run.resources.map((r) => fixtureOf(r, byUrn));
    for (const f of fixtures) {
      for (const policy of resourcePolicies) {
        if (policy.enforcementLevel === "disabled") continue;
        const args = resourceArgs(f, policyConfig(policy, given[policy.name]));
        for (const v of runResourcePolicy(policy, args)) {
          findings.push({
            ...v,
            stack: run.project,
            resourceType: f.type,
            resourceName: f.name,
            urn: args.urn,
          });
        }
      }
    }
    const resources = stackResources(fixtures);
    for (const policy of stackPolicies) {
      if (policy.enforcementLevel === "disabled") continue;
      for (const v of runStackPolicy(
        policy,
        stackArgs(resources, policyConfig(policy, given[policy.name])),
      )) {
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

/** The findings that would block `pulumi up`. */
export function mandatoryFindings(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.enforcementLevel === "mandatory");
}
