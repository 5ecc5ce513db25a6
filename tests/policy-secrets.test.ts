import assert from "node:assert/strict";
import { test } from "node:test";
import {
  KMS_KEY,
  SECRET,
  SECRET_ROTATION,
  kmsKeyRotation,
  secretsManagerRotation,
} from "../policy/rules/aws-secrets";
import { stackViolations, violations } from "./helpers/policy";

test("KMS keys rotate; asymmetric keys are skipped", () => {
  const key = (props: Record<string, unknown>) => ({ type: KMS_KEY, name: "secrets-key", props });
  assert.deepEqual(violations(kmsKeyRotation, key({ enableKeyRotation: true })), []);
  assert.deepEqual(violations(kmsKeyRotation, key({ customerMasterKeySpec: "RSA_2048" })), []);
  assert.deepEqual(violations(kmsKeyRotation, key({})), ["secrets-key: enableKeyRotation is not true"]);
});

test("Secrets Manager rotation (advisory, stack): a SecretRotation for the secret, else the documented exception", () => {
  const secret = { type: SECRET, name: "oracle-passwords", urn: "urn:s", props: { name: "fd-dev-oracle" } };
  const rotation = {
    type: SECRET_ROTATION,
    name: "rotation",
    props: { secretId: "x" },
    dependencyUrns: ["urn:s"],
  };
  assert.deepEqual(stackViolations(secretsManagerRotation, [secret, rotation]), []);
  assert.deepEqual(stackViolations(secretsManagerRotation, [secret]), [
    {
      policy: "secretsmanager-rotation",
      enforcementLevel: "advisory",
      message: "oracle-passwords: no automatic rotation; rotate it with the procedure in docs/security.md",
      urn: "urn:s",
    },
  ]);
});
