import assert from "node:assert/strict";
import { test } from "node:test";
import { load } from "js-yaml";
import {
  analysisCommonDescriptor,
  artifactsIn,
  internalUsersYaml,
  jdkProblem,
  nodeSettings,
  renderSettings,
  rolesMappingYaml,
} from "../engines/driver/opensearch-config";

// The engine tier's OpenSearch node, its pure part: which artifacts it runs and how it is configured.

const FETCHED = ["analysis-common-2.19.4.jar", "opensearch-2.19.4.zip", "opensearch-security-2.19.4.0.zip"];

test("the artifacts: one distribution, its security plugin and analysis-common of the same version", () => {
  assert.deepEqual(artifactsIn(FETCHED), {
    version: "2.19.4",
    distribution: "opensearch-2.19.4.zip",
    securityPlugin: "opensearch-security-2.19.4.0.zip",
    analysisCommon: "analysis-common-2.19.4.jar",
  });
  assert.throws(() => artifactsIn([]), /no OpenSearch distribution .* run `npm run test:engines`/);
  assert.throws(() => artifactsIn([...FETCHED, "opensearch-2.19.5.zip"]), /more than one/);
  assert.throws(
    () => artifactsIn(["opensearch-2.19.4.zip", "opensearch-security-2.19.3.0.zip"]),
    /expected one opensearch-security-2\.19\.4\.<n>\.zip .*found none/,
  );
  assert.throws(() => artifactsIn(FETCHED.slice(1)), /analysis-common-2\.19\.4\.jar is missing/);
});

const SETTINGS = {
  httpPort: 9201,
  transportPort: 9301,
  nodeDn: "CN=localhost",
  certFile: "node.pem",
  keyFile: "node-key.pem",
  caFile: "root-ca.pem",
};

test("the node: loopback, one node, TLS on both layers, the REST API for the master user's roles, audit on", () => {
  const settings = nodeSettings(SETTINGS);
  assert.deepEqual(load(renderSettings(settings)), settings, "every line reads back as YAML");
  assert.equal(settings["network.host"], "127.0.0.1");
  assert.equal(settings["discovery.type"], "single-node");
  assert.equal(settings["plugins.security.ssl.http.enabled"], true);
  for (const layer of ["http", "transport"]) {
    assert.equal(settings[`plugins.security.ssl.${layer}.pemtrustedcas_filepath`], "root-ca.pem");
  }
  assert.deepEqual(settings["plugins.security.nodes_dn"], ["CN=localhost"]);
  assert.deepEqual(settings["plugins.security.restapi.roles_enabled"], ["all_access", "security_manager"]);
  assert.equal(settings["plugins.security.audit.type"], "internal_opensearch");
  assert.throws(() => nodeSettings({ ...SETTINGS, httpPort: 0 }), /not a TCP port: 0/);
});

test("the master user: a bcrypt hash alone in the user database, mapped to all_access and security_manager", () => {
  const hash = `$2y$12$${"a".repeat(53)}`;
  assert.deepEqual(load(internalUsersYaml({ name: "master", passwordHash: hash })), {
    _meta: { type: "internalusers", config_version: 2 },
    master: { hash, backend_roles: [], description: "master user" },
  });
  assert.throws(
    () => internalUsersYaml({ name: "master", passwordHash: "Master-Pw-1" }),
    /not a bcrypt hash/,
  );
  assert.deepEqual(load(rolesMappingYaml("master")), {
    _meta: { type: "rolesmapping", config_version: 2 },
    all_access: { users: ["master"] },
    security_manager: { users: ["master"] },
  });
});

test("analysis-common is laid out as a module of the running version, extending no plugin", () => {
  const descriptor = analysisCommonDescriptor("2.19.4");
  assert.match(descriptor, /^classname=org\.opensearch\.analysis\.common\.CommonAnalysisPlugin$/m);
  assert.match(descriptor, /^opensearch\.version=2\.19\.4$/m);
  assert.match(descriptor, /^extended\.plugins=$/m);
});

test("the JDK: 11 to 23 runs OpenSearch 2.x, a later one is refused naming OPENSEARCH_JAVA_HOME", () => {
  const props = (version: string) =>
    `Property settings:\n    java.home = /jdk\n    java.specification.version = ${version}\n`;
  assert.equal(jdkProblem(props("17")), undefined);
  assert.equal(jdkProblem(props("23")), undefined);
  assert.match(
    jdkProblem(props("25")) ?? "",
    /needs a JDK from 11 to 23; \/jdk is Java 25: set OPENSEARCH_JAVA_HOME/,
  );
  assert.match(jdkProblem(props("1.8")) ?? "", /is Java 8/);
  assert.match(jdkProblem("no properties") ?? "", /cannot tell the Java version/);
});
