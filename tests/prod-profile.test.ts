import assert from "node:assert/strict";
import { test } from "node:test";
import { isBlocking, policyConfigFor } from "../tools/plan/policy/evaluate";
import { PlanError } from "../tools/plan/run-plan";
import { prodDeployment, quietPlan } from "./helpers/deployment";
import { PROD_REPLACEMENTS } from "./helpers/prod-config";

/**
 * `npm run plan -- --stack prod`: with every placeholder replaced as docs/production.md says, the
 * pack finds nothing mandatory; with one left, plain HTTP, an image by tag or a /8, it refuses before
 * any resource, naming the key.
 */

test("prod with its placeholders replaced: no mandatory policy finding", async () => {
  const plan = await prodDeployment();
  assert.deepEqual(
    plan.findings.filter(isBlocking).map((f) => `${f.policy}: ${f.message}`),
    [],
  );
  assert.equal(
    policyConfigFor(
      plan.stacks.map((s) => s.config),
      "prod",
    ).trialStack,
    false,
  );
});

const REFUSALS: readonly [string, string, unknown, RegExp][] = [
  ["a placeholder left", "aws-resources:allowedCidrs", ["192.0.2.10/32"], /documentation range/],
  ["plain HTTP", "aws-resources:webappCertificateArn", "", /is required on stack "prod"/],
  [
    "the web app by tag",
    "aws-resources:webappImage",
    "public.ecr.aws/v3a9u0p7/demo/fraud-webapp:latest",
    /by digest/,
  ],
  [
    "Oracle by tag",
    "aws-resources:oracleImage",
    "container-registry.oracle.com/database/express:21.3.0-xe",
    /by digest/,
  ],
  ["a /8", "aws-resources:webappAllowedCidrs", ["10.0.0.0/8"], /whole internet/],
];

for (const [what, key, value, message] of REFUSALS) {
  test(`prod with ${what} is refused before any resource, naming ${key}`, async () => {
    await assert.rejects(
      quietPlan({ stack: "prod", overrides: { ...PROD_REPLACEMENTS, [key]: value } }),
      (err: unknown) => {
        assert.ok(err instanceof PlanError, String(err));
        assert.equal(err.stackProject, "aws-resources");
        assert.ok(err.message.includes(`${key} = `), err.message);
        assert.match(err.message, message);
        return true;
      },
    );
  });
}

test("prod as committed (placeholders in place) is refused, naming each placeholder key", async () => {
  await assert.rejects(quietPlan({ stack: "prod" }), (err: unknown) => {
    assert.ok(err instanceof PlanError);
    for (const key of [
      "allowedCidrs",
      "eksPublicAccessCidrs",
      "webappAllowedCidrs",
      "webappCertificateArn",
    ]) {
      assert.ok(err.message.includes(`aws-resources:${key} = `), `${key}: ${err.message}`);
    }
    return true;
  });
});
