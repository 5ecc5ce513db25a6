import assert from "node:assert/strict";
import { test } from "node:test";
import { standardTags } from "../lib/naming";
import { TAGGABLE_AWS_TYPES } from "../policy/rules/aws-taggable-types";
import { AWS_PROVIDER, REQUIRED_TAG_KEYS, awsStandardTags, effectiveTags } from "../policy/rules/tags";
import { SDK_DIR, renderTaggableTypes, taggableAwsTypes } from "../policy/scripts/taggable-types";
import { violations } from "./helpers/policy";

const TAGS = standardTags({
  project: "aws-resources",
  stack: "dev",
  owner: "fraud-team",
  costCenter: "cc-42",
});
const provider = (defaultTags: unknown) => ({
  type: AWS_PROVIDER,
  name: "aws",
  urn: "urn:pulumi:dev::aws-resources::pulumi:providers:aws::aws",
  props: { region: "us-east-1", defaultTags },
});
const vpc = { type: "aws:ec2/vpc:Vpc", name: "vpc", props: { cidrBlock: "10.0.0.0/16" } };

test("the required tag keys are standard tags", () => {
  for (const key of REQUIRED_TAG_KEYS) assert.ok(key in TAGS, key);
});

test("tags through the provider's defaultTags pass, as a JSON string (SDK wire form) or an object", () => {
  assert.deepEqual(
    violations(awsStandardTags, { ...vpc, provider: provider(JSON.stringify({ tags: TAGS })) }),
    [],
  );
  assert.deepEqual(violations(awsStandardTags, { ...vpc, provider: provider({ tags: TAGS }) }), []);
});

test("tags on the resource (or tagsAll) pass; resource tags override provider defaults", () => {
  assert.deepEqual(violations(awsStandardTags, { ...vpc, props: { ...vpc.props, tags: TAGS } }), []);
  assert.deepEqual(violations(awsStandardTags, { ...vpc, props: { ...vpc.props, tagsAll: TAGS } }), []);
  const merged = effectiveTags({ tags: { Owner: "someone-else" } }, provider(JSON.stringify({ tags: TAGS })));
  assert.equal(merged.Owner, "someone-else");
  assert.equal(merged.CostCenter, "cc-42");
});

test("missing or blank tags fail, naming the keys", () => {
  assert.deepEqual(violations(awsStandardTags, vpc), [
    "vpc: missing tags Project, PulumiStack, Owner, CostCenter (set them through the AWS provider's defaultTags)",
  ]);
  const partial = provider(JSON.stringify({ tags: { ...TAGS, Owner: " ", CostCenter: undefined } }));
  assert.deepEqual(violations(awsStandardTags, { ...vpc, provider: partial }), [
    "vpc: missing tags Owner, CostCenter (set them through the AWS provider's defaultTags)",
  ]);
});

test("untaggable AWS types and other providers' resources are not checked", () => {
  const attachment = {
    type: "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    name: "a",
    props: { role: "r", policyArn: "p" },
  };
  assert.deepEqual(violations(awsStandardTags, attachment), []);
  assert.deepEqual(
    violations(awsStandardTags, { type: "random:index/randomId:RandomId", name: "id", props: {} }),
    [],
  );
  assert.deepEqual(violations(awsStandardTags, { type: AWS_PROVIDER, name: "aws", props: {} }), []);
});

test("the taggable-type list matches the installed @pulumi/aws (regenerate with policy/scripts/taggable-types.ts)", () => {
  const fromSdk = taggableAwsTypes(SDK_DIR);
  assert.deepEqual([...TAGGABLE_AWS_TYPES], fromSdk);
  assert.ok(
    fromSdk.includes("aws:ec2/vpc:Vpc") &&
      !fromSdk.includes("aws:iam/rolePolicyAttachment:RolePolicyAttachment"),
  );
  assert.match(renderTaggableTypes(["aws:a/b:B"]), /^\s+"aws:a\/b:B",$/m);
});
