import assert from "node:assert/strict";
import { test } from "node:test";
import * as confluentcloud from "@pulumi/confluentcloud";
import { managedSinkOwnGrants } from "../lib/managed-connector-access";
import type { Grant } from "../lib/role-bindings";
import { bindGrants, crnPattern, grants, tableGrants } from "../lib/role-bindings";
import { runStack } from "../tools/offline/run-stack";
import { byName, ofType } from "./helpers/resources";

const CRNS = {
  kafkaRbacCrn: "crn://confluent.cloud/organization=o/environment=env-1/cloud-cluster=lkc-1",
  kafkaClusterId: "lkc-1",
  schemaRegistryCrn: "crn://confluent.cloud/organization=o/environment=env-1/schema-registry=lsrc-1",
};
const show = (g: Grant) => `${g.principal} ${g.role} ${g.scope} ${g.crnSuffix}`;

test("tableGrants: the roles on a table's topic, then on its subjects", () => {
  assert.deepEqual(
    tableGrants("reader", "orders", {
      topic: ["DeveloperRead"],
      subjects: ["DeveloperRead", "DeveloperWrite"],
    }).map(show),
    [
      "reader DeveloperRead kafka topic=orders",
      "reader DeveloperRead schema-registry subject=orders-*",
      "reader DeveloperWrite schema-registry subject=orders-*",
    ],
  );
});

test("a managed sink's own grants: read its connect-lcc-* group, write and manage its report topics", () => {
  assert.deepEqual(managedSinkOwnGrants("sink").map(show), [
    "sink DeveloperRead kafka group=connect-lcc-*",
    "sink DeveloperWrite kafka topic=dlq-lcc-*",
    "sink DeveloperManage kafka topic=dlq-lcc-*",
    "sink DeveloperWrite kafka topic=success-lcc-*",
    "sink DeveloperManage kafka topic=success-lcc-*",
    "sink DeveloperWrite kafka topic=error-lcc-*",
    "sink DeveloperManage kafka topic=error-lcc-*",
  ]);
});

test("crnPattern: a grant on a scope whose CRN was not given is an error naming the scope", () => {
  const [onEnvironment] = grants("deployer", ["FlinkDeveloper"], "environment", "");
  assert.throws(
    () => crnPattern(onEnvironment!, CRNS, {}),
    /deployer\/FlinkDeveloper needs the environment CRN/,
  );
  assert.equal(
    crnPattern(
      onEnvironment!,
      { ...CRNS, environmentCrn: "crn://confluent.cloud/organization=o/environment=env-1" },
      {},
    ),
    "crn://confluent.cloud/organization=o/environment=env-1",
  );
});

test("bindGrants: one binding per grant, named after it, with the principal's account and the full CRN", async () => {
  const program = async () => {
    const deployer = new confluentcloud.ServiceAccount("deployer", { displayName: "deployer" });
    const statements = new confluentcloud.ServiceAccount("statements", { displayName: "statements" });
    const ids = { deployer: deployer.id, statements: statements.id };
    bindGrants(
      "access",
      [
        ...tableGrants("statements", "orders", { topic: ["DeveloperManage"], subjects: [] }),
        ...grants("deployer", ["Assigner"], "organization", "service-account=@statements"),
      ],
      {
        accountId: (p) => ids[p],
        crns: { ...CRNS, organizationCrn: "crn://confluent.cloud/organization=o" },
      },
      {},
      (g) => (g.role === "Assigner" ? { aliases: [{ name: "access-assigner" }] } : {}),
    );
    return {};
  };
  const run = await runStack({ project: "p", stack: "dev", region: "us-east-1", config: {}, program });
  const [manage, assigner] = ofType(run, "confluentcloud:index/roleBinding:RoleBinding");
  assert.equal(manage?.name, "access-statements-developermanage-topic-orders");
  assert.equal(manage?.inputs.crnPattern, `${CRNS.kafkaRbacCrn}/kafka=lkc-1/topic=orders`);
  assert.equal(assigner?.name, "access-deployer-assigner-service-account-statements");
  assert.equal(assigner?.inputs.roleName, "Assigner");
  const statementsId = String(manage?.inputs.principal).replace(/^User:/, "");
  assert.match(statementsId, /^sa-/);
  assert.notEqual(assigner?.inputs.principal, manage?.inputs.principal, "each binds its own principal");
  assert.equal(
    assigner?.inputs.crnPattern,
    `crn://confluent.cloud/organization=o/service-account=${statementsId}`,
  );
  assert.ok(assigner?.dependencyUrns.includes(byName(run, "statements").urn), "the account its CRN names");
  assert.ok(assigner?.dependencyUrns.includes(byName(run, "deployer").urn), "the account it binds");
  assert.ok(!manage?.dependencyUrns.includes(byName(run, "deployer").urn), "no account it does not name");
  assert.deepEqual(assigner?.aliases, [assigner?.urn.replace(/::[^:]+$/, "::access-assigner")]);
  assert.deepEqual(manage?.aliases, []);
});
