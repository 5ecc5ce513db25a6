import assert from "node:assert/strict";
import { mock, test } from "node:test";
import * as random from "@pulumi/random";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { exportContract, plain, readUpstream, secret, stackReference } from "../lib/stack-outputs";
import { runStack, asUpstream, StackRunError } from "../tools/offline/run-stack";
import { byName } from "./helpers/resources";

const contract = { vpcId: plain(z.string(), "vpc"), password: secret(z.string(), "pw") } as const;

async function producer() {
  const pw = new random.RandomPassword("pw", { length: 20 });
  const vpc = new aws.ec2.Vpc("vpc", { cidrBlock: "10.0.0.0/16" });
  const sg = new aws.ec2.SecurityGroup("sg", { vpcId: vpc.id }, { dependsOn: [vpc], protect: true });
  return exportContract(contract, { vpcId: vpc.id, password: pw.result, sgId: sg.id } as never);
}

test("runStack records resources, dependencies, options and exported secrets", async () => {
  const run = await runStack({
    project: "p",
    stack: "dev",
    region: "us-east-1",
    config: {},
    program: producer,
  });
  assert.deepEqual(run.resources.map((r) => r.type).sort(), [
    "aws:ec2/securityGroup:SecurityGroup",
    "aws:ec2/vpc:Vpc",
    "random:index/randomPassword:RandomPassword",
  ]);
  const sg = run.resources.find((r) => r.name === "sg");
  const vpc = run.resources.find((r) => r.name === "vpc");
  assert.ok(sg && vpc);
  assert.ok(sg.dependencyUrns.includes(vpc.urn), "explicit dependsOn is recorded");
  assert.equal(sg.protect, true);
  assert.deepEqual(Object.keys(run.outputs).sort(), ["password", "vpcId"]);
  assert.deepEqual(run.secretOutputNames, ["password"]);
  assert.match(String(run.outputs.password), /^Pw/);
});

test("readUpstream validates outputs and keeps secrets secret", async () => {
  const up = await runStack({
    project: "p",
    stack: "dev",
    region: "us-east-1",
    config: {},
    program: producer,
  });
  const run = await runStack({
    project: "q",
    stack: "dev",
    region: "us-east-1",
    config: {},
    upstream: { "organization/p/dev": asUpstream(up) },
    program: async () => {
      const u = await readUpstream(stackReference("organization/p/dev"), contract);
      return { vpc: u.vpcId, pw: u.password };
    },
  });
  assert.equal(run.outputs.vpc, up.outputs.vpcId);
  assert.deepEqual(run.secretOutputNames, ["pw"]);
});

test("readUpstream names a missing or mistyped output", async () => {
  await assert.rejects(
    runStack({
      project: "q",
      stack: "dev",
      region: "us-east-1",
      config: {},
      upstream: { "organization/p/dev": { outputs: { vpcId: 42 }, secretOutputNames: [] } },
      program: async () => {
        await readUpstream(stackReference("organization/p/dev"), contract);
        return {};
      },
    }),
    (err: unknown) =>
      err instanceof StackRunError &&
      /output 'password' is missing/.test(err.message) &&
      /output 'vpcId' has the wrong type/.test(err.message),
  );
});

test("an invoke without a fixture fails loudly", async () => {
  await assert.rejects(
    runStack({
      project: "p",
      stack: "dev",
      region: "us-east-1",
      config: {},
      program: async () => {
        await aws.ec2.getVpc({ default: true });
        return {};
      },
    }),
    /No mock for invoke aws:ec2\/getVpc:getVpc/,
  );
});

test("the two SDK internals the harness needs still exist (an SDK upgrade that drops them fails here)", async () => {
  // Pulumi's public mock API (MockResourceArgs) carries no parent, dependencies or resource
  // options, so tools/offline/mocks.ts wraps the mock monitor's registerResource to read them from
  // the request; and only the internal waitForRPCs says that every registration has finished.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const settings = require("@pulumi/pulumi/runtime/settings") as Record<string, unknown>;
  assert.equal(typeof settings.waitForRPCs, "function");
  const program = async () => {
    const parent = new pulumi.ComponentResource("test:index:Group", "group");
    new random.RandomId("child", { byteLength: 2 }, { parent });
    return {};
  };
  const run = await runStack({ project: "p", stack: "dev", region: "us-east-1", config: {}, program });
  const group = run.resources.find((r) => r.name === "group");
  const child = run.resources.find((r) => r.name === "child");
  assert.ok(group && child);
  assert.notEqual(group.urn, "", "the URN comes back through the wrapped registerResource callback");
  assert.equal(child.parentUrn, group.urn, "the parent is read from the request");
});

test("URNs name the whole parent chain as the engine does, and a resource's aliases are recorded as URNs", async () => {
  const program = async () => {
    const outer = new pulumi.ComponentResource(
      "test:index:Outer",
      "outer",
      {},
      { aliases: [{ type: "test:old:Outer" }] },
    );
    const inner = new pulumi.ComponentResource("test:index:Inner", "outer-inner", {}, { parent: outer });
    new random.RandomId("outer-id", { byteLength: 2 }, { parent: inner, aliases: [{ name: "old-id" }] });
    return {};
  };
  const run = await runStack({ project: "p", stack: "dev", region: "us-east-1", config: {}, program });
  assert.equal(byName(run, "outer").urn, "urn:pulumi:dev::p::test:index:Outer::outer");
  assert.deepEqual(byName(run, "outer").aliases, ["urn:pulumi:dev::p::test:old:Outer::outer"]);
  assert.equal(
    byName(run, "outer-id").urn,
    "urn:pulumi:dev::p::test:index:Outer$test:index:Inner$random:index/randomId:RandomId::outer-id",
  );
  assert.deepEqual(byName(run, "outer-id").aliases, [
    "urn:pulumi:dev::p::test:index:Outer$test:index:Inner$random:index/randomId:RandomId::old-id",
  ]);
});

test("a run records its warnings; a quiet run keeps them out of the log", async () => {
  const program = async () => {
    await pulumi.log.warn("careful");
    return {};
  };
  const logged: string[] = [];
  const warn = mock.method(pulumi.log, "warn", (m: string) => (logged.push(m), Promise.resolve()));
  try {
    const loud = await runStack({ project: "p", stack: "dev", region: "us-east-1", config: {}, program });
    const quiet = await runStack({
      project: "p",
      stack: "dev",
      region: "us-east-1",
      config: {},
      program,
      quiet: true,
    });
    assert.deepEqual([loud.warnings, quiet.warnings], [["careful"], ["careful"]]);
    assert.deepEqual(logged, ["careful"], "only the loud run passed its warning on");
  } finally {
    warn.mock.restore();
  }
});
