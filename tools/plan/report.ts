import { MASK } from "../offline/secrets";
import type { StackRun } from "../offline/run-stack";
import type { CostEstimate } from "./cost/estimate";
import { costRowsTable, costSummary, costTotalsTable, unpricedLines } from "./cost/table";
import type { CriticalPath } from "./estimate";
import { REFERENCE_DEPLOYMENT } from "./estimate";
import { formatMinutes, formatValue, markdownTable, nameFromUrn, textTable, typeFromUrn } from "./format";
import { treeOrder } from "./graph";
import { keySettings } from "./key-settings";
import type { Finding } from "./policy/evaluate";
import { findingsFor, isBlocking } from "./policy/evaluate";
import type { DataStoreChange } from "./replacements";
import { dataStoreWarning } from "./replacements";
import { planWarnings } from "./warnings";

/**
 * Pure renderers of a finished plan: the console text and the Markdown report share the same
 * rows; only the table syntax differs. Secret inputs come masked from the recorder and secret
 * outputs are masked here by name, so nothing secret reaches either.
 */

export interface ReportInput {
  readonly stack: string;
  readonly runs: readonly StackRun[];
  readonly findings: readonly Finding[];
  readonly estimate: CriticalPath;
  /** Absent in renderers' tests that build an input by hand. */
  readonly cost?: CostEstimate;
  /** Data stores the planned config would replace, delete or resize (plan with --config only). */
  readonly dataStoreChanges?: readonly DataStoreChange[];
}

/** Every warning before the tables: the data-store changes first, then the deployment's own. */
function allWarnings(input: ReportInput): string[] {
  return [...(input.dataStoreChanges ?? []).map(dataStoreWarning), ...planWarnings(input.runs)];
}

type Table = { headers: string[]; rows: string[][] };

export function resourceTable(run: StackRun): Table {
  const rows = treeOrder(run.resources).map(({ r, depth }) => [
    r.type,
    `${"  ".repeat(depth)}${r.name}`,
    r.parentUrn && !typeFromUrn(r.parentUrn).startsWith("pulumi:pulumi:Stack")
      ? nameFromUrn(r.parentUrn)
      : "—",
    keySettings(r).join("; "),
  ]);
  return { headers: ["Type", "Name", "Parent", "Key settings"], rows };
}

export function outputTable(run: StackRun): Table {
  const secret = new Set(run.secretOutputNames);
  const rows = Object.keys(run.outputs)
    .sort()
    .map((name) => [
      name,
      secret.has(name) ? MASK : formatValue(run.outputs[name], 90),
      secret.has(name) ? "yes" : "",
    ]);
  return { headers: ["Output", "Value", "Secret"], rows };
}

function findingTable(findings: readonly Finding[]): Table {
  const rows = findings.map((f) => [
    f.enforcementLevel,
    f.policy,
    `${f.resourceName} (${f.resourceType})`,
    f.message,
  ]);
  return { headers: ["Level", "Policy", "Resource", "Message"], rows };
}

function estimateTable(estimate: CriticalPath): Table {
  const rows = estimate.path
    .filter((n) => n.minutes > 0 || n.id.endsWith("#complete"))
    .map((n) => [n.minutes > 0 ? formatMinutes(n.minutes) : "—", n.label]);
  return { headers: ["Minutes", "Step on the critical path"], rows };
}

function countLine(run: StackRun): string {
  const custom = run.resources.filter((r) => r.custom).length;
  const components = run.resources.length - custom;
  return `${custom} resources, ${components} components, ${Object.keys(run.outputs).length} outputs`;
}

function policyLines(findings: readonly Finding[], run: StackRun, table: (t: Table) => string) {
  const mine = findingsFor(findings, run);
  if (mine.length === 0) return ["Policy findings: none."];
  const blocking = mine.filter(isBlocking).length;
  return [`Policy findings: ${mine.length} (${blocking} mandatory)`, table(findingTable(mine))];
}

function estimateSummary(estimate: CriticalPath): string {
  return (
    `ESTIMATE (not a measurement): about ${formatMinutes(estimate.minutes)} for a first deployment of all ` +
    `stacks in order, from typical creation times along the critical path. Reference solution: ` +
    `${REFERENCE_DEPLOYMENT.scope} takes "around ${REFERENCE_DEPLOYMENT.minutes} minutes" ` +
    `(${REFERENCE_DEPLOYMENT.source}); it documents no time for the other two modules.`
  );
}

const text = (t: Table) => textTable(t.headers, t.rows);
const md = (t: Table) => markdownTable(t.headers, t.rows);

export function renderText(input: ReportInput): string {
  const out: string[] = [];
  const warnings = allWarnings(input);
  if (warnings.length > 0) out.push("", ...warnings.map((w) => `⚠ ${w}`));
  for (const run of input.runs) {
    out.push(`\n=== ${run.project} (stack ${input.stack}): ${countLine(run)} ===\n`);
    out.push(text(resourceTable(run)), "", "Outputs:", text(outputTable(run)), "");
    out.push(...policyLines(input.findings, run, text));
  }
  out.push(
    "\n=== Estimated deployment time ===\n",
    estimateSummary(input.estimate),
    "",
    text(estimateTable(input.estimate)),
  );
  if (input.cost) {
    out.push("\n=== Estimated running cost ===\n", costSummary(input.cost), "");
    out.push(
      ...unpricedLines(input.cost),
      text(costRowsTable(input.cost.rows)),
      "",
      text(costTotalsTable(input.cost)),
    );
  }
  return out.join("\n") + "\n";
}

export function renderMarkdown(input: ReportInput, diagram: string): string {
  const out: string[] = [
    `# Offline plan — stack \`${input.stack}\``,
    "",
    "Generated by `npm run plan` under Pulumi mocks: no cloud calls were made. Secret values are masked.",
    "",
    "## Architecture",
    "",
    "```mermaid",
    diagram.trimEnd(),
    "```",
  ];
  const warnings = allWarnings(input);
  if (warnings.length > 0) out.push("", "## Warnings", "", ...warnings.map((w) => `- ${w}`));
  for (const run of input.runs) {
    out.push(
      "",
      `## ${run.project}`,
      "",
      `${countLine(run)}.`,
      "",
      "### Resources",
      "",
      md(resourceTable(run)),
    );
    out.push("", "### Outputs", "", md(outputTable(run)), "", "### Policy", "");
    out.push(...policyLines(input.findings, run, md));
  }
  out.push(
    "",
    "## Estimated deployment time",
    "",
    estimateSummary(input.estimate),
    "",
    md(estimateTable(input.estimate)),
  );
  if (input.cost) {
    out.push("", "## Estimated running cost", "", costSummary(input.cost), "");
    const unpriced = unpricedLines(input.cost);
    if (unpriced.length > 0) out.push(...unpriced.map((l) => `- ${l}`), "");
    out.push(md(costRowsTable(input.cost.rows)), "", md(costTotalsTable(input.cost)));
  }
  return out.join("\n") + "\n";
}
