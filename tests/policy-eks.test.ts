import assert from "node:assert/strict";
import { test } from "node:test";
import {
  EKS_CLUSTER,
  eksControlPlaneLogging,
  eksEndpointNotWorldOpen,
  eksSecretsEncryption,
} from "../policy/rules/aws-eks";
import { violations } from "./helpers/policy";

const cluster = (props: Record<string, unknown>) => ({ type: EKS_CLUSTER, name: "eks", props });
const KEY = "arn:aws:kms:us-east-1:123456789012:key/1234";

test("control-plane logging: api, audit and authenticator are required", () => {
  const all = cluster({ enabledClusterLogTypes: ["api", "audit", "authenticator", "scheduler"] });
  assert.deepEqual(violations(eksControlPlaneLogging, all), []);
  assert.deepEqual(violations(eksControlPlaneLogging, cluster({ enabledClusterLogTypes: ["api"] })), [
    "eks: control-plane log types not enabled: audit, authenticator",
  ]);
  assert.equal(violations(eksControlPlaneLogging, cluster({})).length, 1);
});

test("endpoint: a public endpoint open to the world fails; admin CIDRs or a private endpoint pass", () => {
  const vpc = (vpcConfig: Record<string, unknown>) =>
    cluster({ vpcConfig: { subnetIds: ["a", "b"], ...vpcConfig } });
  assert.deepEqual(violations(eksEndpointNotWorldOpen, vpc({ publicAccessCidrs: ["203.0.113.0/24"] })), []);
  assert.deepEqual(
    violations(
      eksEndpointNotWorldOpen,
      vpc({ endpointPublicAccess: false, publicAccessCidrs: ["0.0.0.0/0"] }),
    ),
    [],
  );
  assert.deepEqual(
    violations(eksEndpointNotWorldOpen, vpc({ publicAccessCidrs: ["203.0.113.0/24", "0.0.0.0/0"] })),
    ["eks: public API endpoint open to 0.0.0.0/0; list the admin CIDRs"],
  );
});

test("endpoint: an unset or empty publicAccessCidrs is EKS's 0.0.0.0/0 and fails (as Checkov CKV_AWS_38)", () => {
  const unset = [
    "eks: public API endpoint without publicAccessCidrs is open to 0.0.0.0/0; list the admin CIDRs or turn " +
      "the public endpoint off",
  ];
  assert.deepEqual(violations(eksEndpointNotWorldOpen, cluster({ vpcConfig: { subnetIds: ["a"] } })), unset);
  assert.deepEqual(violations(eksEndpointNotWorldOpen, cluster({})), unset);
  assert.deepEqual(
    violations(
      eksEndpointNotWorldOpen,
      cluster({ vpcConfig: { endpointPublicAccess: true, publicAccessCidrs: [] } }),
    ),
    unset,
  );
  const privateOnly = cluster({ vpcConfig: { endpointPublicAccess: false, endpointPrivateAccess: true } });
  assert.deepEqual(violations(eksEndpointNotWorldOpen, privateOnly), []);
});

test("secrets encryption: a KMS key for 'secrets' is required (v7 object and older list shapes)", () => {
  const config = { provider: { keyArn: KEY }, resources: ["secrets"] };
  assert.deepEqual(violations(eksSecretsEncryption, cluster({ encryptionConfig: config })), []);
  assert.deepEqual(violations(eksSecretsEncryption, cluster({ encryptionConfig: [config] })), []);
  const expected = ["eks: Kubernetes Secrets are not encrypted with a KMS key (encryptionConfig)"];
  assert.deepEqual(violations(eksSecretsEncryption, cluster({})), expected);
  assert.deepEqual(
    violations(eksSecretsEncryption, cluster({ encryptionConfig: { provider: {}, resources: ["secrets"] } })),
    expected,
  );
});
