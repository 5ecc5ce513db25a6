/**
 * Small, pure text helpers shared by the console and Markdown renderers of the plan.
 */

/** A compact, single-line rendering of an input or output value, cut at `max` characters. */
export function formatValue(value: unknown, max = 60): string {
  let text: string;
  if (value === undefined) text = "";
  else if (typeof value === "string") text = value;
  else if (Array.isArray(value) && value.length === 0) text = "[]";
  else if (Array.isArray(value) && value.every((v) => typeof v !== "object" || v === null)) {
    text = value.map((v) => String(v)).join(", ");
  } else text = JSON.stringify(value) ?? String(value);
  text = text.replace(/\s+/g, " ").trim();
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** The last segment of a Pulumi type token: `aws:ec2/vpc:Vpc` → `Vpc`, providers named as such. */
export function shortType(type: string): string {
  const last = type.split(":").pop() ?? type;
  return type.startsWith("pulumi:providers:") ? `${last} provider` : last;
}

/** The logical name at the end of a URN (`urn:pulumi:dev::proj::a$b::name` → `name`). */
export function nameFromUrn(urn: string): string {
  const i = urn.lastIndexOf("::");
  return i < 0 ? urn : urn.slice(i + 2);
}

/** The type at the end of a URN's type chain (`…::parentType$childType::name` → `childType`). */
export function typeFromUrn(urn: string): string {
  const parts = urn.split("::");
  const chain = parts[parts.length - 2] ?? "";
  return chain.split("$").pop() ?? chain;
}

/** A plain-text table with aligned columns; the last column is never padded. */
export function textTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  const rule = widths.map((w, i) => "-".repeat(i === widths.length - 1 ? headers[i]!.length : w)).join("  ");
  return [line(headers), rule, ...rows.map(line)].join("\n");
}

/**
 * Escapes a cell for a GitHub-flavoured Markdown table: pipes and newlines everywhere, and `<`/`>`
 * outside code spans (GitHub would take `<prefix>` for an HTML tag and hide it).
 */
function mdCell(text: string): string {
  const escaped = text.replace(/\\/g, "\\\\").replace(/\|/g, "\\|").replace(/\n/g, " ");
  return escaped
    .split("`")
    .map((part, i) => (i % 2 === 0 ? part.replace(/</g, "&lt;").replace(/>/g, "&gt;") : part))
    .join("`");
}

export function markdownTable(headers: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]) => `| ${cells.map(mdCell).join(" | ")} |`;
  return [line(headers), `|${headers.map(() => "---").join("|")}|`, ...rows.map(line)].join("\n");
}

export function formatMinutes(minutes: number): string {
  if (minutes < 1) return `${Math.round(minutes * 60)} s`;
  return `${Number.isInteger(minutes) ? minutes : minutes.toFixed(1)} min`;
}
