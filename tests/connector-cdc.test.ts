import assert from "node:assert/strict";
import { SECRET_CONFIG_KEY } from "../lib/connector-config";
import { before, test } from "node:test";
import { MOCK_CONNECT_EGRESS } from "../tools/offline/fixtures";
import type { StackRun } from "../tools/offline/run-stack";
import { StackRunError } from "../tools/offline/run-stack";
import { spreadCidrs } from "../lib/security-group-quota";
import type { IpAddressEntry, OracleEndpoint } from "../stacks/connector/oracle-cdc-config";
import {
  cdcTopic,
  columnExcludeList,
  connectEgressCidrs,
  oracleCdcConfig,
  tableIncludeList,
} from "../stacks/connector/oracle-cdc-config";
import { SYNTHETIC_ORACLE_PASSWORD, syntheticAwsResources } from "./helpers/synthetic-upstream";
import { runStackUnderTest, sharedStackRun } from "./helpers/stack-under-test";

/** The Oracle endpoint the synthetic aws-resources stack exports (its outputs carry every OracleEndpoint field). */
const DB = syntheticAwsResources as unknown as OracleEndpoint;
const SETTINGS = {
  connectorName: "fd-dev-a1b2-oracle-xstream",
  topicPrefix: "fd",
  snapshotMode: "initial",
  processorLicenses: 1,
  serviceAccountId: "sa-cdc1",
} as const;

const EXPECTED_NONSENSITIVE = {
  "connector.class": "OracleXStreamSource",
  name: "fd-dev-a1b2-oracle-xstream",
  "kafka.auth.mode": "SERVICE_ACCOUNT",
  "kafka.service.account.id": "sa-cdc1",
  "database.hostname": "ec2-203-0-113-10.us-east-1.compute.amazonaws.com",
  "database.port": "1521",
  "database.user": "c##cfltuser",
  "database.dbname": "XE",
  "database.service.name": "XE",
  "database.pdb.name": "XEPDB1",
  "database.out.server.name": "XOUT",
  "database.processor.licenses": "1",
  "database.tls.mode": "disable",
  "table.include.list": "SAMPLE[.]AUTH_USER,SAMPLE[.]USER_TRANSACTION",
  "column.exclude.list": "SAMPLE[.]AUTH_USER[.]PASSWORD",
  "topic.prefix": "fd",
  "output.data.format": "AVRO",
  "output.key.format": "AVRO",
  "snapshot.mode": "initial",
  "decimal.handling.mode": "precise",
  "tasks.max": "1",
};

test("oracleCdcConfig: exact keys and values; the password only in the sensitive part", () => {
  const cfg = oracleCdcConfig(DB, SETTINGS);
  assert.deepEqual(cfg.nonsensitive, EXPECTED_NONSENSITIVE);
  assert.deepEqual(cfg.sensitive, { "database.password": SYNTHETIC_ORACLE_PASSWORD });
});

test("no secret-like key or the password value in the nonsensitive config", () => {
  const cfg = oracleCdcConfig(DB, { ...SETTINGS, snapshotMode: "no_data" });
  const leaks = Object.keys(cfg.nonsensitive).filter((k) => SECRET_CONFIG_KEY.test(k));
  assert.deepEqual(leaks, []);
  assert.ok(!Object.values(cfg.nonsensitive).includes(SYNTHETIC_ORACLE_PASSWORD));
  // The guard itself must catch what it is for.
  for (const k of [
    "database.password",
    "kafka.api.secret",
    "database.wallet.file",
    "snowflake.private.key",
  ]) {
    assert.match(k, SECRET_CONFIG_KEY);
  }
  assert.equal(cfg.nonsensitive["snapshot.mode"], "no_data");
  assert.ok(!("table.inclusion.regex" in cfg.nonsensitive), "that key belongs to the LogMiner connector");
});

test("topic names and table/column filters", () => {
  assert.equal(cdcTopic("fd", "SAMPLE", "AUTH_USER"), "fd.SAMPLE.AUTH_USER");
  assert.equal(cdcTopic("fd", "C##APP", "T"), "fd.C__APP.T");
  assert.equal(tableIncludeList("SAMPLE", ["A", "B_C"]), "SAMPLE[.]A,SAMPLE[.]B_C");
  assert.equal(tableIncludeList("C##X$Y", ["T"]), "C\\#\\#X\\$Y[.]T");
  assert.equal(columnExcludeList("SAMPLE"), "SAMPLE[.]AUTH_USER[.]PASSWORD");
});

const entry = (ipPrefix: string, over: Partial<IpAddressEntry> = {}): IpAddressEntry => ({
  ipPrefix,
  cloud: "AWS",
  region: "us-east-1",
  services: ["CONNECT"],
  addressType: "EGRESS",
  ...over,
});

test("connectEgressCidrs keeps only AWS / region / CONNECT / EGRESS, de-duplicated and sorted", () => {
  const cidrs = connectEgressCidrs(
    [
      entry("198.51.100.64/28"),
      entry("198.51.100.16/28"),
      entry("198.51.100.16/28"),
      entry("2001:db8::/56"),
      entry("192.0.2.0/24", { services: ["KAFKA"], addressType: "INGRESS" }),
      entry("192.0.2.64/26", { addressType: "INGRESS" }),
      entry("192.0.2.128/26", { services: ["KAFKA"] }),
      entry("203.0.113.0/28", { region: "eu-west-1" }),
      entry("203.0.113.16/28", { cloud: "GCP" }),
    ],
    "us-east-1",
  );
  assert.deepEqual(cidrs, ["198.51.100.16/28", "198.51.100.64/28", "2001:db8::/56"]);
  assert.throws(() => connectEgressCidrs([entry("198.51.100.300/28")], "us-east-1"), /malformed CIDR/);
});

// ---- under mocks -------------------------------------------------------------------------------

let run: StackRun;
const ingressGroups = syntheticAwsResources.oracleIngressSecurityGroupIds as string[];
before(async () => {
  run = await sharedStackRun("connector");
});

const connectorOf = (r: StackRun) =>
  r.resources.find((x) => x.type === "confluentcloud:index/connector:Connector");

test("the connector resource: exact config from the upstream outputs, password only as a secret", () => {
  const c = connectorOf(run);
  assert.ok(c);
  const sa = (c.inputs.configNonsensitive as Record<string, string>)["kafka.service.account.id"];
  assert.match(String(sa), /^sa-/);
  assert.deepEqual(c.inputs.configNonsensitive, {
    ...EXPECTED_NONSENSITIVE,
    "kafka.service.account.id": sa,
    "database.hostname": syntheticAwsResources.oracleHost,
  });
  assert.deepEqual(c.inputs.configSensitive, { "database.password": SYNTHETIC_ORACLE_PASSWORD });
  assert.ok(c.secretInputPaths.some((p) => p === "configSensitive" || p.startsWith("configSensitive")));
  assert.deepEqual(c.maskedInputs.configSensitive, "[secret]");
  assert.deepEqual(c.inputs.environment, { id: run.outputs.environmentId });
  assert.deepEqual(c.inputs.kafkaCluster, { id: run.outputs.kafkaClusterId });
});

test("the Oracle password appears in no resource's printable inputs and no output", () => {
  for (const r of run.resources) {
    assert.ok(!JSON.stringify(r.maskedInputs).includes(SYNTHETIC_ORACLE_PASSWORD), `${r.type} ${r.name}`);
  }
  assert.ok(!JSON.stringify(run.outputs).includes(SYNTHETIC_ORACLE_PASSWORD));
});

test("Oracle ingress rules: one per mocked CONNECT egress CIDR, port 1521, in the upstream connector ingress groups", () => {
  const rules = run.resources.filter(
    (r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  );
  assert.deepEqual(rules.map((r) => r.inputs.cidrIpv4).sort(), [...MOCK_CONNECT_EGRESS].sort());
  assert.ok(!rules.some((r) => r.inputs.cidrIpv4 === "192.0.2.0/24"), "the KAFKA/INGRESS entry is no rule");
  const provider = run.resources.find((r) => r.type === "pulumi:providers:aws");
  for (const r of rules) {
    const group = spreadCidrs("x", MOCK_CONNECT_EGRESS, ingressGroups, 60).find((g) =>
      g.cidrs.includes(String(r.inputs.cidrIpv4)),
    );
    assert.equal(
      r.inputs.securityGroupId,
      group?.securityGroupId,
      `${r.name} in the group spreadCidrs picks`,
    );
    assert.equal(r.inputs.ipProtocol, "tcp");
    assert.equal(r.inputs.fromPort, 1521);
    assert.equal(r.inputs.toPort, 1521);
    assert.match(
      String(r.inputs.description),
      /^Oracle listener from Confluent Cloud CONNECT egress .+\/\d+/,
    );
    assert.ok(provider && r.providerRef.startsWith(provider.urn), `${r.name} uses the explicit provider`);
  }
  assert.equal(provider?.inputs.region, "us-east-1");
  assert.deepEqual(JSON.parse(String(provider?.inputs.defaultTags)), {
    tags: {
      Project: "fraud-infra",
      PulumiProject: "connector",
      PulumiStack: "dev",
      Owner: "data-platform",
      CostCenter: "fraud-detection",
      ManagedBy: "pulumi",
    },
  });
  assert.deepEqual(run.outputs.connectEgressCidrs, [...MOCK_CONNECT_EGRESS].sort());
});

test("the connector waits for its role bindings, the ingress rules and the Oracle ready gate", () => {
  const c = connectorOf(run);
  assert.ok(c);
  const sa = (c.inputs.configNonsensitive as Record<string, string>)["kafka.service.account.id"];
  const bindings = run.resources.filter(
    (r) => r.type === "confluentcloud:index/roleBinding:RoleBinding" && r.inputs.principal === `User:${sa}`,
  );
  assert.equal(bindings.length, 7);
  const rules = run.resources.filter(
    (r) => r.type === "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  );
  const gate = run.resources.find((r) => r.type === "pulumi-nodejs:dynamic/readiness:SsmParameterGate");
  assert.ok(gate);
  for (const dep of [...bindings, ...rules, gate]) {
    assert.ok(c.dependencyUrns.includes(dep.urn), `connector depends on ${dep.name}`);
  }
});

test("the Oracle ready gate reads the upstream SSM parameter in the upstream region with the configured timeout", async () => {
  const gate = run.resources.find((r) => r.type === "pulumi-nodejs:dynamic/readiness:SsmParameterGate");
  assert.equal(gate?.inputs.region, "us-east-1");
  assert.equal(gate?.inputs.parameterName, syntheticAwsResources.oracleReadyParameter);
  assert.equal(gate?.inputs.instanceId, syntheticAwsResources.oracleInstanceId);
  assert.equal(gate?.inputs.timeoutMinutes, 45);
  const slow = await runStackUnderTest("connector", { overrides: { oracleReadyTimeoutMinutes: 90 } });
  const slowGate = slow.resources.find((r) => r.type === "pulumi-nodejs:dynamic/readiness:SsmParameterGate");
  assert.equal(slowGate?.inputs.timeoutMinutes, 90);
});

test("no CONNECT egress address for the region is an error before any resource", async () => {
  const onlyKafka = () => ({
    id: "ip-addresses",
    ipAddresses: [
      {
        ipPrefix: "192.0.2.0/24",
        cloud: "AWS",
        region: "us-east-1",
        services: ["KAFKA"],
        addressType: "INGRESS",
      },
    ],
  });
  await assert.rejects(
    runStackUnderTest("connector", {
      invokes: { "confluentcloud:index/getIpAddresses:getIpAddresses": onlyKafka },
    }),
    (err: unknown) => {
      assert.ok(err instanceof StackRunError);
      assert.match(err.message, /no CONNECT egress addresses for AWS us-east-1/);
      assert.deepEqual(err.resources, []);
      return true;
    },
  );
});

test("topic prefix and snapshot mode flow into the connector and the exported topics", async () => {
  const r = await runStackUnderTest("connector", {
    overrides: { topicPrefix: "cdc", snapshotMode: "no_data" },
  });
  const cfg = connectorOf(r)?.inputs.configNonsensitive as Record<string, string>;
  assert.equal(cfg["topic.prefix"], "cdc");
  assert.equal(cfg["snapshot.mode"], "no_data");
  assert.deepEqual(r.outputs.cdcTopics, ["cdc.SAMPLE.AUTH_USER", "cdc.SAMPLE.USER_TRANSACTION"]);
});
