import assert from "node:assert/strict";
import { test } from "node:test";
import type { RecordedResource } from "../tools/offline/mocks";
import { recordedResource } from "../tools/offline/mocks";
import type { StackRun } from "../tools/offline/run-stack";
import { deploymentDiagram, mermaidText } from "../tools/plan/diagram";
import { formatValue, markdownTable, nameFromUrn, textTable, typeFromUrn } from "../tools/plan/format";
import { groupsOf } from "../tools/plan/graph";
import { keySettings } from "../tools/plan/key-settings";
import { outputTable, renderMarkdown, renderText, resourceTable } from "../tools/plan/report";
import { EMPTY_ALLOWED_CIDRS, planWarnings, UNVERIFIED_REDSHIFT_HOP } from "../tools/plan/warnings";

const res = (project: string, type: string, name: string, extra: Partial<RecordedResource> = {}) =>
  recordedResource(type, name, { urn: `urn:pulumi:dev::${project}::${type}::${name}`, ...extra });

test("text helpers: values, URNs, tables", () => {
  assert.equal(formatValue(["10.0.0.0/24", "10.0.1.0/24"]), "10.0.0.0/24, 10.0.1.0/24");
  assert.equal(formatValue({ a: 1 }), '{"a":1}');
  assert.equal(formatValue("x".repeat(70), 10), "xxxxxxxxx…");
  assert.equal(formatValue("SELECT\n  a\n FROM t"), "SELECT a FROM t");
  const urn = "urn:pulumi:dev::aws-resources::fraud-infra:network:Network$aws:ec2/vpc:Vpc::net-vpc";
  assert.equal(nameFromUrn(urn), "net-vpc");
  assert.equal(typeFromUrn(urn), "aws:ec2/vpc:Vpc");
  assert.equal(
    textTable(["A", "Bee"], [["long value", "x"]]),
    "A           Bee\n----------  ---\nlong value  x",
  );
  assert.equal(markdownTable(["A"], [["a|b"]]), "| A |\n|---|\n| a\\|b |");
  assert.equal(
    markdownTable(["A"], [["<prefix>-x `<kept>`"]]).split("\n")[2],
    "| &lt;prefix&gt;-x `<kept>` |",
  );
  assert.equal(mermaidText('say "<hi>"'), "say #quot;#lt;hi#gt;#quot;");
});

test("key settings pick meaningful inputs per type, mask secrets, flag protection", () => {
  const rule = res("a", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "oracle-1521", {
    maskedInputs: {
      ipProtocol: "tcp",
      fromPort: 1521,
      toPort: 1521,
      cidrIpv4: "203.0.113.7/32",
      tags: { a: "b" },
    },
  });
  assert.deepEqual(keySettings(rule), [
    "ipProtocol=tcp",
    "fromPort=1521",
    "toPort=1521",
    "cidrIpv4=203.0.113.7/32",
  ]);
  const connector = res("c", "confluentcloud:index/connector:Connector", "cdc", {
    maskedInputs: {
      configNonsensitive: { "connector.class": "OracleXStreamSource", "tasks.max": "1" },
      configSensitive: "[secret]",
    },
    secretInputPaths: ["configSensitive"],
  });
  assert.deepEqual(keySettings(connector), [
    "connector.class=OracleXStreamSource",
    "tasks.max=1",
    "1 secret input",
  ]);
  const db = res("a", "aws:redshift/cluster:Cluster", "dw", {
    maskedInputs: { nodeType: "ra3.large", encrypted: true, masterPassword: "[secret]" },
    secretInputPaths: ["masterPassword"],
    protect: true,
  });
  assert.deepEqual(keySettings(db), ["nodeType=ra3.large", "encrypted=true", "protect", "1 secret input"]);
  const unknown = res("a", "aws:foo/bar:Bar", "b", { maskedInputs: { name: "fd-bar", other: 1 } });
  assert.deepEqual(keySettings(unknown), ["name=fd-bar"]);
  const domain = res("a", "aws:opensearch/domain:Domain", "d", {
    maskedInputs: {
      encryptAtRest: { enabled: true },
      nodeToNodeEncryption: { enabled: true },
      domainEndpointOptions: {},
    },
  });
  assert.deepEqual(keySettings(domain), ["encryptAtRest.enabled=true", "nodeToNodeEncryption.enabled=true"]);
});

function sampleRuns(): StackRun[] {
  const comp = res("up", "fraud-infra:network:Network", "net", { custom: false });
  const vpc = res("up", "aws:ec2/vpc:Vpc", "net-vpc", {
    parentUrn: comp.urn,
    maskedInputs: { cidrBlock: "10.0.0.0/16" },
  });
  const subnet = res("up", "aws:ec2/subnet:Subnet", "net-a", {
    parentUrn: comp.urn,
    dependencyUrns: [vpc.urn],
  });
  const db = res("up", "aws:redshift/cluster:Cluster", "dw", { dependencyUrns: [subnet.urn] });
  const up: StackRun = {
    project: "up",
    stack: "dev",
    resources: [comp, vpc, subnet, db],
    invokes: [],
    // clusterName repeats vpcId's value: only the first output with a value is credited with it
    outputs: {
      vpcId: "vpc-0abc1234",
      region: "eu-west-1",
      password: "S3cretPassw0rd!",
      clusterName: "vpc-0abc1234",
    },
    secretOutputNames: ["password"],
    warnings: [],
  };
  const rule = res("down", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "rule", {
    inputs: { vpcId: "vpc-0abc1234", region: "eu-west-1", url: "jdbc:x://S3cretPassw0rd!@h" },
  });
  const down: StackRun = {
    project: "down",
    stack: "dev",
    resources: [rule],
    invokes: [],
    outputs: {},
    secretOutputNames: [],
    warnings: [],
  };
  return [up, down];
}

test("groups: a top-level component with everything below it; top-level providers left out", () => {
  const [up] = sampleRuns();
  const provider = res("up", "pulumi:providers:aws", "aws");
  const groups = groupsOf({ ...up!, resources: [provider, ...up!.resources] }, "g");
  assert.deepEqual(
    groups.map((g) => [g.id, g.root.name, g.members.length]),
    [
      ["g0", "net", 3],
      ["g1", "dw", 1],
    ],
  );
});

test("the diagram: subgraph per stack, component summaries, dependency and cross-stack edges", () => {
  const [up, down] = sampleRuns();
  const diagram = deploymentDiagram([
    { run: up! },
    // the region equals down's own config value, so it is not drawn as a cross-stack use
    { run: down!, configValues: new Set(["eu-west-1"]) },
  ]);
  assert.equal(
    diagram,
    [
      "flowchart LR",
      '  subgraph up["up (dev)"]',
      "    direction TB",
      '    up_0["<b>net</b><br/>fraud-infra:network:Network<br/>2 resources: Subnet, Vpc"]',
      '    up_1("dw<br/>Cluster")',
      '    up_outputs[/"4 outputs (1 secret)"/]',
      "  end",
      '  subgraph down["down (dev)"]',
      "    direction TB",
      '    down_0("rule<br/>SecurityGroupIngressRule")',
      "  end",
      "  up_0 --> up_1",
      '  up_outputs -.->|"vpcId, password"| down_0',
      "",
    ].join("\n"),
  );
});

test("reports: tree-ordered resources, secret outputs masked in text and Markdown", () => {
  const runs = sampleRuns();
  const table = resourceTable(runs[0]!);
  assert.deepEqual(
    table.rows.map((r) => [r[1], r[2]]),
    [
      ["net", "—"],
      ["  net-vpc", "net"],
      ["  net-a", "net"],
      ["dw", "—"],
    ],
  );
  assert.deepEqual(outputTable(runs[0]!).rows, [
    ["clusterName", "vpc-0abc1234", ""],
    ["password", "[secret]", "yes"],
    ["region", "eu-west-1", ""],
    ["vpcId", "vpc-0abc1234", ""],
  ]);
  const estimate = { minutes: 8.2, path: [] };
  const input = { stack: "dev", runs, findings: [], estimate };
  const text = renderText(input);
  const md = renderMarkdown(input, "flowchart LR\n");
  for (const out of [text, md]) {
    assert.doesNotMatch(out, /S3cretPassw0rd/);
    assert.match(out, /ESTIMATE \(not a measurement\): about 8\.2 min/);
    assert.match(out, /around 10 minutes/);
    assert.match(out, /Policy findings: none\./);
  }
  assert.match(md, /\| password \| \[secret\] \| yes \|/);
});

test("the plan warns when aws-resources:allowedCidrs is empty, in text and Markdown, and not otherwise", () => {
  const aws = (allowedCidrs: string[]): StackRun => ({
    project: "aws-resources",
    stack: "dev",
    resources: [],
    invokes: [],
    outputs: { allowedCidrs },
    secretOutputNames: [],
    warnings: [],
  });
  assert.deepEqual(planWarnings([aws([])]), [EMPTY_ALLOWED_CIDRS]);
  assert.deepEqual(planWarnings([aws(["203.0.113.0/24"])]), []);
  assert.deepEqual(planWarnings(sampleRuns()), [], "no aws-resources run: nothing to say");
  const mode = (networkMode: string, redshiftPath: string) => ({
    ...aws(["203.0.113.0/24"]),
    outputs: { allowedCidrs: ["203.0.113.0/24"], networkMode, redshiftPath },
  });
  assert.deepEqual(planWarnings([mode("private", "privatelink")]), [UNVERIFIED_REDSHIFT_HOP]);
  assert.deepEqual(planWarnings([mode("private", "public-allowlist")]), [], "the fallback is documented");
  assert.deepEqual(planWarnings([mode("public", "privatelink")]), []);
  assert.match(UNVERIFIED_REDSHIFT_HOP, /redshiftPath public-allowlist/);
  assert.match(EMPTY_ALLOWED_CIDRS, /nobody can reach Oracle, Redshift or OpenSearch/);
  assert.match(EMPTY_ALLOWED_CIDRS, /`fraud-infra verify` .* cannot run/);
  const input = { stack: "dev", runs: [aws([])], findings: [], estimate: { minutes: 1, path: [] } };
  assert.match(renderText(input), /⚠ aws-resources:allowedCidrs is empty/);
  assert.match(
    renderMarkdown(input, "flowchart LR\n"),
    /## Warnings\n\n- aws-resources:allowedCidrs is empty/,
  );
  const quiet = { ...input, runs: [aws(["203.0.113.0/24"])] };
  assert.doesNotMatch(renderText(quiet), /allowedCidrs is empty/);
});
