import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { recordedResource } from "../tools/offline/mocks";
import { evaluateDeployment, isBlocking } from "../tools/plan/policy/evaluate";
import { STACK_ORDER } from "../tools/stacks";
import type { PlanResult } from "../tools/plan/run-plan";
import { devDeployment, prodDeployment, quietPlan } from "./helpers/deployment";
import { PROD_REPLACEMENTS } from "./helpers/prod-config";
import { urnChanges } from "./helpers/urns";

/**
 * The URNs the dev and prod stacks of each project hold in their state (and two variants: alerts on,
 * and alerts on under the environment-admin escape hatch), as the offline harness records them. The
 * prod states were recorded in public mode, which they name; switching prod back to public keeps every
 * one of them. The private layouts (prod's default, dev switched) are recorded too. A resource may
 * take another type or name only under an alias naming its URN here: without one, `pulumi up` would create it anew and delete the resource
 * the state holds.
 */
interface RecordedStack {
  readonly stack: string;
  readonly overrides: Readonly<Record<string, unknown>>;
  readonly urns: Readonly<Record<string, readonly string[]>>;
}
const STATES = JSON.parse(
  readFileSync(path.join(__dirname, "fixtures", "stack-urns.json"), "utf8"),
) as readonly RecordedStack[];

/**
 * The plan of a recorded state; the plain dev and prod ones are the shared devDeployment() (no
 * policies: the dev one is checked in deployment-policy.test.ts) and prodDeployment().
 */
function planOf(state: RecordedStack): Promise<PlanResult> {
  if (Object.keys(state.overrides).length === 0) {
    if (state.stack === "dev") return devDeployment();
    if (state.stack === "prod") return prodDeployment();
  }
  return quietPlan({
    stack: state.stack,
    // A prod stack holds its operator's own addresses, certificate and image digests.
    overrides: state.stack === "prod" ? { ...PROD_REPLACEMENTS, ...state.overrides } : state.overrides,
    evaluate: evaluateDeployment,
  });
}

for (const state of STATES) {
  const label = [state.stack, ...Object.keys(state.overrides)].join(" with ");
  test(`${label}: every resource keeps a URN of the stack's state, or an alias naming it`, async () => {
    const plan = await planOf(state);
    assert.deepEqual(
      plan.stacks.map((s) => s.run.project),
      [...STACK_ORDER],
    );
    // Every recorded layout, public or private, passes the pack (the dev one in deployment-policy.test.ts).
    assert.deepEqual(plan.findings.filter(isBlocking), [], `${label} has no mandatory policy finding`);
    for (const { run } of plan.stacks) {
      const recorded = state.urns[run.project];
      assert.ok(recorded, `${label}/${run.project} has recorded URNs`);
      // Only the inner phase of a public deployment registers nothing.
      if (run.project !== "data-plane" || state.overrides["aws-resources:networkMode"] === "private") {
        assert.ok(recorded.length > 0, `${label}/${run.project} recorded resources`);
      }
      assert.deepEqual(urnChanges(recorded, run.resources), [], `${label}/${run.project}`);
    }
  });
}

const urn = (qualifiedType: string, name: string) => `urn:pulumi:dev::p::${qualifiedType}::${name}`;
const component = recordedResource("x:a:Box", "box", { urn: urn("x:a:Box", "box"), custom: false });
const child = recordedResource("aws:s3/bucket:Bucket", "box-bucket", {
  urn: urn("x:a:Box$aws:s3/bucket:Bucket", "box-bucket"),
  parentUrn: component.urn,
});

test("urnChanges: an unchanged stack has no change; a new, a gone or a renamed resource is one", () => {
  const state = [component.urn, child.urn];
  assert.deepEqual(urnChanges(state, [component, child]), []);
  const renamed = { ...child, name: "box-store", urn: urn("x:a:Box$aws:s3/bucket:Bucket", "box-store") };
  assert.deepEqual(urnChanges(state, [component, renamed]), [
    `created: ${renamed.urn} (no URN of the state, and no alias naming one)`,
    `deleted: ${child.urn} (no resource has this URN or an alias naming it)`,
  ]);
  assert.deepEqual(urnChanges(state, [component]), [
    `deleted: ${child.urn} (no resource has this URN or an alias naming it)`,
  ]);
});

test("urnChanges: an alias naming the old URN keeps a resource, and a component's alias covers its children", () => {
  const state = [component.urn, child.urn];
  const renamed = {
    ...child,
    name: "box-store",
    urn: urn("x:a:Box$aws:s3/bucket:Bucket", "box-store"),
    aliases: [child.urn],
  };
  assert.deepEqual(urnChanges(state, [component, renamed]), []);

  const retyped = { ...component, type: "x:b:Box", urn: urn("x:b:Box", "box"), aliases: [component.urn] };
  const movedChild = {
    ...child,
    urn: urn("x:b:Box$aws:s3/bucket:Bucket", "box-bucket"),
    parentUrn: retyped.urn,
  };
  assert.deepEqual(urnChanges(state, [retyped, movedChild]), []);
  assert.equal(urnChanges(state, [{ ...retyped, aliases: [] }, movedChild]).length, 4, "no alias: all move");

  const renamedBox = { ...component, name: "crate", urn: urn("x:a:Box", "crate"), aliases: [component.urn] };
  const renamedChild = {
    ...child,
    name: "crate-bucket",
    urn: urn("x:a:Box$aws:s3/bucket:Bucket", "crate-bucket"),
    parentUrn: renamedBox.urn,
  };
  assert.deepEqual(
    urnChanges(state, [renamedBox, renamedChild]),
    [],
    "the child's name follows the parent's",
  );
});

test("urnChanges: two resources answering to one recorded URN is a change", () => {
  const twin = {
    ...child,
    name: "box-twin",
    urn: urn("x:a:Box$aws:s3/bucket:Bucket", "box-twin"),
    aliases: [child.urn],
  };
  assert.deepEqual(urnChanges([component.urn, child.urn], [component, child, twin]), [
    `claimed twice: ${child.urn} by ${child.urn}, ${twin.urn}`,
  ]);
});
