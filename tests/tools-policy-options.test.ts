import assert from "node:assert/strict";
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import {
  ENVIRONMENT_ADMIN_POLICY_CONFIG,
  POLICY_PACK_DIR,
  policyPackOptions,
  TRIAL_STACK_POLICY_CONFIG,
} from "../tools/deploy/policy-options";

test("preview and up run the policy pack; destroy does not", () => {
  assert.deepEqual(policyPackOptions("preview", false, "prod"), { policyPacks: [POLICY_PACK_DIR] });
  assert.deepEqual(policyPackOptions("up", false, "prod"), { policyPacks: [POLICY_PACK_DIR] });
  assert.deepEqual(policyPackOptions("destroy", true, "dev"), {});
});

test("the dev stack passes the trial stack's pack config (EKS default endpoint, plain HTTP, images by tag); no other stack does", () => {
  assert.deepEqual(policyPackOptions("up", false, "dev"), {
    policyPacks: [POLICY_PACK_DIR],
    policyPackConfigs: [TRIAL_STACK_POLICY_CONFIG],
  });
  assert.deepEqual(policyPackOptions("preview", false, "staging"), { policyPacks: [POLICY_PACK_DIR] });
  const config = JSON.parse(readFileSync(TRIAL_STACK_POLICY_CONFIG, "utf8")) as Record<string, unknown>;
  assert.deepEqual(config, {
    "eks-endpoint-not-world-open": { allowUnsetPublicAccessCidrs: true },
    "k8s-alb-https-only": { allowHttpListener: true },
    "container-images-by-digest": { allowTags: true },
  });
});

test("the EnvironmentAdmin escape hatch passes the pack config that allows it", () => {
  assert.deepEqual(policyPackOptions("up", true, "prod"), {
    policyPacks: [POLICY_PACK_DIR],
    policyPackConfigs: [ENVIRONMENT_ADMIN_POLICY_CONFIG],
  });
  assert.ok(existsSync(path.join(POLICY_PACK_DIR, "PulumiPolicy.yaml")));
  const config = JSON.parse(readFileSync(ENVIRONMENT_ADMIN_POLICY_CONFIG, "utf8")) as Record<string, unknown>;
  assert.deepEqual(config["confluent-no-admin-role-bindings"], { allowEnvironmentAdmin: true });
});

test("the workflows run the same pack on preview and up", () => {
  const workflows = path.resolve(__dirname, "..", ".github", "workflows");
  assert.match(
    readFileSync(path.join(workflows, "ci.yml"), "utf8"),
    /policyPacks: \$\{\{ github\.workspace \}\}\/policy/,
  );
  assert.match(
    readFileSync(path.join(workflows, "pulumi-stack.yml"), "utf8"),
    /policyPacks: \$\{\{ inputs\.command == 'up' && format\('\{0\}\/policy', github\.workspace\) \|\| '' \}\}/,
  );
});
