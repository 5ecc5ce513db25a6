import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { test } from "node:test";
import { PROJECTS } from "../lib/contracts";
import { sqlFunction } from "../stacks/aws-resources/oracle/user-data";
import { parseCli } from "../tools/cli";
import { readProject } from "../tools/offline/project-config";
import { plannedDataStoreChanges } from "../tools/plan/replacements";
import { devDeployment } from "./helpers/deployment";
import { runBootstrapBash } from "./helpers/oracle-user-data";
import { one } from "./helpers/resources";
import { runStackUnderTest, sharedStackRun } from "./helpers/stack-under-test";

// docs/operations.md's runbooks run against what the repository really has: every config key, resource
// name and fraud-infra command they use exists and parses, their SQL goes through the setup's own
// rendering to SQL*Plus as the oracle user, and the restores' config changes do what the runbooks say
// under mocks.

const ROOT = path.join(__dirname, "..");
const doc = readFileSync(path.join(ROOT, "docs", "operations.md"), "utf8");

test("the README's reference list links the runbooks", () => {
  const reference = readFileSync(path.join(ROOT, "README.md"), "utf8").split("## Reference")[1] ?? "";
  assert.match(reference, /\[docs\/operations\.md\]\(docs\/operations\.md\)/);
});

test("every <stack>:<key> the runbooks name is a declared config key of that stack", () => {
  const keys = [...doc.matchAll(/\b(aws-resources|connector|processing):([a-zA-Z]+)/g)];
  assert.ok(keys.length >= 2);
  for (const [, project, key] of keys) {
    const declared = readProject(project as (typeof PROJECTS)[keyof typeof PROJECTS]).keys.map((k) => k.key);
    assert.ok(declared.includes(key!), `${project}:${key}`);
  }
  for (const [, key] of doc.matchAll(/pulumi config (?:set|rm) ([a-zA-Z]+)/g)) {
    const anywhere = Object.values(PROJECTS).some((p) => readProject(p).keys.some((k) => k.key === key));
    assert.ok(anywhere, `pulumi config … ${key}`);
  }
});

test("every resource the runbooks find by name (grep -o '…::<name>$') exists in the deployment", async () => {
  const names = new Set((await devDeployment()).stacks.flatMap((s) => s.run.resources.map((r) => r.name)));
  const wanted = [...doc.matchAll(/::([a-z0-9-]+)\$'/g)].map((m) => m[1]!);
  const inTable = [...doc.matchAll(/`([a-z0-9-]+-password|oracle-[a-z]+)`/g)].map((m) => m[1]!);
  assert.ok(
    wanted.length >= 5 && inTable.length >= 6,
    `${wanted.length} found, ${inTable.length} in the table`,
  );
  for (const name of [...wanted, ...inTable]) assert.ok(names.has(name), `no resource named ${name}`);
});

test("every fraud-infra command in the runbooks parses", () => {
  const commands = [
    ...doc.matchAll(/npm run fraud-infra -- ([^`\n]+)/g),
    ...doc.matchAll(/npm run plan -- ([^`\n]+)/g),
  ];
  assert.ok(commands.length >= 4);
  for (const [whole, args] of commands) {
    const argv = args!.trim().split(/\s+/);
    const parsed = parseCli(whole.startsWith("npm run plan") ? ["plan", ...argv] : argv);
    assert.equal(parsed.kind, "run", `${whole}: ${JSON.stringify(parsed)}`);
  }
});

test("the runbooks' SQL reaches SQL*Plus verbatim, as the oracle user, through the setup's rendering (run in bash)", () => {
  const blocks = [...doc.matchAll(/```sql\n([\s\S]*?)```/g)].map((m) => m[1]!.replace(/^ {3}/gm, ""));
  assert.ok(blocks.length >= 1);
  for (const sql of blocks) {
    assert.doesNotMatch(sql, /IDENTIFIED BY|password/i, "no password in a runbook");
    const r = runBootstrapBash([
      sqlFunction("runbook_sql", sql),
      'docker() { echo "docker $*" >&2; cat; }',
      "trap - ERR",
      "run_sql runbook_sql",
    ]);
    assert.equal(r.status, 0, r.stderr);
    assert.match(r.stderr, /^docker exec -u oracle -i oracle-xe sqlplus -S -L \/ as sysdba$/m);
    assert.ok(r.stdout.includes(sql.trimEnd()), r.stdout);
  }
});

test("restore: the volume and the cluster start from the configured snapshots, and the keys alone replace nothing", async () => {
  const volumeSnapshot = "snap-0123456789abcdef0";
  const clusterSnapshot = "rs:fd-dev-a1b2-2026-12-01-03-00-00";
  const before = await sharedStackRun("aws-resources");
  const after = await runStackUnderTest("aws-resources", {
    overrides: { oracleDataSnapshotId: volumeSnapshot, redshiftSnapshotIdentifier: clusterSnapshot },
  });
  const volume = one(after, "aws:ebs/volume:Volume");
  assert.equal(volume.inputs.snapshotId, volumeSnapshot);
  assert.ok(volume.ignoreChanges.includes("snapshotId"));
  assert.equal(one(before, "aws:ebs/volume:Volume").inputs.snapshotId, undefined);
  const cluster = one(after, "aws:redshift/cluster:Cluster");
  assert.equal(cluster.inputs.snapshotIdentifier, clusterSnapshot);
  assert.ok(cluster.ignoreChanges.includes("snapshotIdentifier"));
  assert.deepEqual(plannedDataStoreChanges([before], [after]), []);
  assert.ok(doc.includes(`oracleDataSnapshotId=${volumeSnapshot}`), "the runbook plans this very change");
});

test("rebuild: flagged_user is compacted, so a replay from its start rebuilds every account", async () => {
  const plan = await devDeployment();
  const statements = plan.stacks.flatMap((s) =>
    s.run.resources.filter((r) =>
      /^CREATE TABLE IF NOT EXISTS `flagged_user`/.test(String(r.inputs.statement)),
    ),
  );
  assert.equal(statements.length, 1);
  assert.match(String(statements[0]!.inputs.statement), /'kafka\.cleanup-policy' = 'compact'/);
});
