import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import {
  DASHBOARD_ID,
  DASHBOARDS_ROOT,
  dashboardUrl,
  expectedFieldTypes,
  flaggedUserSchema,
  INDEX_PATTERN_ID,
  loadSavedObjects,
  renderIndexTemplate,
  renderSavedObjects,
  savedObjectRefs,
} from "../stacks/processing/opensearch-setup/dashboard-content";

interface SavedObject {
  type: string;
  id: string;
  attributes: Record<string, unknown>;
  references: { name: string; type: string; id: string }[];
}

interface Mapping {
  type: string;
  fields?: Record<string, { type: string; analyzer?: string; fielddata?: boolean }>;
}
const template = JSON.parse(
  readFileSync(path.join(DASHBOARDS_ROOT, "flagged_user.index-template.json"), "utf8"),
) as {
  template: {
    settings: { analysis: { analyzer: Record<string, unknown>; tokenizer: Record<string, unknown> } };
    mappings: { properties: Record<string, Mapping> };
  };
};
const properties = template.template.mappings.properties;

const objects = loadSavedObjects() as unknown as SavedObject[];
/** The table's columns plus the sub-fields the template declares on them (e.g. `reasons.rule`). */
const schema = new Set(
  flaggedUserSchema().flatMap((c) => [
    c.name,
    ...Object.keys(properties[c.name]?.fields ?? {}).map((sub) => `${c.name}.${sub}`),
  ]),
);
const byId = new Map(objects.map((o) => [`${o.type}/${o.id}`, o]));

/** Fields a search or visualization uses: columns, sort keys and every aggregation's `field`. */
function fieldsUsed(o: SavedObject): string[] {
  if (o.type === "search") {
    const columns = o.attributes.columns as string[];
    const sort = (o.attributes.sort as [string, string][]).map(([f]) => f);
    return [...columns, ...sort];
  }
  if (o.type === "visualization") {
    const vis = JSON.parse(String(o.attributes.visState)) as { aggs: { params: { field?: string } }[] };
    return vis.aggs.flatMap((a) => (a.params.field ? [a.params.field] : []));
  }
  return [];
}

function searchSource(o: SavedObject): Record<string, unknown> {
  const meta = o.attributes.kibanaSavedObjectMeta as { searchSourceJSON: string };
  return JSON.parse(meta.searchSourceJSON) as Record<string, unknown>;
}

test("the flagged_user schema comes from the CREATE TABLE statement", () => {
  assert.deepEqual(flaggedUserSchema(), [
    { name: "account_id", type: "BIGINT" },
    { name: "user_name", type: "STRING" },
    { name: "email", type: "STRING" },
    { name: "total_amount", type: "DOUBLE" },
    { name: "transaction_count", type: "BIGINT" },
    { name: "max_amount", type: "DOUBLE" },
    { name: "blocked_ip_count", type: "BIGINT" },
    { name: "reasons", type: "STRING" },
    { name: "window_start", type: "TIMESTAMP_LTZ(3)" },
    { name: "updated_at", type: "TIMESTAMP_LTZ(3)" },
  ]);
});

test("every ndjson line parses and every object has a unique type/id", () => {
  for (const file of readdirSync(DASHBOARDS_ROOT).filter((f) => f.endsWith(".ndjson"))) {
    const lines = readFileSync(path.join(DASHBOARDS_ROOT, file), "utf8").split("\n").filter(Boolean);
    for (const [i, line] of lines.entries()) assert.doesNotThrow(() => JSON.parse(line), `${file}:${i + 1}`);
  }
  assert.equal(byId.size, objects.length);
  assert.deepEqual(objects.map((o) => o.type).sort(), [
    "dashboard",
    "index-pattern",
    "search",
    "visualization",
    "visualization",
    "visualization",
    "visualization",
  ]);
});

test("the index pattern is the flagged_user index, timed by updated_at, with exactly the table's fields", () => {
  const ip = byId.get(`index-pattern/${INDEX_PATTERN_ID}`);
  assert.ok(ip);
  assert.equal(ip.attributes.title, "flagged_user");
  assert.equal(ip.attributes.timeFieldName, "updated_at");
  const fields = JSON.parse(String(ip.attributes.fields)) as { name: string; esTypes: string[] }[];
  const declared = Object.entries(properties).flatMap(([name, m]) => [
    [name, m.type],
    ...Object.entries(m.fields ?? {}).map(([sub, f]) => [`${name}.${sub}`, f.type]),
  ]);
  assert.deepEqual(fields.map((f) => [f.name, f.esTypes[0]]).sort(), declared.sort());
  assert.deepEqual(new Set(fields.map((f) => f.name)), schema);
});

test("every search and visualization refers to an index pattern in the file and uses only table fields", () => {
  const consumers = objects.filter((o) => o.type === "search" || o.type === "visualization");
  assert.ok(consumers.length >= 4);
  for (const o of consumers) {
    const ref = o.references.find((r) => r.name === "kibanaSavedObjectMeta.searchSourceJSON.index");
    assert.ok(ref, `${o.id} has an index reference`);
    assert.equal(ref.type, "index-pattern");
    assert.ok(byId.has(`index-pattern/${ref.id}`), `${o.id} → index-pattern/${ref.id} exists`);
    assert.equal(searchSource(o).indexRefName, ref.name, `${o.id} uses its reference`);
    const used = fieldsUsed(o);
    assert.ok(used.length > 0, `${o.id} uses fields`);
    for (const f of used) assert.ok(schema.has(f), `${o.id} uses ${f}, which flagged_user does not have`);
  }
});

test("the field check can fail: an unknown field is caught", () => {
  const fake: SavedObject = {
    type: "visualization",
    id: "x",
    references: [],
    attributes: { visState: JSON.stringify({ aggs: [{ params: { field: "no_such_field" } }] }) },
  };
  assert.ok(fieldsUsed(fake).some((f) => !schema.has(f)));
});

test("the dashboard shows the flagged accounts, amount and count over time, and fraud by reason", () => {
  const dash = byId.get(`dashboard/${DASHBOARD_ID}`);
  assert.ok(dash);
  const panels = JSON.parse(String(dash.attributes.panelsJSON)) as { panelRefName: string }[];
  assert.equal(panels.length, dash.references.length);
  for (const p of panels) {
    const ref = dash.references.find((r) => r.name === p.panelRefName);
    assert.ok(ref && byId.has(`${ref.type}/${ref.id}`), `panel ${p.panelRefName} resolves`);
  }
  const shown = new Set(dash.references.map((r) => r.id));
  for (const id of ["fraud-flagged-accounts", "fraud-amount-count-over-time", "fraud-by-reason"]) {
    assert.ok(shown.has(id), id);
  }
  const search = byId.get("search/fraud-flagged-accounts");
  assert.ok((search?.attributes.columns as string[]).includes("reasons"));
  const byReason = JSON.parse(String(byId.get("visualization/fraud-by-reason")?.attributes.visState)) as {
    aggs: { type: string; params: { field?: string } }[];
  };
  assert.ok(byReason.aggs.some((a) => a.type === "terms" && a.params.field === "reasons.rule"));
  const overTime = JSON.parse(
    String(byId.get("visualization/fraud-amount-count-over-time")?.attributes.visState),
  ) as {
    aggs: { type: string; params: { field?: string } }[];
  };
  assert.deepEqual(
    overTime.aggs.map((a) => `${a.type}:${a.params.field}`),
    ["sum:total_amount", "sum:transaction_count", "date_histogram:updated_at"],
  );
});

test("the index template maps exactly the table's columns (updated_at a date, reasons a keyword)", () => {
  assert.deepEqual(
    Object.fromEntries(Object.entries(properties).map(([name, m]) => [name, m.type])),
    expectedFieldTypes(),
  );
  assert.equal(expectedFieldTypes().updated_at, "date");
  assert.equal(expectedFieldTypes().reasons, "keyword");
});

test("reasons.rule splits the comma-separated reasons, so each rule is counted on its own", () => {
  assert.deepEqual(properties.reasons?.fields, {
    rule: { type: "text", analyzer: "reasons_csv", fielddata: true },
  });
  assert.deepEqual(template.template.settings.analysis, {
    tokenizer: { reasons_comma: { type: "pattern", pattern: "," } },
    analyzer: { reasons_csv: { type: "custom", tokenizer: "reasons_comma" } },
  });
  // The same split the tokenizer makes, on what the rules job writes:
  assert.deepEqual("too_many_count,too_large".split(","), ["too_many_count", "too_large"]);
});

test("rendering binds the template and the index pattern to the configured index", () => {
  const t = JSON.parse(renderIndexTemplate("fraud_flags")) as { index_patterns: string[]; template: unknown };
  assert.deepEqual(t.index_patterns, ["fraud_flags"]);
  assert.deepEqual(t.template, template.template);
  const rendered = renderSavedObjects("fraud_flags")
    .trim()
    .split("\n")
    .map((l) => JSON.parse(l) as SavedObject);
  assert.equal(rendered.find((o) => o.type === "index-pattern")?.attributes.title, "fraud_flags");
  assert.equal(rendered.length, objects.length);
  assert.deepEqual(
    savedObjectRefs(),
    objects.map((o) => ({ type: o.type, id: o.id })),
  );
  assert.equal(
    dashboardUrl("https://h/_dashboards/"),
    `https://h/_dashboards/app/dashboards#/view/${DASHBOARD_ID}`,
  );
});
