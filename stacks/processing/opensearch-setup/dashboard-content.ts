import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import type { SavedObjectRef } from "../../../lib/opensearch-api";
import { renderCreateFlaggedUser } from "../fraud-rules/sql";

/**
 * What the dashboards import writes, read from `dashboards/` and bound to the configured index:
 * the saved objects (ndjson) and the index template. The flagged_user schema
 * is derived from the CREATE TABLE statement, so the table, the template mapping and every field a
 * visualization uses are checked against one source.
 */

export const DASHBOARDS_ROOT = path.resolve(__dirname, "..", "..", "..", "dashboards");

/** Id of the index pattern every search and visualization refers to. */
export const INDEX_PATTERN_ID = "fraud-flagged-user";
/** Id of the dashboard that holds them all. */
export const DASHBOARD_ID = "fraud-detection-dashboard";

export interface Column {
  readonly name: string;
  /** Flink SQL type as written, e.g. `BIGINT`, `TIMESTAMP_LTZ(3)`. */
  readonly type: string;
}

/** The columns of the flagged_user table, in order, parsed from its CREATE TABLE statement. */
export function flaggedUserSchema(): Column[] {
  const sql = renderCreateFlaggedUser({ flaggedTable: "flagged_user" });
  const body = sql.slice(sql.indexOf("(") + 1, sql.search(/PRIMARY KEY/));
  return [...body.matchAll(/^\s*`([a-z_]+)`\s+([A-Z_]+(?:\(\d+\))?)/gm)].map((m) => ({
    name: m[1] ?? "",
    type: m[2] ?? "",
  }));
}

/** OpenSearch field type of each Flink type the table uses. */
function opensearchType(flinkType: string): string {
  if (flinkType === "BIGINT") return "long";
  if (flinkType === "DOUBLE") return "double";
  if (flinkType === "STRING") return "keyword";
  if (flinkType.startsWith("TIMESTAMP")) return "date";
  throw new Error(`no OpenSearch mapping for Flink type ${flinkType}`);
}

/** The field type the template must give each column. */
export function expectedFieldTypes(): Record<string, string> {
  return Object.fromEntries(flaggedUserSchema().map((c) => [c.name, opensearchType(c.type)]));
}

/** Every `dashboards/*.ndjson` file, in name order, one object per line. */
export function loadSavedObjects(): Record<string, unknown>[] {
  return readdirSync(DASHBOARDS_ROOT)
    .filter((f) => f.endsWith(".ndjson"))
    .sort()
    .flatMap((f) =>
      readFileSync(path.join(DASHBOARDS_ROOT, f), "utf8")
        .split("\n")
        .filter((line) => line.trim() !== "")
        .map((line, i) => {
          try {
            return JSON.parse(line) as Record<string, unknown>;
          } catch (err) {
            throw new Error(`dashboards/${f} line ${i + 1} is not JSON: ${(err as Error).message}`, {
              cause: err,
            });
          }
        }),
    );
}

/** The saved objects as ndjson, with the index pattern's title set to the configured index. */
export function renderSavedObjects(index: string): string {
  return loadSavedObjects()
    .map((o) => {
      if (o.type !== "index-pattern") return JSON.stringify(o);
      const attributes = { ...(o.attributes as Record<string, unknown>), title: index };
      return JSON.stringify({ ...o, attributes });
    })
    .join("\n")
    .concat("\n");
}

export function savedObjectRefs(): SavedObjectRef[] {
  return loadSavedObjects().map((o) => ({ type: String(o.type), id: String(o.id) }));
}

export function templateName(index: string): string {
  return `${index}-template`;
}

function readJson(file: string): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(DASHBOARDS_ROOT, file), "utf8")) as Record<string, unknown>;
}

/** The index template, bound to the configured index. */
export function renderIndexTemplate(index: string): string {
  return JSON.stringify({ ...readJson("flagged_user.index-template.json"), index_patterns: [index] });
}

/** Link to the dashboard under the domain's Dashboards URL. */
export function dashboardUrl(dashboardsUrl: string): string {
  return `${dashboardsUrl.replace(/\/+$/, "")}/app/dashboards#/view/${DASHBOARD_ID}`;
}
