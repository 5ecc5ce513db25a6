import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { test } from "node:test";
import { parse } from "yaml";
import { resourcePolicies, stackPolicies } from "../policy/rules";
import { ROLE_BINDING, confluentNoAdminRoleBindings } from "../policy/rules/confluent";
import { violations } from "./helpers/policy";

const all = [...resourcePolicies, ...stackPolicies];
const read = (path: string) => readFileSync(join(__dirname, "..", path), "utf8");

/** Rules with a documented exception; every other rule blocks the deployment. */
const ADVISORY = ["redshift-audit-logging", "secretsmanager-rotation"];

test("every rule has a unique kebab-case name, a description and an enforcement level", () => {
  const names = all.map((p) => p.name);
  assert.equal(new Set(names).size, names.length, "duplicate policy names");
  for (const p of all) {
    assert.match(p.name, /^[a-z0-9]+(-[a-z0-9]+)*$/, p.name);
    assert.ok(p.description.length > 40, `${p.name} needs a real description`);
    assert.ok(p.enforcementLevel === "mandatory" || p.enforcementLevel === "advisory", p.name);
  }
});

test("only the documented exceptions are advisory, and they say why", () => {
  const advisory = all.filter((p) => p.enforcementLevel === "advisory");
  assert.deepEqual(advisory.map((p) => p.name).sort(), [...ADVISORY].sort());
  for (const p of advisory) assert.match(p.description, /Advisory[:,]/, p.name);
});

test("descriptions cite scanner checks in their real formats", () => {
  const cited = all.flatMap(
    (p) =>
      p.description.match(/\b(CKV2?_[A-Z0-9]+_\d+|AVD-AWS-\d{4}|KSV\d{3}|AwsSolutions-[A-Z]+\d+)\b/g) ?? [],
  );
  assert.ok(cited.length > 30);
  for (const p of all) {
    const names = /CKV|AVD-|KSV|AwsSolutions|[Nn]o (direct )?(scanner|Checkov)/.test(p.description);
    assert.ok(names, `${p.name} should name its scanner check or say there is none`);
  }
});

test("docs/security.md documents every rule by name", () => {
  const doc = read("docs/security.md");
  for (const p of all)
    assert.ok(doc.includes(`\`${p.name}\``), `docs/security.md does not mention ${p.name}`);
});

test("the pack's project files: nodejs runtime, entry point and dependencies", () => {
  const project = parse(read("policy/PulumiPolicy.yaml")) as { runtime: unknown };
  assert.equal(project.runtime, "nodejs");
  const pkg = JSON.parse(read("policy/package.json")) as {
    main: string;
    dependencies: Record<string, string>;
  };
  assert.equal(pkg.main, "index.ts");
  assert.deepEqual(Object.keys(pkg.dependencies).sort(), ["@pulumi/policy", "@pulumi/pulumi"]);
  const root = JSON.parse(read("package.json")) as { dependencies: Record<string, string> };
  for (const [name, range] of Object.entries(pkg.dependencies))
    assert.equal(range, root.dependencies[name], name);
});

test("the escape-hatch config file (--policy-pack-config) allows EnvironmentAdmin and nothing else", () => {
  const config = JSON.parse(read("policy/config.environment-admin.json")) as Record<
    string,
    Record<string, unknown>
  >;
  assert.deepEqual(Object.keys(config), [confluentNoAdminRoleBindings.name]);
  const binding = (roleName: string) => ({
    type: ROLE_BINDING,
    name: "admin",
    props: {
      principal: "User:sa-1",
      roleName,
      crnPattern: "crn://confluent.cloud/organization=o/environment=e",
    },
  });
  const hatch = config[confluentNoAdminRoleBindings.name];
  assert.deepEqual(violations(confluentNoAdminRoleBindings, binding("EnvironmentAdmin"), hatch), []);
  assert.equal(violations(confluentNoAdminRoleBindings, binding("OrganizationAdmin"), hatch).length, 1);
});
