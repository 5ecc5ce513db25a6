import { z } from "zod";
import type { Contract } from "../../lib/stack-outputs";
import type { ProjectFile } from "../offline/project-config";
import { markdownTable } from "../plan/format";
import type { CreationTime } from "../plan/estimate";

/**
 * Pure renderers of the docs' generated sections: every config key of every stack (from its
 * Pulumi.yaml), the stack-output contracts (from lib/contracts.ts) and the creation-time table of
 * the deployment estimate, each placed between `<!-- generated:<name> -->` markers.
 */

export function configSection(projects: readonly ProjectFile[]): string {
  return projects
    .map((p) => {
      const rows = p.keys.map((k) => [
        `\`${p.name}:${k.key}\``,
        k.type + (k.secret ? " (secret)" : ""),
        k.default === undefined ? "(required)" : `\`${JSON.stringify(k.default)}\``,
        k.description.trim(),
      ]);
      return `## ${p.name}\n\n${markdownTable(["Key", "Type", "Default", "Description"], rows)}`;
    })
    .join("\n\n");
}

/** A short type for a contract field, from its zod schema's JSON Schema. */
export function schemaType(schema: z.ZodType): string {
  const json = z.toJSONSchema(schema) as { type?: string; const?: unknown; items?: { type?: string } };
  if (json.const !== undefined) return JSON.stringify(json.const);
  if (json.type === "array") return `${json.items?.type ?? "unknown"}[]`;
  return json.type ?? "unknown";
}

export function outputsSection(contracts: readonly { project: string; contract: Contract }[]): string {
  return contracts
    .map(({ project, contract }) => {
      const rows = Object.entries(contract).map(([name, field]) => [
        `\`${name}\``,
        schemaType(field.schema as z.ZodType),
        field.secret ? "yes" : "",
        field.description,
      ]);
      return `## ${project}\n\n${markdownTable(["Output", "Type", "Secret", "Description"], rows)}`;
    })
    .join("\n\n");
}

export function estimatesSection(
  times: readonly CreationTime[],
  defaultMinutes: number,
  oracleSetup: number,
  innerPhaseStart: number,
): string {
  const rows = times.map((t) => [
    `\`${t.type}\`${t.name ? ` named like ${t.name.source}` : ""}`,
    String(t.minutes),
    t.range,
    t.why,
  ]);
  rows.push([
    "Oracle XE + XStream setup (user-data, background)",
    String(oracleSetup),
    "10–20",
    "readiness gate waits for it",
  ]);
  rows.push([
    "the runner starts the inner phase (private mode)",
    String(innerPhaseStart),
    "3–6",
    "CodeBuild in the VPC: network interface, npm ci, Pulumi CLI",
  ]);
  rows.push(["every other resource", String(defaultMinutes), "seconds", "API calls"]);
  return markdownTable(["Resource", "Minutes used", "Typical", "Why"], rows);
}

const open = (name: string) => `<!-- generated:${name} -->`;
const close = (name: string) => `<!-- /generated:${name} -->`;

/** Replaces the text between a section's markers; an error names markers that are missing. */
export function replaceSection(doc: string, name: string, content: string, file = "the document"): string {
  const start = doc.indexOf(open(name));
  const end = doc.indexOf(close(name));
  if (start < 0 || end < start) {
    throw new Error(`${file} needs the markers ${open(name)} … ${close(name)} (in that order)`);
  }
  return `${doc.slice(0, start + open(name).length)}\n${content.trim()}\n${doc.slice(end)}`;
}

/** `doc` with each of `sections` between its markers. */
export function renderSections(
  doc: string,
  sections: Readonly<Record<string, string>>,
  file?: string,
): string {
  return Object.entries(sections).reduce(
    (text, [name, content]) => replaceSection(text, name, content, file),
    doc,
  );
}
