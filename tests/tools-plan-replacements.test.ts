import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import type { EngineEventLike } from "../tools/deploy/orchestrate";
import { runOperation } from "../tools/deploy/orchestrate";
import { ConsoleReporter } from "../tools/deploy/progress";
import type { StackRun } from "../tools/offline/run-stack";
import { planCommand } from "../tools/plan/command";
import type { PlanStackSource } from "../tools/plan/run-plan";
import type { DataStoreChange } from "../tools/plan/replacements";
import { dataStoreWarning, plannedDataStoreChanges, stepDataStoreChange } from "../tools/plan/replacements";
import { FakeWorkspace } from "./helpers/fake-workspace";
import { runStackUnderTest, sharedStackRun } from "./helpers/stack-under-test";
import { prodAwsResourcesOverrides } from "./helpers/prod-config";
import { one } from "./helpers/resources";

// A change that would replace a data store is a warning line before `up`: the offline plan finds it
// by comparing the inputs that force a replacement, `preview` and `up` from the engine's own steps,
// and all three print the same line.

const changes = async (before: Promise<StackRun>, after: Promise<StackRun>) =>
  plannedDataStoreChanges([await before], [await after]);
const dev = sharedStackRun("aws-resources");
const prod = sharedStackRun("aws-resources", { stack: "prod", overrides: prodAwsResourcesOverrides() });

test("the plan: a new Redshift node type is a resize, not a replacement; other in-place edits are nothing", async () => {
  const found = await changes(
    dev,
    runStackUnderTest("aws-resources", {
      overrides: { redshiftNodeType: "ra3.xlplus", webappReplicas: 3, oracleDataVolumeGiB: 80 },
    }),
  );
  assert.deepEqual(
    found.map((c) => [c.label, c.name, c.change, c.keys]),
    [["Redshift cluster", "redshift-cluster", "resize", ["nodeType"]]],
  );
  assert.match(
    dataStoreWarning(found[0]!),
    /would be resized in place \(nodeType changed\): no data is lost/,
  );
});

test("the plan: a new Redshift admin user replaces the cluster; the warning says whether it is protected", async () => {
  const found = await changes(
    prod,
    runStackUnderTest("aws-resources", {
      stack: "prod",
      overrides: { ...prodAwsResourcesOverrides(), redshiftAdminUser: "otheradmin" },
    }),
  );
  assert.deepEqual(
    found.map((c) => [c.label, c.change, c.keys, c.protect]),
    [["Redshift cluster", "replace", ["masterUsername"], true]],
  );
  const [change] = found;
  assert.match(
    dataStoreWarning(change!),
    /^aws-resources: the Redshift cluster redshift-cluster would be REPLACED \(masterUsername changed\): its data does not come along\. It is protected, so Pulumi will refuse the change and stop/,
  );
  assert.match(
    dataStoreWarning({ ...change!, protect: false }),
    /Nothing protects it \(protectData is off\)/,
  );
});

test("the plan: a stack key replaces the Oracle volume and host and the OpenSearch domain, nothing else", async () => {
  const found = await changes(
    dev,
    runStackUnderTest("aws-resources", { overrides: { customerManagedKey: true } }),
  );
  assert.deepEqual(found.map((c) => [c.label, c.change, c.keys]).sort(), [
    ["OpenSearch domain", "replace", ["encryptAtRest.kmsKeyId"]],
    ["Oracle data volume", "replace", ["kmsKeyId"]],
    ["Oracle host", "replace", ["rootBlockDevice.kmsKeyId"]],
  ]);
  assert.match(
    dataStoreWarning(found.find((c) => c.label === "Oracle host")!),
    /the database stays on its data volume, which the new host reattaches/,
  );
});

test("the plan: an ignored input (the looked-up AMI) is no replacement; a data store that goes away is a deletion", async () => {
  const before = await dev;
  const after = {
    ...before,
    resources: before.resources.filter((r) => r.type !== "aws:redshift/cluster:Cluster"),
  };
  const host = one(before, "aws:ec2/instance:Instance");
  assert.ok(host.ignoreChanges.includes("ami"));
  const newAmi = {
    ...after,
    resources: after.resources.map((r) =>
      r === host ? { ...r, inputs: { ...r.inputs, ami: "ami-0fffffffffffffff0" } } : r,
    ),
  };
  assert.deepEqual(
    plannedDataStoreChanges([before], [newAmi]).map((c) => [c.label, c.change]),
    [["Redshift cluster", "delete"]],
  );
});

// A tiny stack for the command: one Redshift cluster whose admin user comes from config.
const storeStack: PlanStackSource = {
  name: "store",
  load: async () => ({
    project: {
      name: "store",
      dir: mkdtempSync(path.join(tmpdir(), "plan-store-")),
      keys: [{ key: "admin", type: "string", description: "admin user", default: "a", secret: false }],
    },
    program: async () => {
      new aws.redshift.Cluster("warehouse", {
        clusterIdentifier: "wh",
        nodeType: "ra3.large",
        masterUsername: new pulumi.Config().require("admin"),
        masterPassword: "Password123",
      });
      return {};
    },
  }),
};

test("`plan --config` prints the warning before the tables and in the report; the committed config alone none", async () => {
  const outDir = mkdtempSync(path.join(tmpdir(), "plan-replacements-"));
  try {
    const run = async (overrides: Record<string, unknown>) => {
      let text = "";
      await planCommand({
        stacks: [storeStack],
        overrides,
        outDir,
        stdout: (t) => (text += t),
        stderr: () => {},
      });
      return text;
    };
    const changed = await run({ "store:admin": "b" });
    const warning = /⚠ store: the Redshift cluster warehouse would be REPLACED \(masterUsername changed\)/;
    assert.match(changed, warning);
    assert.ok(changed.search(warning) < changed.indexOf("=== store"), "before the tables");
    assert.match(
      readFileSync(path.join(outDir, "report.md"), "utf8"),
      /## Warnings\n\n- store: the Redshift cluster/,
    );
    assert.doesNotMatch(await run({}), /would be REPLACED/);
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
});

const REPLACE_STEP: EngineEventLike = {
  resourcePreEvent: {
    metadata: {
      op: "replace",
      urn: "urn:pulumi:dev::aws-resources::fraud-infra:redshift:RedshiftWarehouse$aws:redshift/cluster:Cluster::redshift-cluster",
      type: "aws:redshift/cluster:Cluster",
      keys: ["masterUsername"],
      old: { protect: false },
    },
  },
};

test("preview and up print the plan's own warning for a replacement the engine announces, up before it changes", async () => {
  const expected: DataStoreChange = {
    project: "aws-resources",
    name: "redshift-cluster",
    label: "Redshift cluster",
    change: "replace",
    keys: ["masterUsername"],
    isTopic: false,
    protect: false,
  };
  assert.deepEqual(stepDataStoreChange("aws-resources", REPLACE_STEP.resourcePreEvent!.metadata), expected);
  const line = `⚠ ${dataStoreWarning(expected)}`;
  for (const op of ["preview", "up"] as const) {
    const ws = new FakeWorkspace({ events: [REPLACE_STEP] });
    const lines: string[] = [];
    const calls = ws.calls;
    const reporter = new ConsoleReporter((l) => lines.push(`${l} [after ${calls.length} calls]`));
    await runOperation({ op, stackName: "dev", only: "aws-resources", workspace: ws, reporter });
    const printed = lines.filter((l) => l.startsWith(line));
    assert.equal(printed.length, 1, `${op}: ${lines.join("\n")}`);
    if (op === "up") {
      assert.deepEqual(calls, [
        "select aws-resources/dev (create)",
        "preview aws-resources",
        "up aws-resources",
      ]);
      assert.match(printed[0]!, /\[after 2 calls\]$/, "printed after the preview, before the up");
    }
  }
});

test("the engine's other steps of a replacement, same-named updates and statements that are not tables warn of nothing", () => {
  const meta = REPLACE_STEP.resourcePreEvent!.metadata;
  for (const op of ["create-replacement", "delete-replaced", "update", "same", "create"]) {
    assert.equal(stepDataStoreChange("aws-resources", { ...meta, op }), undefined, op);
  }
  const statement = (sql: string) => ({
    op: "replace",
    urn: "urn:pulumi:dev::processing::x$confluentcloud:index/flinkStatement:FlinkStatement::fraud-rules-job",
    type: "confluentcloud:index/flinkStatement:FlinkStatement",
    new: { inputs: { statement: sql } },
  });
  assert.equal(
    stepDataStoreChange("processing", statement("INSERT INTO `flagged_user` SELECT 1")),
    undefined,
  );
  assert.equal(
    stepDataStoreChange("processing", statement("CREATE TABLE IF NOT EXISTS `flagged_user` (a INT)"))?.label,
    "Kafka topic flagged_user",
  );
});
