import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { z } from "zod";
import { plain, secret } from "../lib/stack-outputs";
import {
  configSection,
  estimatesSection,
  outputsSection,
  renderSections,
  replaceSection,
  schemaType,
} from "../tools/docs/render";
import { STACK_ORDER } from "../tools/stacks";

const ROOT = path.resolve(__dirname, "..");

test("config tables list every key with type, default (or required) and description", () => {
  const text = configSection([
    {
      name: "connector",
      dir: "/x",
      keys: [
        { key: "flinkMaxCfu", type: "integer", description: "Max CFU.", default: 10, secret: false },
        { key: "apiSecret", type: "string", description: "A | secret", secret: true },
        { key: "cidrs", type: "array", description: "CIDRs", default: [], secret: false },
      ],
    },
  ]);
  assert.equal(
    text,
    [
      "## connector",
      "",
      "| Key | Type | Default | Description |",
      "|---|---|---|---|",
      "| `connector:flinkMaxCfu` | integer | `10` | Max CFU. |",
      "| `connector:apiSecret` | string (secret) | (required) | A \\| secret |",
      "| `connector:cidrs` | array | `[]` | CIDRs |",
    ].join("\n"),
  );
});

test("contract tables show each output's type and secret-ness", () => {
  assert.equal(schemaType(z.string().min(1)), "string");
  assert.equal(schemaType(z.number().int().min(1).max(65535)), "integer");
  assert.equal(schemaType(z.array(z.string())), "string[]");
  assert.equal(schemaType(z.literal("AWS")), '"AWS"');
  const text = outputsSection([
    { project: "p", contract: { host: plain(z.string(), "host name"), pw: secret(z.string(), "password") } },
  ]);
  assert.match(text, /\| `host` \| string \| {2}\| host name \|\n\| `pw` \| string \| yes \| password \|/);
});

test("the estimate table documents every creation time", () => {
  const text = estimatesSection(
    [{ type: "aws:eks/cluster:Cluster", minutes: 12, range: "10–15", why: "cp" }],
    0.1,
    15,
    4,
  );
  assert.match(text, /\| `aws:eks\/cluster:Cluster` \| 12 \| 10–15 \| cp \|/);
  assert.match(text, /\| Oracle XE \+ XStream setup .* \| 15 \|/);
  assert.match(text, /\| the runner starts the inner phase \(private mode\) \| 4 \|/);
  assert.match(text, /\| every other resource \| 0\.1 \|/);
});

test("sections are replaced between their markers only, idempotently; missing markers are named", () => {
  const doc = "# T\n<!-- generated:config -->\nold\n<!-- /generated:config -->\ntail\n";
  const once = replaceSection(doc, "config", "new table");
  assert.equal(once, "# T\n<!-- generated:config -->\nnew table\n<!-- /generated:config -->\ntail\n");
  assert.equal(replaceSection(once, "config", "new table"), once);
  assert.throws(
    () => renderSections(doc, { outputs: "x" }, "docs/outputs.md"),
    /docs\/outputs\.md needs the markers <!-- generated:outputs --> … <!-- \/generated:outputs -->/,
  );
});

test("the README stays a ten-minute read: at most 20 KB, the reference lives in docs/", () => {
  const readme = readFileSync(path.join(ROOT, "README.md"));
  assert.ok(
    readme.length <= 20 * 1024,
    `README.md is ${readme.length} bytes; move reference material to docs/`,
  );
  assert.doesNotMatch(readme.toString(), /<!-- generated:(config|outputs|estimates) -->/);
});

test("every stack directory has a README whose title is a level-1 heading", () => {
  for (const stack of STACK_ORDER) {
    const file = path.join(ROOT, "stacks", stack, "README.md");
    assert.ok(existsSync(file), `stacks/${stack}/README.md is missing`);
    const first = readFileSync(file, "utf8")
      .split("\n")
      .find((l) => l.startsWith("#"));
    assert.match(first ?? "", /^# \S/, `stacks/${stack}/README.md starts with ${first}`);
  }
});
