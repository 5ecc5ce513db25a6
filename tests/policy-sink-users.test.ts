import assert from "node:assert/strict";
import { test } from "node:test";
import { readProject } from "../tools/offline/project-config";
import type { StackResourceFixture } from "../tools/plan/policy/args";
import { OPENSEARCH_DOMAIN } from "../policy/rules/aws-opensearch";
import { REDSHIFT_CLUSTER } from "../policy/rules/aws-redshift";
import { CONNECTOR } from "../policy/rules/confluent";
import { DEFAULT_MASTER_USER_NAMES, confluentSinkNotMasterUser } from "../policy/rules/sink-users";
import { stackViolations } from "./helpers/policy";

const sink = (name: string, configNonsensitive: Record<string, string>): StackResourceFixture => ({
  type: CONNECTOR,
  name,
  urn: `urn:${name}`,
  props: { configNonsensitive, configSensitive: {} },
});
const redshiftSink = (user: string) =>
  sink("redshift-sink", { "connector.class": "RedshiftSink", "aws.redshift.user": user });
const opensearchSink = (user: string) =>
  sink("opensearch-sink", { "connector.class": "OpenSearchSink", "connection.user": user });
const cluster: StackResourceFixture = {
  type: REDSHIFT_CLUSTER,
  name: "warehouse",
  props: { masterUsername: "dwhmaster" },
};
const domain: StackResourceFixture = {
  type: OPENSEARCH_DOMAIN,
  name: "search",
  props: { advancedSecurityOptions: { enabled: true, masterUserOptions: { masterUserName: "osmaster" } } },
};
const messages = (fixtures: StackResourceFixture[], config: Record<string, unknown> = {}) =>
  stackViolations(confluentSinkNotMasterUser, fixtures, config).map((v) => `${v.urn} ${v.message}`);

test("sink users: dedicated users pass; a master user of the same stack fails", () => {
  const stores = [cluster, domain];
  assert.deepEqual(messages([...stores, redshiftSink("fd_sink"), opensearchSink("flagged-writer")]), []);
  assert.deepEqual(messages([...stores, redshiftSink("DWHMASTER"), opensearchSink("osmaster")]), [
    "urn:redshift-sink redshift-sink: aws.redshift.user is a master user; give the connector a dedicated user that may only write what it sinks",
    "urn:opensearch-sink opensearch-sink: connection.user is a master user; give the connector a dedicated user that may only write what it sinks",
  ]);
  assert.equal(messages([sink("s", { "connection.username": "osmaster" }), domain]).length, 1);
});

test("sink users: without the data stores in the stack, the configured master names are refused", () => {
  // The processing stack's sinks log in to the aws-resources stack's stores, which it cannot see.
  assert.equal(messages([redshiftSink("fraudadmin"), opensearchSink("admin")]).length, 2);
  assert.deepEqual(messages([redshiftSink("dwhmaster")]), []);
  assert.equal(messages([redshiftSink("dwhmaster")], { masterUserNames: ["dwhmaster"] }).length, 1);
});

test("sink users: the default refused names include the stacks' default master users", () => {
  const defaults = Object.fromEntries(
    readProject("aws-resources").keys.map((k) => [k.key, k.default] as const),
  );
  for (const key of ["redshiftAdminUser", "opensearchMasterUser"]) {
    const name = defaults[key];
    assert.equal(typeof name, "string", key);
    assert.ok(DEFAULT_MASTER_USER_NAMES.includes(name as string), `${key} default ${String(name)}`);
  }
});
