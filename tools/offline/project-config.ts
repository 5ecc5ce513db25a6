import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { load as parse } from "js-yaml";

/**
 * Reads a stack project's `Pulumi.yaml` config declarations and a `Pulumi.<stack>.yaml` file the
 * way the Pulumi CLI combines them (declared defaults, then stack values), for the offline plan,
 * the tests and the generated docs. Real runs get the same merge from the CLI itself
 * (docs/design-decisions.md#defaults-live-in-pulumiyaml).
 */

export const STACKS_ROOT = path.resolve(__dirname, "..", "..", "stacks");

export interface DeclaredKey {
  readonly key: string;
  readonly type: "string" | "integer" | "boolean" | "array";
  readonly description: string;
  readonly default?: unknown;
  readonly secret: boolean;
}

export interface ProjectFile {
  readonly name: string;
  readonly dir: string;
  readonly keys: readonly DeclaredKey[];
}

export interface RawDeclaration {
  type?: DeclaredKey["type"];
  description?: string;
  default?: unknown;
  secret?: boolean;
  items?: { type?: string };
}

/** Whether `value` has the declared config type, as the CLI checks defaults (`ValidateConfigValue`). */
function hasConfigType(type: string | undefined, items: RawDeclaration["items"], value: unknown): boolean {
  switch (type) {
    case "string":
      return typeof value === "string";
    case "integer":
      return Number.isInteger(value) || (typeof value === "string" && /^[+-]?\d+$/.test(value));
    case "boolean":
      return typeof value === "boolean" || value === "true" || value === "false";
    case "array":
      return (
        Array.isArray(value) && items !== undefined && value.every((v) => hasConfigType(items.type, {}, v))
      );
    default:
      return false;
  }
}

/**
 * What the Pulumi CLI refuses in a project config declaration before it runs the program: an array
 * without an `items` type, or a default that does not have the declared type. `undefined` when accepted.
 */
export function declarationProblem(key: string, decl: RawDeclaration): string | undefined {
  if (decl.type === "array" && decl.items?.type === undefined) {
    return `config key '${key}' declares an array without an 'items' type (e.g. items: {type: string}); the Pulumi CLI refuses such a project`;
  }
  if ("default" in decl && !hasConfigType(decl.type, decl.items, decl.default)) {
    return `config key '${key}': the default ${JSON.stringify(decl.default)} is not of type ${decl.type ?? "(none)"}`;
  }
  return undefined;
}

export function readProject(dirName: string): ProjectFile {
  const dir = path.join(STACKS_ROOT, dirName);
  const doc = parse(readFileSync(path.join(dir, "Pulumi.yaml"), "utf8")) as {
    name: string;
    config?: Record<string, RawDeclaration | string | number | boolean>;
  };
  const keys: DeclaredKey[] = [];
  for (const [key, decl] of Object.entries(doc.config ?? {})) {
    if (typeof decl !== "object" || decl === null) {
      throw new Error(
        `${dirName}/Pulumi.yaml: config key '${key}' must declare type, description and default`,
      );
    }
    if (!decl.type || !decl.description) {
      throw new Error(`${dirName}/Pulumi.yaml: config key '${key}' needs a type and a description`);
    }
    const problem = declarationProblem(key, decl);
    if (problem) throw new Error(`${dirName}/Pulumi.yaml: ${problem}`);
    keys.push({
      key,
      type: decl.type,
      description: decl.description,
      ...("default" in decl ? { default: decl.default } : {}),
      secret: decl.secret ?? false,
    });
  }
  return { name: doc.name, dir, keys };
}

/** Pulumi hands every config value to a program as a string; lists and objects as JSON. */
export function configString(v: unknown): string {
  return typeof v === "string" ? v : JSON.stringify(v);
}

/**
 * The config a program sees for `stack`: declared defaults overlaid with `Pulumi.<stack>.yaml`,
 * fully qualified (`project:key`, `aws:region`) and stringified. `secure:` values cannot be
 * decrypted offline and are reported in `secretKeys` with a placeholder value.
 */
export function stackConfig(
  project: ProjectFile,
  stack: string,
  overrides: Readonly<Record<string, unknown>> = {},
): { config: Record<string, string>; secretKeys: string[] } {
  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  const qualify = (k: string) => (k.includes(":") ? k : `${project.name}:${k}`);
  for (const k of project.keys) {
    if (k.default !== undefined) config[qualify(k.key)] = configString(k.default);
  }
  const file = path.join(project.dir, `Pulumi.${stack}.yaml`);
  const values = existsSync(file)
    ? ((parse(readFileSync(file, "utf8")) as { config?: Record<string, unknown> } | null)?.config ?? {})
    : {};
  for (const [k, v] of Object.entries({ ...values, ...overrides })) {
    const key = qualify(k);
    if (typeof v === "object" && v !== null && "secure" in v) {
      secretKeys.push(key);
      config[key] = "offline-placeholder-secret";
    } else if (v === undefined || v === null) {
      delete config[key];
    } else {
      config[key] = configString(v);
    }
  }
  return { config, secretKeys };
}

/** Declared defaults as raw (unqualified, stringified) config, for loader unit tests. */
export function declaredDefaults(project: ProjectFile): Record<string, string> {
  return Object.fromEntries(
    project.keys.filter((k) => k.default !== undefined).map((k) => [k.key, configString(k.default)]),
  );
}
