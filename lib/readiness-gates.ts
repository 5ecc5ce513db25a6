import type * as Ssm from "@aws-sdk/client-ssm";
import * as pulumi from "@pulumi/pulumi";
import type { CheckResult } from "./readiness";
import { pollUntil, systemClock } from "./readiness";

/**
 * Readiness gates as Pulumi dynamic resources: creating one blocks (with backoff, never a fixed
 * sleep) until an external condition holds, so resources that `dependsOn` it start only then.
 * The classifiers are pure and unit-tested; the SDK/HTTP calls around them run only during a real
 * `pulumi up` (mocks never call a dynamic provider), so only a real run confirms those calls.
 */

// ---- pure classifiers -------------------------------------------------------------------------

/**
 * The Oracle host writes `ready:<instance-id>` when XStream is configured, or
 * `failed:<instance-id>: <reason>` when setup broke. When the expected instance id is known only that
 * host's signal counts, so a stale signal left by a replaced instance neither opens the gate early nor
 * fails it before the new host has run (docs/design-decisions.md#ready-signal-readyinstance-id-in-an-ssm-parameter).
 */
export function classifyReadyParameter(value: string | undefined, instanceId?: string): CheckResult {
  const v = (value ?? "").trim();
  if (v === "ready") {
    return instanceId === undefined
      ? { state: "ready" }
      : { state: "waiting", status: `an unscoped "ready" is not trusted; waiting for ready:${instanceId}` };
  }
  const from = /^ready:(\S+)$/.exec(v)?.[1];
  if (from !== undefined) {
    return instanceId === undefined || from === instanceId
      ? { state: "ready" }
      : { state: "waiting", status: `the ready signal is from host ${from}, not ${instanceId}` };
  }
  const failedOn = /^failed:(\S+?):/.exec(v)?.[1];
  if (failedOn !== undefined && instanceId !== undefined && failedOn !== instanceId) {
    return { state: "waiting", status: `the failure signal is from host ${failedOn}, not ${instanceId}` };
  }
  if (/^failed\b/i.test(v)) return { state: "failed", status: `the host reported "${v}"` };
  return { state: "waiting", status: v === "" ? "parameter is empty" : `value is "${v}"` };
}

/** An SSM error: a missing parameter or throttling means "not yet"; missing rights will not heal. */
export function classifySsmError(err: unknown): CheckResult {
  const name = (err as { name?: string } | null)?.name ?? "Error";
  const message = (err as { message?: string } | null)?.message ?? String(err);
  if (name === "ParameterNotFound") return { state: "waiting", status: "parameter does not exist yet" };
  if (/AccessDenied|UnrecognizedClient|InvalidSignature|ExpiredToken/.test(name)) {
    return { state: "failed", status: `${name}: ${message} (check the deployer's AWS credentials)` };
  }
  return { state: "waiting", status: `${name}: ${message}` };
}

/**
 * A Schema Registry `GET /subjects` answer. 401/403 count as "not yet": a new API key and its role
 * bindings take a while to propagate, and a permanent denial still ends in a timeout that names it.
 */
export function classifySubjects(httpStatus: number, body: unknown, wanted: readonly string[]): CheckResult {
  if (httpStatus !== 200) return { state: "waiting", status: `HTTP ${httpStatus} from GET /subjects` };
  if (!Array.isArray(body)) return { state: "waiting", status: "GET /subjects did not return a JSON list" };
  const have = new Set(body.filter((s): s is string => typeof s === "string"));
  const missing = wanted.filter((s) => !have.has(s));
  return missing.length === 0
    ? { state: "ready" }
    : { state: "waiting", status: `missing ${missing.join(", ")}` };
}

/** Basic-auth header for a Confluent API key. */
export function basicAuth(key: string, secret: string): string {
  return `Basic ${Buffer.from(`${key}:${secret}`).toString("base64")}`;
}

const minutes = (m: number) => m * 60_000;

// ---- Oracle ready signal (SSM parameter) ------------------------------------------------------

interface SsmGateInputs {
  readonly region: string;
  readonly parameterName: string;
  /** Part of the identity: a replaced Oracle host must signal again before its connector starts. */
  readonly instanceId: string;
  readonly timeoutMinutes: number;
}

/** @internal exported for tests */
export const ssmGateProvider: pulumi.dynamic.ResourceProvider<SsmGateInputs, SsmGateInputs> = {
  async create(inputs) {
    // Loaded when the gate runs, not when a program registers it: the offline plan and the tests
    // register gates by the dozen and never call AWS.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { GetParameterCommand, SSMClient } = require("@aws-sdk/client-ssm") as typeof Ssm;
    const ssm = new SSMClient({ region: inputs.region });
    await pollUntil({
      description: `the Oracle ready signal (SSM parameter ${inputs.parameterName} = "ready", host ${inputs.instanceId})`,
      timeoutMs: minutes(inputs.timeoutMinutes),
      initialDelayMs: 10_000,
      maxDelayMs: 60_000,
      clock: systemClock,
      check: async () => {
        try {
          const out = await ssm.send(new GetParameterCommand({ Name: inputs.parameterName }));
          return classifyReadyParameter(out.Parameter?.Value, inputs.instanceId);
        } catch (err) {
          return classifySsmError(err);
        }
      },
    });
    return { id: `${inputs.instanceId}:${inputs.parameterName}`, outs: inputs };
  },
  async diff(_id, olds, news) {
    const replaces = (["region", "parameterName", "instanceId"] as const).filter((k) => olds[k] !== news[k]);
    return { changes: replaces.length > 0 || olds.timeoutMinutes !== news.timeoutMinutes, replaces };
  },
  // Only the timeout can change in place, and it matters only while creating.
  async update(_id, _olds, news) {
    return { outs: news };
  },
};

export interface SsmParameterGateArgs {
  /** AWS region of the parameter. */
  readonly region: pulumi.Input<string>;
  /** SSM parameter the host sets to `ready` (or `failed: …`). */
  readonly parameterName: pulumi.Input<string>;
  /** EC2 instance id of the host; a new instance re-runs the gate. */
  readonly instanceId: pulumi.Input<string>;
  /** How long to wait before failing the deployment. */
  readonly timeoutMinutes: pulumi.Input<number>;
}

/** Completes when the Oracle host has set its SSM ready parameter to `ready`. */
export class SsmParameterGate extends pulumi.dynamic.Resource {
  declare readonly parameterName: pulumi.Output<string>;

  constructor(name: string, args: SsmParameterGateArgs, opts?: pulumi.CustomResourceOptions) {
    super(ssmGateProvider, name, { ...args }, opts, "readiness", "SsmParameterGate");
  }
}

// ---- Schema Registry subjects -----------------------------------------------------------------

interface SubjectsGateInputs {
  readonly endpoint: string;
  readonly apiKey: string;
  readonly apiSecret: string;
  readonly subjects: string[];
  readonly timeoutMinutes: number;
}

interface SubjectsGateOutputs {
  readonly endpoint: string;
  readonly subjects: string[];
  readonly timeoutMinutes: number;
}

/** @internal exported for tests */
export const subjectsGateProvider: pulumi.dynamic.ResourceProvider<SubjectsGateInputs, SubjectsGateOutputs> =
  {
    async create(inputs) {
      const url = `${inputs.endpoint.replace(/\/+$/, "")}/subjects`;
      const headers = {
        Authorization: basicAuth(inputs.apiKey, inputs.apiSecret),
        Accept: "application/json",
      };
      await pollUntil({
        description: `Schema Registry subjects ${inputs.subjects.join(", ")} at ${inputs.endpoint}`,
        timeoutMs: minutes(inputs.timeoutMinutes),
        initialDelayMs: 5_000,
        maxDelayMs: 30_000,
        clock: systemClock,
        check: async () => {
          try {
            const res = await fetch(url, { headers, signal: AbortSignal.timeout(20_000) });
            const body: unknown = res.status === 200 ? await res.json() : undefined;
            return classifySubjects(res.status, body, inputs.subjects);
          } catch (err) {
            return { state: "waiting", status: `request failed: ${(err as Error).message}` };
          }
        },
      });
      // The API secret is deliberately not part of the stored outputs.
      const outs = {
        endpoint: inputs.endpoint,
        subjects: inputs.subjects,
        timeoutMinutes: inputs.timeoutMinutes,
      };
      return { id: `subjects:${inputs.subjects.join(",")}`, outs };
    },
    async diff(_id, olds, news) {
      const replaces = [
        ...(olds.endpoint !== news.endpoint ? ["endpoint"] : []),
        ...(JSON.stringify(olds.subjects) !== JSON.stringify(news.subjects) ? ["subjects"] : []),
      ];
      return { changes: replaces.length > 0 || olds.timeoutMinutes !== news.timeoutMinutes, replaces };
    },
    async update(_id, _olds, news) {
      return {
        outs: { endpoint: news.endpoint, subjects: news.subjects, timeoutMinutes: news.timeoutMinutes },
      };
    },
  };

export interface SchemaSubjectsGateArgs {
  /** Schema Registry REST endpoint. */
  readonly endpoint: pulumi.Input<string>;
  /** A Schema Registry API key allowed to read the subjects. */
  readonly apiKey: pulumi.Input<string>;
  /** Its secret; kept a Pulumi secret in state. */
  readonly apiSecret: pulumi.Input<string>;
  /** Subjects that must all exist, e.g. `fd.SAMPLE.AUTH_USER-value`. */
  readonly subjects: pulumi.Input<pulumi.Input<string>[]>;
  /** How long to wait before failing the deployment. */
  readonly timeoutMinutes: pulumi.Input<number>;
}

/** Completes when every listed subject exists in Schema Registry. */
export class SchemaSubjectsGate extends pulumi.dynamic.Resource {
  declare readonly subjects: pulumi.Output<string[]>;

  constructor(name: string, args: SchemaSubjectsGateArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      subjectsGateProvider,
      name,
      { ...args, apiSecret: pulumi.secret(args.apiSecret) },
      { ...opts, additionalSecretOutputs: ["apiSecret"] },
      "readiness",
      "SchemaSubjectsGate",
    );
  }
}
