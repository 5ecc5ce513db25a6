import assert from "node:assert/strict";
import type { ChildProcess } from "node:child_process";
import { spawn } from "node:child_process";
import { join } from "node:path";
import { after, before, test } from "node:test";
import * as grpc from "@grpc/grpc-js";
import { Empty } from "google-protobuf/google/protobuf/empty_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as pb from "@pulumi/pulumi/proto/analyzer_pb";
import { standardTags } from "../lib/naming";
import { resourcePolicies, stackPolicies } from "../policy/rules";

/**
 * Loads the pack the way `pulumi preview --policy-pack policy` does — Pulumi's run-policy-pack
 * entry point, which compiles and type-checks the TypeScript with its own ts-node (target ES2020)
 * — and talks to it over the analyzer gRPC protocol the CLI uses. Proves the pack starts, lists
 * its rules, honours its config and reports violations; no Pulumi CLI needed.
 */

const ROOT = join(__dirname, "..");
const TAGS = standardTags({
  project: "aws-resources",
  stack: "dev",
  owner: "fraud-team",
  costCenter: "cc-42",
});

let pack: ChildProcess;
let client: AnalyzerClient;

before(
  async () => {
    const env = { ...process.env };
    delete env.NODE_TEST_CONTEXT; // the runner is not a test process
    delete env.NODE_OPTIONS;
    pack = spawn(
      process.execPath,
      [join(ROOT, "node_modules/@pulumi/pulumi/cmd/run-policy-pack/index.js"), "127.0.0.1:1", "."],
      { cwd: join(ROOT, "policy"), env, stdio: ["ignore", "pipe", "pipe"] },
    );
    let stderr = "";
    pack.stderr?.on("data", (d: Buffer) => (stderr += d.toString()));
    const port = await new Promise<string>((resolve, reject) => {
      pack.stdout?.once("data", (d: Buffer) => resolve(d.toString().trim()));
      pack.once("exit", (code) => reject(new Error(`policy pack exited with ${code}:\n${stderr}`)));
    });
    assert.match(port, /^\d+$/, "the pack prints its gRPC port first");
    client = new AnalyzerClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
  },
  // A safety net in case the runner never prints its port; not a timing assertion.
  { timeout: 120_000 },
);

after(() => {
  client?.close();
  pack?.kill();
});

const call = <Req, Res>(
  fn: (req: Req, cb: (err: grpc.ServiceError | null, res: Res) => void) => unknown,
  req: Req,
) =>
  new Promise<Res>((resolve, reject) =>
    fn.call(client, req, (err, res) => (err ? reject(err) : resolve(res))),
  );

function resourceRequest(type: string, name: string, props: Record<string, unknown>): pb.AnalyzeRequest {
  const req = new pb.AnalyzeRequest();
  req.setType(type);
  req.setName(name);
  req.setUrn(`urn:pulumi:dev::aws-resources::${type}::${name}`);
  req.setProperties(Struct.fromJavaScript(props as never));
  req.setOptions(new pb.AnalyzerResourceOptions());
  const provider = new pb.AnalyzerProviderResource();
  provider.setType("pulumi:providers:aws");
  provider.setName("aws");
  provider.setUrn("urn:pulumi:dev::aws-resources::pulumi:providers:aws::aws");
  provider.setProperties(
    Struct.fromJavaScript({ region: "us-east-1", defaultTags: JSON.stringify({ tags: TAGS }) }),
  );
  req.setProvider(provider);
  return req;
}

async function analyze(req: pb.AnalyzeRequest): Promise<string[]> {
  const res = await call<pb.AnalyzeRequest, pb.AnalyzeResponse>(client.analyze, req);
  return res
    .getDiagnosticsList()
    .map((d) => `${d.getPolicyname()}: ${d.getMessage().split("\n").pop() ?? ""}`);
}

test("the pack loads under Pulumi's runner and lists every rule with its level", async () => {
  const info = await call<Empty, pb.AnalyzerInfo>(client.getAnalyzerInfo, new Empty());
  assert.equal(info.getName(), "fraud-infra-security");
  const listed = info.getPoliciesList().map((p) => [p.getName(), p.getEnforcementlevel()]);
  const expected = [...resourcePolicies, ...stackPolicies].map((p) => [
    p.name,
    p.enforcementLevel === "advisory" ? pb.EnforcementLevel.ADVISORY : pb.EnforcementLevel.MANDATORY,
  ]);
  assert.deepEqual(listed, expected);
});

test("a resource is analysed with its provider's default tags", async () => {
  const vpc = resourceRequest("aws:ec2/vpc:Vpc", "vpc", { cidrBlock: "10.0.0.0/16" });
  assert.deepEqual(await analyze(vpc), []);
  const ssh = resourceRequest("aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule", "ssh", {
    securityGroupId: "sg-1",
    ipProtocol: "tcp",
    fromPort: 22,
    toPort: 22,
    cidrIpv4: "0.0.0.0/0",
  });
  assert.deepEqual(await analyze(ssh), [
    "security-group-no-world-ingress: ssh rule: tcp port 22 is open to 0.0.0.0/0; only TCP 80/443 may be world-open",
    "security-group-no-ssh: ssh rule: tcp port 22 opens SSH (22); use SSM Session Manager instead",
  ]);
});

test("allowEnvironmentAdmin is read from the pack config the CLI sends", async () => {
  const binding = resourceRequest("confluentcloud:index/roleBinding:RoleBinding", "admin", {
    principal: "User:sa-1",
    roleName: "EnvironmentAdmin",
    crnPattern: "crn://confluent.cloud/organization=o/environment=env-1",
  });
  assert.equal((await analyze(binding)).length, 1);
  const configure = new pb.ConfigureAnalyzerRequest();
  const config = new pb.PolicyConfig();
  config.setEnforcementlevel(pb.EnforcementLevel.MANDATORY);
  config.setProperties(Struct.fromJavaScript({ allowEnvironmentAdmin: true }));
  configure.getPolicyconfigMap().set("confluent-no-admin-role-bindings", config);
  await call<pb.ConfigureAnalyzerRequest, Empty>(client.configure, configure);
  assert.deepEqual(await analyze(binding), []);
});

test("stack rules run over the whole stack", async () => {
  const req = new pb.AnalyzeStackRequest();
  const cluster = new pb.AnalyzerResource();
  cluster.setType("aws:redshift/cluster:Cluster");
  cluster.setName("warehouse");
  cluster.setUrn("urn:pulumi:dev::aws-resources::aws:redshift/cluster:Cluster::warehouse");
  cluster.setProperties(
    Struct.fromJavaScript({ clusterIdentifier: "fd-dev", clusterParameterGroupName: "p" }),
  );
  cluster.setOptions(new pb.AnalyzerResourceOptions());
  req.addResources(cluster);
  const res = await call<pb.AnalyzeStackRequest, pb.AnalyzeResponse>(client.analyzeStack, req);
  assert.deepEqual(
    res.getDiagnosticsList().map((d) => [d.getPolicyname(), d.getEnforcementlevel()]),
    [
      ["redshift-cluster-ssl-parameter-group", pb.EnforcementLevel.MANDATORY],
      ["redshift-audit-logging", pb.EnforcementLevel.ADVISORY],
    ],
  );
});
