import assert from "node:assert/strict";
import { test } from "node:test";
import { aliasFormerTypes, COMPONENT_TYPE } from "../lib/component-type";
import { PROJECTS } from "../lib/contracts";
import { devDeployment } from "./helpers/deployment";

test("every component's type token names its service area, never the stack it lives in", async () => {
  const plan = await devDeployment();
  const components = plan.stacks.flatMap((s) => s.run.resources.filter((r) => !r.custom));
  assert.ok(components.length > 15, `${components.length} components`);
  const stackNames = new Set<string>(Object.values(PROJECTS));
  for (const c of components) {
    assert.match(c.type, COMPONENT_TYPE, c.name);
    assert.ok(!stackNames.has(c.type.split(":")[1] ?? ""), `${c.type} names a stack`);
  }
  assert.ok(!COMPONENT_TYPE.test("fraud-infra:sink-users:SinkUsers") && !COMPONENT_TYPE.test("fraud:x:Y"));
});

test("aliasFormerTypes keeps the aliases a caller gave and adds one per former type", () => {
  const parent = { urn: "urn:pulumi:dev::p::x:a:Parent::p" } as never;
  assert.deepEqual(aliasFormerTypes({ parent, aliases: [{ name: "old" }] }, "fraud-infra:processing:X"), {
    parent,
    aliases: [{ name: "old" }, { type: "fraud-infra:processing:X" }],
  });
  assert.deepEqual(aliasFormerTypes(undefined, "a:b:C"), { aliases: [{ type: "a:b:C" }] });
});
