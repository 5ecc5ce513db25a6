import assert from "node:assert/strict";
import { test } from "node:test";
import { readProject } from "../tools/offline/project-config";
import { deploymentDiagram } from "../tools/plan/diagram";
import { describePlanError } from "../tools/plan/errors";
import { renderMarkdown, renderText } from "../tools/plan/report";
import { skipPolicies } from "../tools/plan/policy/evaluate";
import { PlanError, runPlan } from "../tools/plan/run-plan";
import { devDeployment } from "./helpers/deployment";
import { STACK_ORDER } from "../tools/stacks";

// The real three stacks, as `npm run plan` runs them (policies are the policy pack's own tests).

const plan = devDeployment;

test("the dev plan runs every stack in order, each reading the ones before it", async () => {
  const result = await plan();
  assert.deepEqual(
    result.stacks.map((s) => s.run.project),
    [...STACK_ORDER],
  );
  for (const { run } of result.stacks) {
    // dev is public: the inner phase (data-plane) registers nothing.
    if (run.project === "data-plane") assert.equal(run.resources.length, 0);
    else assert.ok(run.resources.length > 0, `${run.project} registered resources`);
  }
  const [aws, connector] = result.stacks.map((s) => s.run);
  // The connector opens Oracle's connector ingress groups, which only the aws-resources run knows.
  const sgIds = aws!.outputs.oracleIngressSecurityGroupIds as string[];
  assert.ok(
    connector!.resources.some((r) => sgIds.some((id) => JSON.stringify(r.inputs).includes(id))),
    "connector used the aws-resources outputs",
  );
  const path = result.estimate.path.map((n) => n.id);
  assert.ok(path.includes("aws-resources#complete") && path.includes("connector#complete"));
  assert.ok(result.estimate.minutes > 20, `a first deployment takes a while: ${result.estimate.minutes}`);
});

test("no secret output value of any stack reaches the printed plan, report or diagram", async () => {
  const result = await plan();
  const runs = result.stacks.map((s) => s.run);
  const input = { stack: "dev", runs, findings: [], estimate: result.estimate };
  const diagram = deploymentDiagram(runs.map((run) => ({ run })));
  const texts = [renderText(input), renderMarkdown(input, diagram)];
  let checked = 0;
  for (const run of runs) {
    for (const name of run.secretOutputNames) {
      const value = String(run.outputs[name]);
      assert.ok(value.length >= 8, `${run.project}.${name} is a real value`);
      for (const text of texts) assert.ok(!text.includes(value), `${run.project}.${name} leaked`);
      checked++;
    }
  }
  assert.ok(checked >= 4, `secret outputs checked: ${checked}`);
});

/**
 * A key of the stack and a value it must refuse naming it: its first integer key and "not-a-number", or
 * (a stack with none) its first stack-name key and a name no stack has.
 */
function badValue(project: string): [string, string] {
  const keys = readProject(project).keys;
  const integer = keys.find((k) => k.type === "integer");
  if (integer) return [`${project}:${integer.key}`, "not-a-number"];
  const stackName = keys.find((k) => k.key.endsWith("Stack"));
  assert.ok(stackName, `${project} declares an integer or a stack-name key`);
  return [`${project}:${stackName.key}`, "no such stack!"];
}

for (const project of STACK_ORDER) {
  test(`a bad ${project} config value stops the plan at ${project}, naming the key`, async () => {
    const [key, value] = badValue(project);
    const err = await runPlan({ evaluate: skipPolicies, overrides: { [key]: value } }).then(
      () => assert.fail("the plan should have failed"),
      (e: unknown) => e,
    );
    assert.ok(err instanceof PlanError);
    assert.equal(err.stackProject, project);
    const text = describePlanError(err, "dev");
    assert.match(text, new RegExp(`✗ ${project} \\(stack dev\\): invalid configuration`));
    assert.ok(text.includes(`${key} = ${JSON.stringify(value)}: must be`), text);
  });
}
