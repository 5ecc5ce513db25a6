import assert from "node:assert/strict";
import { test } from "node:test";
import {
  NAME_LIMITS,
  baseName,
  checkNamesFit,
  normaliseStack,
  physicalName,
  standardTags,
} from "../lib/naming";

test("names are prefix-stack[-role]-suffix with the stack normalised", () => {
  assert.equal(normaliseStack("Prod_EU.1"), "prod-eu-1");
  assert.equal(baseName("fd", "dev"), "fd-dev");
  assert.equal(physicalName("fd-dev", "a1b2"), "fd-dev-a1b2");
  assert.equal(physicalName("fd-dev", "a1b2", "oracle"), "fd-dev-oracle-a1b2");
});

test("checkNamesFit refuses a prefix that makes the OpenSearch domain name too long", () => {
  assert.equal(checkNamesFit("fd", "dev"), undefined);
  const longest = "p".repeat(NAME_LIMITS.opensearchDomain - 4 - 2 - 3);
  assert.equal(checkNamesFit(longest, "dev"), undefined);
  const message = checkNamesFit(longest + "p", "dev");
  assert.match(message ?? "", /exceed 28 characters; use a prefix of at most 19 characters/);
});

test("the standard tag set carries owner and cost centre", () => {
  assert.deepEqual(
    standardTags({ project: "aws-resources", stack: "dev", owner: "team", costCenter: "cc1" }),
    {
      Project: "fraud-infra",
      PulumiProject: "aws-resources",
      PulumiStack: "dev",
      Owner: "team",
      CostCenter: "cc1",
      ManagedBy: "pulumi",
    },
  );
});
