import assert from "node:assert/strict";
import { test } from "node:test";
import {
  API_KEY,
  CONNECTOR,
  ROLE_BINDING,
  confluentApiKeyServiceAccountOwner,
  confluentConnectorNoPlaintextSecrets,
  confluentNoAdminRoleBindings,
} from "../policy/rules/confluent";
import { violations } from "./helpers/policy";

const connector = (configNonsensitive: Record<string, string>) => ({
  type: CONNECTOR,
  name: "oracle-cdc",
  props: {
    environment: { id: "env-1" },
    kafkaCluster: { id: "lkc-1" },
    configNonsensitive,
    configSensitive: {},
  },
});

test("connector: plain settings pass; secret-named keys and secret-looking values fail", () => {
  const ok = {
    "connector.class": "OracleXStreamSource",
    "kafka.auth.mode": "SERVICE_ACCOUNT",
    "kafka.service.account.id": "sa-123",
    "database.user": "c##cfltuser",
    "database.tls.mode": "one-way",
    "output.key.format": "AVRO",
  };
  assert.deepEqual(violations(confluentConnectorNoPlaintextSecrets, connector(ok)), []);
  // The reference's keys.
  const bad = {
    ...ok,
    "database.password": "x",
    "kafka.api.secret": "y",
    "aws.redshift.password": "Admin123456!",
    "oauth.refresh.token": "z",
  };
  assert.deepEqual(violations(confluentConnectorNoPlaintextSecrets, connector(bad)), [
    "oracle-cdc: configNonsensitive key 'database.password' is a secret; move it to configSensitive",
    "oracle-cdc: configNonsensitive key 'kafka.api.secret' is a secret; move it to configSensitive",
    "oracle-cdc: configNonsensitive key 'aws.redshift.password' is a secret; move it to configSensitive",
    "oracle-cdc: configNonsensitive key 'oauth.refresh.token' is a secret; move it to configSensitive",
  ]);
  for (const key of ["ssl.private.key", "oracle.wallet", "gcp.credentials.json"]) {
    assert.equal(violations(confluentConnectorNoPlaintextSecrets, connector({ [key]: "v" })).length, 1, key);
  }
  const leakedValue = connector({
    "connection.url": "https://user:x@host",
    "aws.access.key.id": "AKIAIOSFODNN7EXAMPLE",
  });
  assert.deepEqual(violations(confluentConnectorNoPlaintextSecrets, leakedValue), [
    "oracle-cdc: configNonsensitive key 'connection.url' contains a URL with a literal password (line 1)",
    "oracle-cdc: configNonsensitive key 'aws.access.key.id' contains an AWS access key id (line 1)",
  ]);
});

const binding = (roleName: string) => ({
  type: ROLE_BINDING,
  name: "app-manager",
  props: {
    principal: "User:sa-123",
    roleName,
    crnPattern: "crn://confluent.cloud/organization=o/environment=env-1",
  },
});

test("role bindings: scoped roles pass; EnvironmentAdmin only with the escape hatch; OrganizationAdmin never", () => {
  assert.deepEqual(violations(confluentNoAdminRoleBindings, binding("DeveloperRead")), []);
  assert.deepEqual(violations(confluentNoAdminRoleBindings, binding("EnvironmentAdmin")), [
    "app-manager: grants EnvironmentAdmin to User:sa-123; scope the role instead (set allowEnvironmentAdmin only as a documented exception)",
  ]);
  assert.deepEqual(
    violations(confluentNoAdminRoleBindings, binding("EnvironmentAdmin"), { allowEnvironmentAdmin: true }),
    [],
  );
  assert.deepEqual(
    violations(confluentNoAdminRoleBindings, binding("OrganizationAdmin"), { allowEnvironmentAdmin: true }),
    ["app-manager: grants OrganizationAdmin to User:sa-123; scope the role instead"],
  );
});

test("role bindings: CloudClusterAdmin, AccountAdmin and ResourceOwner are refused, even with the escape hatch", () => {
  for (const role of ["CloudClusterAdmin", "AccountAdmin", "ResourceOwner"]) {
    assert.deepEqual(
      violations(confluentNoAdminRoleBindings, binding(role), { allowEnvironmentAdmin: true }),
      [`app-manager: grants ${role} to User:sa-123; scope the role instead`],
      role,
    );
  }
});

const KAFKA = "crn://confluent.cloud/organization=o/environment=env-1/cloud-cluster=lkc-1/kafka=lkc-1";
const REGISTRY = "crn://confluent.cloud/organization=o/environment=env-1/schema-registry=lsrc-1";
const scoped = (crnPattern: string, roleName = "DeveloperRead") => ({
  type: ROLE_BINDING,
  name: "reader",
  props: { principal: "User:sa-123", roleName, crnPattern },
});

test("role bindings: a bare topic=* or subject=* is every topic or subject; prefixes and names pass", () => {
  for (const crn of [
    `${KAFKA}/topic=fd.*`,
    `${KAFKA}/topic=auth_user`,
    `${KAFKA}/group=connect-lcc-*`,
    `${KAFKA}/transactional-id=_confluent-flink_*`,
    `${REGISTRY}/subject=auth_user-*`,
  ]) {
    assert.deepEqual(violations(confluentNoAdminRoleBindings, scoped(crn, "DeveloperWrite")), [], crn);
  }
  assert.deepEqual(violations(confluentNoAdminRoleBindings, scoped(`${KAFKA}/topic=*`)), [
    "reader: grants DeveloperRead to User:sa-123 on every topic (topic=*); name a prefix or the resource instead",
  ]);
  assert.deepEqual(
    violations(confluentNoAdminRoleBindings, scoped(`${REGISTRY}/subject=*`, "DeveloperWrite")),
    [
      "reader: grants DeveloperWrite to User:sa-123 on every subject (subject=*); name a prefix or the resource instead",
    ],
  );
  // ResourceOwner is refused on a prefix too: it lets the holder grant the resources to others.
  assert.equal(
    violations(confluentNoAdminRoleBindings, scoped(`${KAFKA}/topic=fd.*`, "ResourceOwner")).length,
    1,
  );
  assert.equal(
    violations(confluentNoAdminRoleBindings, scoped(`${KAFKA}/topic=*`, "ResourceOwner")).length,
    2,
  );
});

test("API keys: owned by a service account, not a user", () => {
  const key = (kind: string) => ({
    type: API_KEY,
    name: "kafka-key",
    props: { owner: { id: "x", apiVersion: "iam/v2", kind } },
  });
  assert.deepEqual(violations(confluentApiKeyServiceAccountOwner, key("ServiceAccount")), []);
  assert.deepEqual(violations(confluentApiKeyServiceAccountOwner, key("User")), [
    "kafka-key: owner kind is 'User', not 'ServiceAccount'",
  ]);
});

test("role bindings: FlinkAdmin, DataSteward and Operator are refused; so are service-account=*, group=* and transactional-id=*", () => {
  for (const role of ["FlinkAdmin", "DataSteward", "Operator"]) {
    assert.deepEqual(
      violations(confluentNoAdminRoleBindings, binding(role)),
      [`app-manager: grants ${role} to User:sa-123; scope the role instead`],
      role,
    );
  }
  const ORG = "crn://confluent.cloud/organization=o";
  for (const [crn, kind] of [
    [`${ORG}/service-account=*`, "service-account"],
    [`${KAFKA}/group=*`, "group"],
    [`${KAFKA}/transactional-id=*`, "transactional-id"],
  ] as const) {
    assert.deepEqual(
      violations(confluentNoAdminRoleBindings, scoped(crn, "DeveloperWrite")),
      [
        `reader: grants DeveloperWrite to User:sa-123 on every ${kind} (${kind}=*); name a prefix or the resource instead`,
      ],
      crn,
    );
  }
});
