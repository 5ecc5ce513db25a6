import type { DeclaredKey } from "../offline/project-config";
import { configString } from "../offline/project-config";
import { markdownTable } from "../plan/format";

/**
 * The generated dev/prod comparison of docs/profiles.md: for every stack project, the settings whose
 * value differs between two stack profiles (Pulumi.yaml defaults overlaid with Pulumi.<stack>.yaml),
 * so the table can never drift from the files.
 */

export interface ProfileInput {
  readonly project: string;
  readonly keys: readonly DeclaredKey[];
  /** Effective config per profile name, fully qualified keys, values as Pulumi hands them over. */
  readonly profiles: Readonly<Record<string, Readonly<Record<string, string>>>>;
}

/** A config value for a table cell: lists as their items, unset as "(unset)", secrets never shown. */
export function profileCell(value: string | undefined, secret: boolean): string {
  if (value === undefined) return "(unset)";
  if (secret) return "(secret)";
  if (value.startsWith("[")) {
    try {
      const items = JSON.parse(value) as unknown;
      if (Array.isArray(items))
        return items.length === 0 ? "`[]`" : items.map((i) => `\`${String(i)}\``).join(", ");
    } catch {
      // Not JSON: show as written.
    }
  }
  return value === "" ? '`""`' : `\`${value}\``;
}

/**
 * One row per key whose value differs between the profiles (each profile's value, then the declared
 * default), in Pulumi.yaml order, then keys Pulumi.yaml does not declare (e.g. `aws:region`).
 */
export function profileRows(input: ProfileInput, names: readonly string[]): string[][] {
  const qualify = (key: string) => (key.includes(":") ? key : `${input.project}:${key}`);
  const declared = input.keys.map((k) => ({
    key: qualify(k.key),
    secret: k.secret,
    default: k.default === undefined ? undefined : configString(k.default),
  }));
  const known = new Set(declared.map((k) => k.key));
  const extra = [...new Set(names.flatMap((n) => Object.keys(input.profiles[n] ?? {})))]
    .filter((k) => !known.has(k))
    .sort()
    .map((key) => ({ key, secret: false, default: undefined as string | undefined }));
  return [...declared, ...extra]
    .map((k) => ({ ...k, values: names.map((n) => input.profiles[n]?.[k.key]) }))
    .filter(({ values }) => new Set(values).size > 1)
    .map(({ key, secret, values, default: declaredDefault }) => [
      `\`${key}\``,
      ...values.map((v) => profileCell(v, secret)),
      profileCell(declaredDefault, secret),
    ]);
}

/** A table per project; a project whose profiles agree says so instead of showing an empty table. */
export function profilesSection(inputs: readonly ProfileInput[], names: readonly string[]): string {
  return inputs
    .map((input) => {
      const rows = profileRows(input, names);
      const body =
        rows.length === 0
          ? `The ${names.join(" and ")} profiles of ${input.project} are identical.`
          : markdownTable(["Setting", ...names, "Pulumi.yaml default"], rows);
      return `#### ${input.project}\n\n${body}`;
    })
    .join("\n\n");
}
