import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";
import { computedOutputs, invokeFixtures } from "./fixtures";
import type { InvokeFixture } from "./fixtures";
import { shortHash } from "./fixtures/types";
import { maskSecrets, unwrapSecrets } from "./secrets";
import { engineUrn } from "./urn";

/** One resource the mocked engine saw, with everything tests and the plan report need. */
export interface RecordedResource {
  readonly type: string;
  readonly name: string;
  readonly urn: string;
  readonly custom: boolean;
  /** Inputs with secrets unwrapped — for assertions only, never print these. */
  readonly inputs: Record<string, unknown>;
  /** Inputs with secret values replaced by "[secret]" — safe to print. */
  readonly maskedInputs: Record<string, unknown>;
  /** Dotted paths of inputs that arrived as secrets. */
  readonly secretInputPaths: readonly string[];
  readonly parentUrn: string;
  /** URNs of explicit and implicit (input) dependencies. */
  readonly dependencyUrns: readonly string[];
  /** Per input property, the URNs of the resources whose outputs flowed into it. */
  readonly propertyDependencyUrns: Readonly<Record<string, readonly string[]>>;
  readonly protect: boolean;
  readonly retainOnDelete: boolean;
  readonly deletedWithUrn: string;
  readonly ignoreChanges: readonly string[];
  /** Input paths whose change replaces the resource rather than updating it. */
  readonly replaceOnChanges: readonly string[];
  /** Custom create/update/delete timeouts, e.g. `{ create: "20m" }`. */
  readonly customTimeouts: Readonly<Record<string, string>>;
  readonly additionalSecretOutputs: readonly string[];
  readonly providerRef: string;
  /**
   * The URNs its `aliases` option names, resolved as the engine resolves them. The engine also gives
   * each child of an aliased parent an inherited alias (see `inheritedAlias`), not listed here.
   */
  readonly aliases: readonly string[];
}

export interface RecordedInvoke {
  readonly token: string;
  readonly inputs: Record<string, unknown>;
}

/** A stack output already present on an upstream stack, as a StackReference reads it. */
export interface UpstreamStack {
  readonly outputs: Record<string, unknown>;
  readonly secretOutputNames: readonly string[];
}

export interface RecorderOptions {
  readonly region: string;
  readonly account?: string;
  /** Upstream stacks by fully qualified name (`org/project/stack`), served to StackReferences. */
  readonly upstream?: Readonly<Record<string, UpstreamStack>>;
  /** Extra or overriding invoke fixtures (a test that wants a different data-source answer). */
  readonly invokes?: Readonly<Record<string, InvokeFixture>>;
}

/**
 * Recording mocks: every registered resource and invoke is kept in order, resources get
 * plausible computed outputs from the fixtures, and an invoke without a fixture throws, so a new
 * data source cannot slip into a program untested.
 */
export class RecordingMocks implements pulumi.runtime.Mocks {
  readonly resources: RecordedResource[] = [];
  readonly invokes: RecordedInvoke[] = [];
  private readonly pending = new Map<string, Omit<RecordedResource, "urn">>();
  private readonly account: string;

  constructor(private readonly opts: RecorderOptions) {
    this.account = opts.account ?? "123456789012";
  }

  call(args: pulumi.runtime.MockCallArgs): Record<string, unknown> {
    const { value: inputs } = unwrapSecrets(args.inputs);
    const plainInputs = inputs as Record<string, unknown>;
    this.invokes.push({ token: args.token, inputs: plainInputs });
    const fixture = this.opts.invokes?.[args.token] ?? invokeFixtures[args.token];
    if (!fixture) {
      const err = new Error(
        `No mock for invoke ${args.token}; add a fixture in tools/offline/fixtures before calling it`,
      );
      // The SDK rebuilds invoke errors from the gRPC `details` field, so carry the message there too.
      throw Object.assign(err, { details: err.message });
    }
    return fixture(plainInputs, { region: this.opts.region, account: this.account });
  }

  newResource(args: pulumi.runtime.MockResourceArgs): { id: string; state: Record<string, unknown> } {
    if (args.type === "pulumi:pulumi:StackReference") {
      const name = String((args.inputs as { name?: unknown }).name ?? args.name);
      const upstream = this.opts.upstream?.[name];
      if (!upstream) throw new Error(`No upstream stack '${name}' was given to the mocks`);
      return {
        id: name,
        state: { name, outputs: upstream.outputs, secretOutputNames: [...upstream.secretOutputNames] },
      };
    }
    const { value, secretPaths } = unwrapSecrets(args.inputs);
    const inputs = value as Record<string, unknown>;
    const ctx = { type: args.type, name: args.name, inputs, region: this.opts.region, account: this.account };
    const computed = computedOutputs[args.type]?.(ctx) ?? {};
    const id =
      typeof computed.id === "string" ? computed.id : `${args.name}-${shortHash(args.type + args.name)}`;
    const state: Record<string, unknown> = {
      ...args.inputs,
      ...computed,
      ...autoNamed(args.type, args.name, inputs),
    };
    if (isKubernetesObject(args.type)) {
      // The API server gives every object a uid; a re-created object gets a new one.
      const metadata = (state.metadata ?? {}) as Record<string, unknown>;
      state.metadata = { ...metadata, uid: mockUid(args.type + args.name) };
    }
    if (args.type.startsWith("aws:") && state.arn === undefined) {
      state.arn = `arn:aws:${args.type.split(/[:/]/)[1]}:${this.opts.region}:${this.account}:${args.name}`;
    }
    const detail = this.pending.get(`${args.type}::${args.name}`);
    this.resources.push({
      ...(detail ?? recordedResource(args.type, args.name)),
      inputs,
      maskedInputs: maskSecrets(args.inputs) as Record<string, unknown>,
      secretInputPaths: secretPaths,
      custom: args.custom ?? true,
      urn: "",
    });
    return { id, state };
  }

  /**
   * The Mocks interface only sees type, name and inputs. Parent, dependencies and resource options
   * live on the gRPC request, so the monitor is wrapped to capture them before it calls `newResource`.
   * The mock monitor's own URNs name only the nearest parent's type; the engine names the whole chain
   * below the root stack, so URNs are built the engine's way.
   */
  captureRequestDetails(): void {
    const monitor = pulumi.runtime.getMonitor() as unknown as {
      registerResource: (
        req: RegisterRequest,
        cb: (err: unknown, res: { getUrn(): string }) => void,
      ) => unknown;
      newUrn: (parent: string, type: string, name: string) => string;
    };
    monitor.newUrn = (parent, type, name) =>
      engineUrn(pulumi.getStack(), pulumi.getProject(), parent, type, name);
    const original = monitor.registerResource.bind(monitor);
    monitor.registerResource = (req, cb) => {
      const type = req.getType();
      const name = req.getName();
      this.pending.set(`${type}::${name}`, detailFromRequest(req));
      return original(req, (err, res) => {
        if (!err && res) {
          const i = this.resources.findIndex((r) => r.type === type && r.name === name && r.urn === "");
          const rec = this.resources[i];
          if (rec) this.resources[i] = { ...rec, urn: res.getUrn() };
        }
        cb(err, res);
      });
    };
  }
}

const isKubernetesObject = (type: string) =>
  type.startsWith("kubernetes:") && !type.startsWith("kubernetes:index");

/** A deterministic uid in the API server's UUID form. */
function mockUid(seed: string): string {
  const h = createHash("sha256").update(seed).digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/**
 * Providers auto-name resources that are given no name (`<logical name>-<random>`); mocks do not,
 * and an undefined name silently drops the dependency of anything that references it. So give
 * every unnamed AWS resource and Kubernetes object the name the provider would.
 */
function autoNamed(
  type: string,
  logicalName: string,
  inputs: Record<string, unknown>,
): Record<string, unknown> {
  // Suffix lengths as the providers generate them: 7 hex characters for AWS, 8 for Kubernetes.
  if (type.startsWith("aws:") && inputs.name === undefined) {
    return { name: `${logicalName}-${shortHash(type + logicalName, 7)}`.toLowerCase() };
  }
  if (isKubernetesObject(type)) {
    const metadata = (inputs.metadata ?? {}) as Record<string, unknown>;
    const name = `${logicalName}-${shortHash(type + logicalName, 8)}`.toLowerCase();
    if (metadata.name === undefined) return { metadata: { ...metadata, name } };
  }
  return {};
}

interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getDependenciesList(): string[];
  getPropertydependenciesMap(): {
    forEach(cb: (v: { getUrnsList(): string[] }, key: string) => void): void;
  };
  getProtect(): boolean | undefined;
  getRetainondelete(): boolean | undefined;
  getDeletedwith(): string;
  getIgnorechangesList(): string[];
  getReplaceonchangesList(): string[];
  getCustomtimeouts(): { getCreate(): string; getUpdate(): string; getDelete(): string } | undefined;
  getAdditionalsecretoutputsList(): string[];
  getProvider(): string;
  getAliasesList(): AliasMessage[];
}

interface AliasMessage {
  hasUrn(): boolean;
  getUrn(): string;
  getSpec():
    | {
        getName(): string;
        getType(): string;
        getStack(): string;
        getProject(): string;
        getParenturn(): string;
        getNoparent(): boolean;
      }
    | undefined;
}

/** An alias of the resource `req` registers, as the URN it names (what is not given stays as it is). */
function aliasUrn(req: RegisterRequest, alias: AliasMessage): string {
  const spec = alias.getSpec();
  if (alias.hasUrn() || !spec) return alias.getUrn();
  return engineUrn(
    spec.getStack() || pulumi.getStack(),
    spec.getProject() || pulumi.getProject(),
    spec.getNoparent() ? "" : spec.getParenturn() || req.getParent(),
    spec.getType() || req.getType(),
    spec.getName() || req.getName(),
  );
}

function detailFromRequest(req: RegisterRequest): Omit<RecordedResource, "urn"> {
  const deps = new Set(req.getDependenciesList());
  const byProperty: Record<string, string[]> = {};
  req.getPropertydependenciesMap().forEach((v, key) => {
    byProperty[key] = v.getUrnsList();
    v.getUrnsList().forEach((u) => deps.add(u));
  });
  return {
    ...recordedResource(req.getType(), req.getName()),
    parentUrn: req.getParent(),
    dependencyUrns: [...deps],
    propertyDependencyUrns: byProperty,
    protect: req.getProtect() ?? false,
    retainOnDelete: req.getRetainondelete() ?? false,
    deletedWithUrn: req.getDeletedwith(),
    ignoreChanges: req.getIgnorechangesList(),
    replaceOnChanges: req.getReplaceonchangesList(),
    customTimeouts: timeoutsOf(req.getCustomtimeouts()),
    additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
    providerRef: req.getProvider(),
    aliases: req.getAliasesList().map((a) => aliasUrn(req, a)),
  };
}

function timeoutsOf(t: ReturnType<RegisterRequest["getCustomtimeouts"]>): Record<string, string> {
  if (!t) return {};
  const all = { create: t.getCreate(), update: t.getUpdate(), delete: t.getDelete() };
  return Object.fromEntries(Object.entries(all).filter(([, v]) => v !== ""));
}

/**
 * A recorded resource with nothing known beyond its type and name except what `extra` gives: the
 * mocks start every resource from it, and tests build hand-made plan inputs with it.
 */
export function recordedResource(
  type: string,
  name: string,
  extra: Partial<RecordedResource> = {},
): RecordedResource {
  return {
    type,
    name,
    urn: "",
    custom: true,
    inputs: {},
    maskedInputs: {},
    secretInputPaths: [],
    parentUrn: "",
    dependencyUrns: [],
    propertyDependencyUrns: {},
    protect: false,
    retainOnDelete: false,
    deletedWithUrn: "",
    ignoreChanges: [],
    replaceOnChanges: [],
    customTimeouts: {},
    additionalSecretOutputs: [],
    providerRef: "",
    aliases: [],
    ...extra,
  };
}
