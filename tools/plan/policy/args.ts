import type {
  EnforcementLevel,
  Policy,
  PolicyProviderResource,
  PolicyResource,
  PolicyResourceOptions,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationArgs,
  StackValidationPolicy,
} from "@pulumi/policy";

/**
 * Builds the argument bags the policy engine hands to rules, from plain resource-like objects, so
 * tests and the offline plan run the exact rule functions a real `pulumi preview --policy-pack`
 * runs.
 */

/** A resource as the engine describes it to a policy. */
export interface ResourceFixture {
  readonly type: string;
  readonly name: string;
  readonly props: Record<string, unknown>;
  /** Defaults to a URN built from type and name. */
  readonly urn?: string;
  readonly provider?: PolicyProviderResource;
  readonly opts?: Partial<PolicyResourceOptions>;
}

/** A resource of a stack, with the URNs it depends on. */
export interface StackResourceFixture extends ResourceFixture {
  readonly dependencyUrns?: readonly string[];
  /** Per input property, the URNs of the resources whose outputs flowed into it. */
  readonly propertyDependencyUrns?: Readonly<Record<string, readonly string[]>>;
  readonly parentUrn?: string;
}

/** Raised by `notApplicable()`; the runner treats the policy as skipped for that resource. */
class NotApplicable extends Error {
  constructor(readonly reason?: string) {
    super(reason ?? "not applicable");
  }
}

/** Config a policy sees through `getConfig()`: its schema defaults overlaid with `given`. */
function policyConfig(policy: Policy, given: Record<string, unknown> = {}): Record<string, unknown> {
  const defaults: Record<string, unknown> = {};
  for (const [key, schema] of Object.entries(policy.configSchema?.properties ?? {})) {
    if (schema.default !== undefined) defaults[key] = schema.default;
  }
  return { ...defaults, ...given };
}

function urnOf(f: ResourceFixture): string {
  return f.urn ?? `urn:pulumi:test::test::${f.type}::${f.name}`;
}

function options(opts: Partial<PolicyResourceOptions> = {}): PolicyResourceOptions {
  return {
    protect: false,
    ignoreChanges: [],
    aliases: [],
    additionalSecretOutputs: [],
    customTimeouts: { createSeconds: 0, updateSeconds: 0, deleteSeconds: 0 },
    ...opts,
  };
}

/** `isType(aws.ec2.Instance)`: compares the class's Pulumi type token. */
function isTypeOf(type: string, resourceClass: unknown): boolean {
  return (resourceClass as { __pulumiType?: string }).__pulumiType === type;
}

function notApplicable(reason?: string): never {
  throw new NotApplicable(reason);
}

function resourceArgs(f: ResourceFixture, config: Record<string, unknown> = {}): ResourceValidationArgs {
  const props = f.props as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  return {
    type: f.type,
    name: f.name,
    urn: urnOf(f),
    props,
    opts: options(f.opts),
    provider: f.provider,
    stackTags: new Map(),
    isType: (cls) => isTypeOf(f.type, cls),
    asType: (cls) => (isTypeOf(f.type, cls) ? (props as never) : undefined),
    getConfig: <T extends object>() => config as T,
    notApplicable,
  };
}

/** Resources with their `dependencies`/`parent` links resolved against each other. */
export function stackResources(fixtures: readonly StackResourceFixture[]): PolicyResource[] {
  const byUrn = new Map<string, PolicyResource>();
  const resources = fixtures.map((f) => {
    const r: PolicyResource = {
      type: f.type,
      name: f.name,
      urn: urnOf(f),
      props: f.props as Record<string, any>, // eslint-disable-line @typescript-eslint/no-explicit-any
      opts: options(f.opts),
      provider: f.provider,
      dependencies: [],
      propertyDependencies: {},
      isType: (cls) => isTypeOf(f.type, cls),
      asType: (cls) => (isTypeOf(f.type, cls) ? (r as never) : undefined),
    };
    byUrn.set(r.urn, r);
    return r;
  });
  fixtures.forEach((f, i) => {
    const r = resources[i] as PolicyResource;
    for (const urn of f.dependencyUrns ?? []) {
      const dep = byUrn.get(urn);
      if (dep) r.dependencies.push(dep);
    }
    for (const [property, urns] of Object.entries(f.propertyDependencyUrns ?? {})) {
      r.propertyDependencies[property] = urns.flatMap((urn) => byUrn.get(urn) ?? []);
    }
    if (f.parentUrn) r.parent = byUrn.get(f.parentUrn);
  });
  return resources;
}

function stackArgs(resources: PolicyResource[], config: Record<string, unknown> = {}): StackValidationArgs {
  return {
    resources,
    stackTags: new Map(),
    getConfig: <T extends object>() => config as T,
    notApplicable,
  };
}

export interface Violation {
  readonly policy: string;
  readonly enforcementLevel: EnforcementLevel;
  readonly message: string;
  /** The resource a stack policy blamed, if any. */
  readonly urn?: string;
}

function settle(result: unknown, policy: Policy): void {
  // Every rule of this pack is synchronous; a promise here would be a violation reported late.
  if (result !== undefined && typeof (result as { then?: unknown }).then === "function") {
    throw new Error(`policy ${policy.name} returned a promise; the offline runner expects synchronous rules`);
  }
}

const levelOf = (p: Policy): EnforcementLevel => p.enforcementLevel ?? "mandatory";

/** Runs one resource policy on one resource and returns its violations. */
function runResourcePolicy(policy: ResourceValidationPolicy, args: ResourceValidationArgs): Violation[] {
  const out: Violation[] = [];
  const report = (message: string) =>
    out.push({ policy: policy.name, enforcementLevel: levelOf(policy), message });
  const validations = policy.validateResource;
  for (const validate of Array.isArray(validations) ? validations : validations ? [validations] : []) {
    try {
      settle(validate(args, report), policy);
    } catch (err) {
      if (!(err instanceof NotApplicable)) throw err;
    }
  }
  return out;
}

/** Runs one stack policy and returns its violations (with the blamed URN, if any). */
function runStackPolicy(policy: StackValidationPolicy, args: StackValidationArgs): Violation[] {
  const out: Violation[] = [];
  const report = (message: string, urn?: string) =>
    out.push({ policy: policy.name, enforcementLevel: levelOf(policy), message, ...(urn ? { urn } : {}) });
  try {
    settle(policy.validateStack(args, report), policy);
  } catch (err) {
    if (!(err instanceof NotApplicable)) throw err;
  }
  return out;
}

/** What `policy` reports for one resource; its config is the schema's defaults under `given`. */
export function checkResource(
  policy: ResourceValidationPolicy,
  fixture: ResourceFixture,
  given: Record<string, unknown> = {},
): Violation[] {
  return runResourcePolicy(policy, resourceArgs(fixture, policyConfig(policy, given)));
}

/** What `policy` reports for the resources of one stack (see `stackResources`). */
export function checkStack(
  policy: StackValidationPolicy,
  resources: PolicyResource[],
  given: Record<string, unknown> = {},
): Violation[] {
  return runStackPolicy(policy, stackArgs(resources, policyConfig(policy, given)));
}
