import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { test } from "node:test";
import { containerImagesByDigest } from "../policy/rules/images";
import { violations } from "./helpers/policy";

const DIGEST = `sha256:${"c".repeat(64)}`;
const deployment = (image: string, initImage?: string) => ({
  type: "kubernetes:apps/v1:Deployment",
  name: "webapp",
  props: {
    spec: {
      template: {
        spec: {
          containers: [{ name: "web", image }],
          ...(initImage ? { initContainers: [{ name: "init", image: initImage }] } : {}),
        },
      },
    },
  },
});
const instance = (userData: string) => ({
  type: "aws:ec2/instance:Instance",
  name: "oracle",
  props: { userDataBase64: gzipSync(userData).toString("base64") },
});

test("images by digest: containers of every workload kind name their image by digest", () => {
  assert.deepEqual(violations(containerImagesByDigest, deployment(`registry.example.com/app@${DIGEST}`)), []);
  assert.deepEqual(violations(containerImagesByDigest, deployment(`node:24.7.0-alpine3.22@${DIGEST}`)), []);
  assert.deepEqual(
    violations(containerImagesByDigest, deployment("public.ecr.aws/v3a9u0p7/demo/fraud-webapp:latest")),
    [
      "webapp containers[web]: image public.ecr.aws/v3a9u0p7/demo/fraud-webapp:latest is named by tag; name it by digest (@sha256:…)",
    ],
  );
  assert.equal(
    violations(containerImagesByDigest, deployment(`app@${DIGEST}`, "busybox")).length,
    1,
    "init containers too",
  );
});

test("images by digest: an image named in EC2 user data (an *_IMAGE= assignment or docker pull) too", () => {
  const tagged = "#!/bin/bash\nORACLE_IMAGE='container-registry.oracle.com/database/express:21.3.0-xe'\n";
  assert.deepEqual(violations(containerImagesByDigest, instance(tagged)), [
    "oracle: user data names image container-registry.oracle.com/database/express:21.3.0-xe by tag; name it by digest (@sha256:…)",
  ]);
  assert.equal(violations(containerImagesByDigest, instance("docker pull redis:7\n")).length, 1);
  const pinned = `ORACLE_IMAGE='registry.example.com/xe@${DIGEST}'\ndocker pull --quiet "$ORACLE_IMAGE"\n`;
  assert.deepEqual(violations(containerImagesByDigest, instance(pinned)), []);
});

test("images by digest: the trial stack's pack config allows tags", () => {
  assert.deepEqual(violations(containerImagesByDigest, deployment("app:latest"), { allowTags: true }), []);
});
