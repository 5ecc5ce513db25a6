import assert from "node:assert/strict";
import { before, test } from "node:test";
import type { StackRun } from "../tools/offline/run-stack";
import type { Grant } from "../lib/role-bindings";
import { crnPattern, grantResourceName, referencedPrincipals } from "../lib/role-bindings";
import {
  environmentAdminGrants,
  flinkKeyOwner,
  leastPrivilegeGrants,
  PRINCIPALS,
  principalsFor,
} from "../stacks/connector/access-grants";
import { ofType } from "./helpers/resources";
import { runStackUnderTest, sharedStackRun } from "./helpers/stack-under-test";

const NAMES = {
  topicPrefix: "fd",
  cdcTopics: ["fd.SAMPLE.AUTH_USER", "fd.SAMPLE.USER_TRANSACTION"],
  tables: ["auth_user", "user_transaction"],
};

const show = (g: Grant) => `${g.role} ${g.scope} ${g.crnSuffix}`;
const granted = leastPrivilegeGrants(NAMES);
const of = (principal: string) => granted.filter((g) => g.principal === principal).map(show);

test("cdc-source: write/manage its topics, its __orcl-* internal topics and its subjects, nothing else", () => {
  assert.deepEqual(of("cdc-source"), [
    "DeveloperWrite kafka topic=fd.*",
    "DeveloperManage kafka topic=fd.*",
    "DeveloperRead kafka topic=__orcl-*",
    "DeveloperWrite kafka topic=__orcl-*",
    "DeveloperManage kafka topic=__orcl-*",
    "DeveloperRead schema-registry subject=fd.*",
    "DeveloperWrite schema-registry subject=fd.*",
  ]);
});

test("sink-connectors: read the tables, connect-lcc-* groups, write their dlq/success/error topics", () => {
  assert.deepEqual(of("sink-connectors"), [
    "DeveloperRead kafka topic=auth_user",
    "DeveloperRead kafka topic=user_transaction",
    "DeveloperRead kafka group=connect-lcc-*",
    "DeveloperWrite kafka topic=dlq-lcc-*",
    "DeveloperManage kafka topic=dlq-lcc-*",
    "DeveloperWrite kafka topic=success-lcc-*",
    "DeveloperManage kafka topic=success-lcc-*",
    "DeveloperWrite kafka topic=error-lcc-*",
    "DeveloperManage kafka topic=error-lcc-*",
    "DeveloperRead schema-registry subject=auth_user-*",
    "DeveloperRead schema-registry subject=user_transaction-*",
  ]);
});

test("flink-statements: transactional ids, ALTER on the CDC topics, own the tables it creates", () => {
  assert.deepEqual(of("flink-statements"), [
    "DeveloperRead kafka transactional-id=_confluent-flink_*",
    "DeveloperWrite kafka transactional-id=_confluent-flink_*",
    "DeveloperManage kafka group=_confluent-flink_*",
    "DeveloperRead kafka topic=fd.SAMPLE.AUTH_USER",
    "DeveloperManage kafka topic=fd.SAMPLE.AUTH_USER",
    "DeveloperRead schema-registry subject=fd.SAMPLE.AUTH_USER-*",
    "DeveloperWrite schema-registry subject=fd.SAMPLE.AUTH_USER-*",
    "DeveloperRead kafka topic=fd.SAMPLE.USER_TRANSACTION",
    "DeveloperManage kafka topic=fd.SAMPLE.USER_TRANSACTION",
    "DeveloperRead schema-registry subject=fd.SAMPLE.USER_TRANSACTION-*",
    "DeveloperWrite schema-registry subject=fd.SAMPLE.USER_TRANSACTION-*",
    "DeveloperRead kafka topic=auth_user",
    "DeveloperWrite kafka topic=auth_user",
    "DeveloperManage kafka topic=auth_user",
    "DeveloperRead schema-registry subject=auth_user-*",
    "DeveloperWrite schema-registry subject=auth_user-*",
    "DeveloperRead kafka topic=user_transaction",
    "DeveloperWrite kafka topic=user_transaction",
    "DeveloperManage kafka topic=user_transaction",
    "DeveloperRead schema-registry subject=user_transaction-*",
    "DeveloperWrite schema-registry subject=user_transaction-*",
  ]);
});

test("flink-deployer: FlinkDeveloper on the environment and Assigner on the statements account only", () => {
  assert.deepEqual(of("flink-deployer"), [
    "FlinkDeveloper environment ",
    "Assigner organization service-account=@flink-statements",
  ]);
});

test("app: read-only on the CDC topics, its own consumer groups and the CDC subjects", () => {
  assert.deepEqual(of("app"), [
    "DeveloperRead kafka topic=fd.*",
    "DeveloperRead kafka group=fd-app-*",
    "DeveloperRead schema-registry subject=fd.*",
  ]);
});

test("the fine-grained grants have no admin role, covers every account, and follows the topic prefix", () => {
  assert.ok(!granted.some((g) => /Admin|ResourceOwner/.test(g.role)));
  assert.deepEqual([...new Set(granted.map((g) => g.principal))].sort(), [...PRINCIPALS].sort());
  const cdc = leastPrivilegeGrants({ ...NAMES, topicPrefix: "cdc", cdcTopics: ["cdc.SAMPLE.AUTH_USER"] });
  assert.ok(cdc.some((g) => g.principal === "cdc-source" && g.crnSuffix === "topic=cdc.*"));
  assert.ok(!cdc.some((g) => g.crnSuffix.includes("fd.")));
});

test("grant resource names are unique and stable", () => {
  const names = granted.map(grantResourceName);
  assert.equal(new Set(names).size, names.length);
  assert.equal(grantResourceName(granted[0] as Grant), "cdc-source-developerwrite-topic-fd-all");
});

test("the escape hatch: one EnvironmentAdmin per account, no deployer, the Flink key owned by its principal", () => {
  assert.deepEqual(
    environmentAdminGrants().map((g) => `${g.principal} ${show(g)}`),
    [
      "cdc-source EnvironmentAdmin environment ",
      "sink-connectors EnvironmentAdmin environment ",
      "flink-statements EnvironmentAdmin environment ",
      "app EnvironmentAdmin environment ",
    ],
  );
  assert.deepEqual(principalsFor(true), ["cdc-source", "sink-connectors", "flink-statements", "app"]);
  assert.equal(flinkKeyOwner(true), "flink-statements");
  assert.equal(flinkKeyOwner(false), "flink-deployer");
});

test("crnPattern builds each scope's CRN and resolves @account references", () => {
  const crns = {
    kafkaRbacCrn: "crn://confluent.cloud/organization=o/environment=env-1/cloud-cluster=lkc-1",
    kafkaClusterId: "lkc-1",
    schemaRegistryCrn: "crn://confluent.cloud/organization=o/environment=env-1/schema-registry=lsrc-1",
    environmentCrn: "crn://confluent.cloud/organization=o/environment=env-1",
    organizationCrn: "crn://confluent.cloud/organization=o",
  };
  const ids = { "flink-statements": "sa-stmt" };
  const pattern = (g: Grant) => crnPattern(g, crns, ids);
  const find = (role: string, suffix: string) =>
    granted.find((g) => g.role === role && g.crnSuffix === suffix) as Grant;
  assert.equal(pattern(find("DeveloperWrite", "topic=fd.*")), `${crns.kafkaRbacCrn}/kafka=lkc-1/topic=fd.*`);
  assert.equal(pattern(find("DeveloperRead", "subject=fd.*")), `${crns.schemaRegistryCrn}/subject=fd.*`);
  assert.equal(pattern(find("FlinkDeveloper", "")), crns.environmentCrn);
  const assigner = find("Assigner", "service-account=@flink-statements");
  assert.deepEqual(referencedPrincipals(assigner), ["flink-statements"]);
  assert.equal(pattern(assigner), "crn://confluent.cloud/organization=o/service-account=sa-stmt");
  assert.throws(() => crnPattern(assigner, crns, {}), /unknown account flink-statements/);
});

// ---- under mocks -------------------------------------------------------------------------------

let run: StackRun;
let adminRun: StackRun;
let warnings: readonly string[] = [];
let adminWarnings: readonly string[] = [];
before(async () => {
  run = await sharedStackRun("connector");
  adminRun = await runStackUnderTest("connector", { overrides: { useEnvironmentAdmin: true } });
  warnings = run.warnings;
  adminWarnings = adminRun.warnings;
});

const accountsOf = (r: StackRun) =>
  new Map(
    ofType(r, "confluentcloud:index/serviceAccount:ServiceAccount").map((sa) => [
      String(sa.inputs.displayName).replace(/^fd-dev-a1b2-/, ""),
      sa,
    ]),
  );
const bindingsOf = (r: StackRun, saId: string) =>
  ofType(r, "confluentcloud:index/roleBinding:RoleBinding").filter(
    (b) => b.inputs.principal === `User:${saId}`,
  );

/** Service-account ids as the stack wired them: outputs, the connector config and the Flink key owner. */
function accountIds(r: StackRun): Record<string, string> {
  const out = r.outputs as Record<string, string>;
  const connector = r.resources.find((x) => x.type === "confluentcloud:index/connector:Connector");
  const flinkKey = r.resources.find((x) => x.name === "access-flink-api-key");
  return {
    "cdc-source": String(
      (connector?.inputs.configNonsensitive as Record<string, string>)["kafka.service.account.id"],
    ),
    "sink-connectors": String(out.sinkServiceAccountId),
    "flink-statements": String(out.flinkStatementServiceAccountId),
    "flink-deployer": (flinkKey?.inputs.owner as { id: string }).id,
    app: String(out.appServiceAccountId),
  };
}

test("each service account gets exactly its granted role bindings, with full CRNs", () => {
  const out = run.outputs as Record<string, string>;
  const ids = accountIds(run);
  assert.equal(new Set(Object.values(ids)).size, PRINCIPALS.length, "five distinct accounts");
  const crns = {
    kafkaRbacCrn: String(out.kafkaRbacCrn),
    kafkaClusterId: String(out.kafkaClusterId),
    schemaRegistryCrn: String(out.schemaRegistryCrn),
    environmentCrn: `crn://confluent.cloud/organization=${out.organizationId}/environment=${out.environmentId}`,
    organizationCrn: `crn://confluent.cloud/organization=${out.organizationId}`,
  };
  for (const principal of PRINCIPALS) {
    const actual = bindingsOf(run, String(ids[principal])).map(
      (b) => `${String(b.inputs.roleName)} ${String(b.inputs.crnPattern)}`,
    );
    const expected = granted
      .filter((g) => g.principal === principal)
      .map((g) => `${g.role} ${crnPattern(g, crns, ids)}`);
    assert.deepEqual(actual, expected, principal);
  }
  assert.equal(ofType(run, "confluentcloud:index/roleBinding:RoleBinding").length, granted.length);
  // Spot-check one literal CRN so the comparison above cannot be vacuous.
  assert.ok(
    bindingsOf(run, String(ids["cdc-source"])).some(
      (b) => b.inputs.crnPattern === `${out.kafkaRbacCrn}/kafka=${out.kafkaClusterId}/topic=__orcl-*`,
    ),
  );
});

test("no EnvironmentAdmin (or any admin role) unless the switch is on", () => {
  assert.ok(!warnings.some((w) => w.includes("useEnvironmentAdmin")));
  const roles = ofType(run, "confluentcloud:index/roleBinding:RoleBinding").map((b) =>
    String(b.inputs.roleName),
  );
  assert.ok(!roles.some((r) => /Admin|ResourceOwner/.test(r)), roles.join(","));
});

test("with useEnvironmentAdmin: exactly one EnvironmentAdmin binding per account on the environment", () => {
  const out = adminRun.outputs as Record<string, string>;
  const bindings = ofType(adminRun, "confluentcloud:index/roleBinding:RoleBinding");
  const accounts = accountsOf(adminRun);
  assert.deepEqual([...accounts.keys()].sort(), ["app", "cdc-source", "flink-statements", "sink-connectors"]);
  assert.equal(bindings.length, 4);
  for (const b of bindings) {
    assert.equal(b.inputs.roleName, "EnvironmentAdmin");
    assert.equal(
      b.inputs.crnPattern,
      `crn://confluent.cloud/organization=${out.organizationId}/environment=${out.environmentId}`,
    );
  }
  assert.ok(
    adminWarnings.some((w) =>
      /useEnvironmentAdmin is true: every service account gets EnvironmentAdmin/.test(w),
    ),
  );
  const flinkKey = adminRun.resources.find((r) => r.name === "access-flink-api-key");
  assert.equal((flinkKey?.inputs.owner as { id: string }).id, out.flinkStatementServiceAccountId);
  // The processing stack reads this to skip its own fine-grained bindings.
  assert.equal(out.accessMode, "environment-admin");
  assert.equal((run.outputs as Record<string, string>).accessMode, "least-privilege");
});

for (const [label, which] of [
  ["fine-grained", () => run],
  ["EnvironmentAdmin", () => adminRun],
] as const) {
  test(`${label}: every API key depends on all role bindings of its owner and on nothing of the others`, () => {
    const r = which();
    const keys = ofType(r, "confluentcloud:index/apiKey:ApiKey");
    assert.equal(keys.length, 3);
    for (const key of keys) {
      const owner = (key.inputs.owner as { id: string }).id;
      const own = bindingsOf(r, owner);
      assert.ok(own.length > 0, `${key.name} owner has bindings`);
      for (const b of own) assert.ok(key.dependencyUrns.includes(b.urn), `${key.name} waits for ${b.name}`);
      const others = ofType(r, "confluentcloud:index/roleBinding:RoleBinding").filter(
        (b) => !own.includes(b),
      );
      for (const b of others) assert.ok(!key.dependencyUrns.includes(b.urn), `${key.name} ignores ${b.name}`);
    }
  });
}

test("API keys: Flink key on the Flink region of the environment, app keys on the cluster and Schema Registry", () => {
  const out = run.outputs as Record<string, string>;
  const key = (name: string) => run.resources.find((r) => r.name === name)?.inputs;
  assert.deepEqual(
    (key("access-flink-api-key")?.managedResource as Record<string, unknown>).id,
    "aws.us-east-1",
  );
  assert.notEqual(
    (key("access-flink-api-key")?.owner as { id: string }).id,
    out.flinkStatementServiceAccountId,
  );
  assert.equal(accountsOf(run).get("flink-deployer")?.inputs.displayName, "fd-dev-a1b2-flink-deployer");
  assert.equal((key("access-kafka-api-key")?.managedResource as { id: string }).id, out.kafkaClusterId);
  assert.equal((key("access-kafka-api-key")?.owner as { id: string }).id, out.appServiceAccountId);
  assert.equal(
    (key("access-schema-registry-api-key")?.managedResource as { id: string }).id,
    out.schemaRegistryId,
  );
  assert.ok(run.secretOutputNames.includes("flinkApiSecret"));
  assert.ok(run.secretOutputNames.includes("appKafkaApiSecret"));
});
