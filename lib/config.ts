import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";

/**
 * Raw stack configuration exactly as Pulumi hands it to a program: every value is a string
 * (numbers, booleans and lists arrive as their text / JSON form) or absent.
 */
export type RawConfig = Readonly<Record<string, string | undefined>>;

/** One bad config value: which key, what was given, and what is allowed. */
export interface ConfigProblem {
  readonly key: string;
  readonly value: string | undefined;
  readonly message: string;
}

/** Thrown before any resource registers when the stack configuration is invalid. */
export class ConfigError extends Error {
  constructor(
    readonly project: string,
    readonly problems: readonly ConfigProblem[],
  ) {
    super(
      `Invalid configuration for ${project}:\n` +
        problems
          .map((p) => `  - ${qualify(project, p.key)} = ${JSON.stringify(p.value ?? null)}: ${p.message}`)
          .join("\n"),
    );
    this.name = "ConfigError";
  }
}

/** `prefix` → `aws-resources:prefix`; keys of other namespaces (`aws:region`) stay as they are. */
export function qualify(project: string, key: string): string {
  return key.includes(":") ? key : `${project}:${key}`;
}

/**
 * Validates raw config against a zod object schema and returns the typed result.
 * Every problem is reported at once, each naming the key, the value and what is allowed.
 */
export function parseConfig<S extends z.ZodObject>(project: string, schema: S, raw: RawConfig): z.output<S> {
  const known = new Set(Object.keys(schema.shape));
  const unknownKeys = Object.keys(raw).filter((k) => !known.has(k) && raw[k] !== undefined);
  const result = schema.safeParse(raw);
  const problems: ConfigProblem[] = unknownKeys.map((key) => ({
    key,
    value: raw[key],
    message: `unknown key; allowed keys: ${[...known].sort().join(", ")}`,
  }));
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = String(issue.path[0] ?? "(root)");
      const detail = issue.path.length > 1 ? ` (at ${issue.path.slice(1).join(".")})` : "";
      problems.push({ key, value: raw[key], message: issue.message + detail });
    }
  }
  if (problems.length > 0 || !result.success) throw new ConfigError(project, problems);
  return result.data;
}

/**
 * Reads the listed keys of the current project's configuration as raw strings.
 * Namespaced keys (`aws:region`) are read from their own namespace. A secret config value arrives
 * plain here, for validation only: the stack that declares it (e.g. processing's
 * `snowflakePrivateKey`) never echoes it in errors and wraps it with `pulumi.secret` where it is used.
 */
export function readRawConfig(keys: readonly string[]): Record<string, string | undefined> {
  const project = new pulumi.Config();
  const raw: Record<string, string | undefined> = {};
  for (const key of keys) {
    const [ns, name] = key.includes(":") ? key.split(":", 2) : [undefined, key];
    const cfg = ns ? new pulumi.Config(ns) : project;
    raw[key] = cfg.get(name ?? key);
  }
  // A key set in this project's namespace that the program does not read is a typo
  // (`protectdata: true` would silently leave the data stores unprotected): hand it to the loader,
  // whose parseConfig names it as unknown. Its value is not shown, it may be a mistyped secret.
  const namespace = `${pulumi.getProject()}:`;
  for (const full of Object.keys(pulumi.runtime.allConfig())) {
    const name = full.slice(namespace.length);
    if (full.startsWith(namespace) && !(name in raw)) raw[name] = UNREAD_VALUE;
  }
  return raw;
}

/** Stands in for the value of a config key the program does not read (see readRawConfig). */
const UNREAD_VALUE = "[not read]";

// ---- decoders: raw config string → typed value, with messages that say what is allowed ----

/** Pulumi gives an unset key and `""` alike to some callers; both mean "not set". */
export const emptyToUndefined = (v: unknown) => (v === "" ? undefined : v);

/** A string value (empty string counts as unset). */
export const str = () => z.preprocess(emptyToUndefined, z.string());

/** A required string matching `re`; an empty value is reported as missing with the same explanation. */
export function matches(re: RegExp, message: string) {
  return z.preprocess(
    emptyToUndefined,
    z.string({ error: `is required; ${message}` }).regex(re, { error: message }),
  );
}

/** Like `matches`, but empty means "not set". */
export function optionalMatches(re: RegExp, message: string) {
  return z.preprocess(emptyToUndefined, z.string().regex(re, { error: message }).optional());
}

/** An integer within [min, max]. */
export function int(min: number, max: number) {
  return z.preprocess(
    (v) => (typeof v === "string" && v.trim() !== "" ? Number(v) : emptyToUndefined(v)),
    z
      .number({ error: `must be an integer from ${min} to ${max}` })
      .int({ error: `must be an integer from ${min} to ${max}` })
      .min(min, { error: `must be an integer from ${min} to ${max}` })
      .max(max, { error: `must be an integer from ${min} to ${max}` }),
  );
}

/** A number within [min, max] (decimals allowed). */
export function num(min: number, max: number) {
  const error = `must be a number from ${min} to ${max}`;
  return z.preprocess(
    (v) => (typeof v === "string" && v.trim() !== "" ? Number(v) : emptyToUndefined(v)),
    z.number({ error }).min(min, { error }).max(max, { error }),
  );
}

/** `true` or `false`. */
export function bool() {
  return z.preprocess(
    (v) => (v === "true" ? true : v === "false" ? false : emptyToUndefined(v)),
    z.boolean({ error: 'must be "true" or "false"' }),
  );
}

/** A JSON list (Pulumi stores `type: array` config as JSON text) whose items satisfy `item`. */
export function list<T extends z.ZodType>(item: T) {
  return z.preprocess(
    (v) => {
      if (typeof v !== "string") return v;
      if (v.trim() === "") return undefined;
      try {
        return JSON.parse(v) as unknown;
      } catch {
        return v;
      }
    },
    z.array(item, { error: 'must be a JSON list, e.g. ["10.1.0.0/16"]' }),
  );
}

/** One of a fixed set of strings. */
export function oneOf<const T extends readonly [string, ...string[]]>(values: T) {
  return z.preprocess(emptyToUndefined, z.enum(values, { error: `must be one of: ${values.join(", ")}` }));
}
