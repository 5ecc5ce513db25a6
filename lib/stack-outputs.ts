import * as pulumi from "@pulumi/pulumi";
import type { z } from "zod";

/**
 * The machinery behind the typed stack-output contracts (the contracts themselves live in
 * `contracts.ts`). A contract lists each exported output, its type and whether it is secret; the
 * producing stack exports exactly that shape, and consumers read it only through `readUpstream`.
 */

export interface Field<T, S extends boolean> {
  readonly schema: z.ZodType<T>;
  readonly secret: S;
  readonly description: string;
}

export const plain = <T>(schema: z.ZodType<T>, description: string): Field<T, false> => ({
  schema,
  secret: false,
  description,
});

export const secret = <T>(schema: z.ZodType<T>, description: string): Field<T, true> => ({
  schema,
  secret: true,
  description,
});

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Contract = Readonly<Record<string, Field<any, boolean>>>;

type FieldValue<F> = F extends Field<infer T, boolean> ? T : never;

/** What a stack program returns: every field, each possibly still an Output. */
export type Exports<C extends Contract> = { readonly [K in keyof C]: pulumi.Input<FieldValue<C[K]>> };

/** What a consumer gets: plain values for plain fields, secret Outputs for secret ones. */
export type Upstream<C extends Contract> = {
  readonly [K in keyof C]: C[K] extends Field<infer T, true> ? pulumi.Output<T> : FieldValue<C[K]>;
};

/** Names of a contract's secret outputs, for `secretOutputNames` in mocks and docs. */
export function secretNames(contract: Contract): string[] {
  return Object.entries(contract)
    .filter(([, f]) => f.secret)
    .map(([k]) => k);
}

/**
 * Wraps the secret fields of a stack's exports with `pulumi.secret`, so the contract — not each
 * call site — decides what is secret, and returns exactly the contract's keys.
 */
export function exportContract<C extends Contract>(contract: C, values: Exports<C>): Exports<C> {
  const out: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(contract)) {
    const v = (values as Record<string, unknown>)[key];
    out[key] = field.secret ? pulumi.secret(v) : v;
  }
  return out as Exports<C>;
}

/** Thrown when an upstream stack's outputs do not satisfy the contract. */
export class UpstreamError extends Error {
  constructor(stackName: string, problems: readonly string[]) {
    super(
      `Stack reference ${stackName} does not satisfy its output contract:\n  - ${problems.join("\n  - ")}`,
    );
    this.name = "UpstreamError";
  }
}

/** Source of raw upstream outputs: a `pulumi.StackReference` in programs, a plain map in tests. */
export interface OutputSource {
  readonly name: string;
  getOutputDetails(key: string): Promise<{ value?: unknown; secretValue?: unknown }>;
}

/**
 * Reads and validates every field of `contract` from `source` before the caller creates any
 * resource. A missing output or a value of the wrong type is an error naming the output.
 */
export async function readUpstream<C extends Contract>(
  source: OutputSource,
  contract: C,
): Promise<Upstream<C>> {
  const problems: string[] = [];
  const result: Record<string, unknown> = {};
  await Promise.all(
    Object.entries(contract).map(async ([key, field]) => {
      const details = await source.getOutputDetails(key);
      const isSecret = details.secretValue !== undefined;
      const raw = isSecret ? details.secretValue : details.value;
      if (raw === undefined) {
        problems.push(`output '${key}' is missing (${field.description})`);
        return;
      }
      // A plain field is handed to consumers as a plain value (`Upstream<C>`), so one that arrives
      // secret cannot be used as declared without dropping its secrecy: refuse it instead.
      if (isSecret && !field.secret) {
        problems.push(
          `output '${key}' arrives secret but the contract declares it plain; declare it secret in ` +
            `lib/contracts.ts or export a non-secret value (${field.description})`,
        );
        return;
      }
      const parsed = field.schema.safeParse(raw);
      if (!parsed.success) {
        const why = parsed.error.issues.map((i) => i.message).join("; ");
        problems.push(`output '${key}' has the wrong type: ${why} (${field.description})`);
        return;
      }
      result[key] = field.secret ? pulumi.secret(parsed.data) : parsed.data;
    }),
  );
  if (problems.length > 0) throw new UpstreamError(source.name, problems.sort());
  return result as Upstream<C>;
}

/** Opens a `pulumi.StackReference` to `fullName` (`org/project/stack`) as an OutputSource. */
export function stackReference(fullName: string, opts?: pulumi.CustomResourceOptions): OutputSource {
  const ref = new pulumi.StackReference(fullName, { name: fullName }, opts);
  return { name: fullName, getOutputDetails: (key) => ref.getOutputDetails(key) };
}

/** The fully qualified name a StackReference opens: `<organization>/<project>/<stack>`. */
export function stackReferenceName(organization: string, project: string, stack: string): string {
  return `${organization}/${project}/${stack}`;
}

/**
 * The stack-reference name of an upstream project: `override` (a config value) when set, else the
 * same organisation's stack of the same name.
 */
/** Reads `contract` from `project`'s stack (its name as upstreamStackName gives it), validated up front. */
export function readUpstreamStack<C extends Contract>(
  project: string,
  override: string | undefined,
  contract: C,
): Promise<Upstream<C>> {
  return readUpstream(stackReference(upstreamStackName(project, override)), contract);
}

export function upstreamStackName(project: string, override?: string): string {
  return override || stackReferenceName(pulumi.getOrganization(), project, pulumi.getStack());
}
