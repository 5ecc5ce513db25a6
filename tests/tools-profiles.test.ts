import assert from "node:assert/strict";
import { test } from "node:test";
import type { DeclaredKey } from "../tools/offline/project-config";
import { readProject, stackConfig } from "../tools/offline/project-config";
import { profileCell, profileRows, profilesSection } from "../tools/docs/profiles";

const key = (k: string, d: unknown, secret = false): DeclaredKey => ({
  key: k,
  type: typeof d === "boolean" ? "boolean" : Array.isArray(d) ? "array" : "string",
  description: k,
  default: d,
  secret,
});
const input = {
  project: "p",
  keys: [key("size", "small"), key("cidrs", []), key("same", "x"), key("token", "", true)],
  profiles: {
    dev: { "p:size": "small", "p:cidrs": "[]", "p:same": "x", "p:token": "a" },
    prod: {
      "p:size": "large",
      "p:cidrs": '["192.0.2.1/32","192.0.2.2/32"]',
      "p:same": "x",
      "p:token": "b",
      "aws:region": "eu-west-1",
    },
  },
};

test("only differing settings are rows: each profile's value, then the declared default; secrets are never shown", () => {
  assert.deepEqual(profileRows(input, ["dev", "prod"]), [
    ["`p:size`", "`small`", "`large`", "`small`"],
    ["`p:cidrs`", "`[]`", "`192.0.2.1/32`, `192.0.2.2/32`", "`[]`"],
    ["`p:token`", "(secret)", "(secret)", "(secret)"],
    ["`aws:region`", "(unset)", "`eu-west-1`", "(unset)"],
  ]);
});

test("cells: lists as items, empty strings visible, unset named", () => {
  assert.equal(profileCell('["a"]', false), "`a`");
  assert.equal(profileCell("", false), '`""`');
  assert.equal(profileCell(undefined, false), "(unset)");
  assert.equal(profileCell("[not json", false), "`[not json`");
});

test("a section per project; identical profiles say so", () => {
  const text = profilesSection(
    [input, { ...input, project: "q", profiles: { dev: {}, prod: {} } }],
    ["dev", "prod"],
  );
  assert.match(
    text,
    /^#### p\n\n\| Setting \| dev \| prod \| Pulumi\.yaml default \|\n\|---\|---\|---\|---\|\n\| `p:size` \| `small` \| `large` \| `small` \|/,
  );
  assert.match(text, /#### q\n\nThe dev and prod profiles of q are identical\.$/);
});

test("the real profiles: prod differs from dev where production needs it", () => {
  const project = readProject("aws-resources");
  const profiles = Object.fromEntries(["dev", "prod"].map((s) => [s, stackConfig(project, s).config]));
  const rows = profileRows({ project: project.name, keys: project.keys, profiles }, ["dev", "prod"]);
  const prodValue = (k: string) => rows.find((r) => r[0] === `\`aws-resources:${k}\``)?.[2];
  assert.equal(prodValue("protectData"), "`true`");
  assert.equal(prodValue("natGatewayPerAz"), "`true`");
  assert.equal(prodValue("customerManagedKey"), "`true`");
  assert.equal(prodValue("redshiftNodeCount"), "`2`");
  assert.ok(prodValue("eksPublicAccessCidrs")?.includes("/32"));
});
