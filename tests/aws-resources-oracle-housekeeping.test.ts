import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { test } from "node:test";
import {
  CAPACITY_PUBLISH_SECONDS,
  ORACLE_CAPACITY_METRICS,
  ORACLE_METRICS_NAMESPACE,
} from "../lib/oracle-capacity";
import {
  DATABASE_FILES_GIB,
  RECOVERY_AREA_DIR,
  recoveryAreaGiB,
} from "../stacks/aws-resources/oracle/recovery-area";
import {
  HOUSEKEEPING_FILES,
  SQL_STEPS,
  renderOracleUserData,
} from "../stacks/aws-resources/oracle/user-data";
import { gunzipUserData, lineFinder, ORACLE_PARAMS as PARAMS, sqlOf } from "./helpers/oracle-user-data";
import { one } from "./helpers/resources";
import { sharedStackRun } from "./helpers/stack-under-test";
import { prodAwsResourcesOverrides } from "./helpers/prod-config";

// The Oracle host never fills its disk: the fast recovery area lives on the data volume with a limit
// the volume can hold, and a timer deletes the archived logs the XStream capture no longer needs and
// publishes both usages.

const script = renderOracleUserData(PARAMS);
const lineOf = lineFinder(script);
/** Everything the script defines, without running its body. */
const definitions = script.slice(0, script.indexOf("\nSTEP=imds-token\n"));

test("the recovery area's limit leaves the database files their room on every allowed volume size", () => {
  assert.deepEqual([20, 50, 200, 1000].map(recoveryAreaGiB), [10, 30, 180, 980]);
  for (let volume = 20; volume <= 1000; volume++) {
    const fra = recoveryAreaGiB(volume);
    assert.ok(fra >= volume / 2 - 1, `${volume} GiB: at least half the volume`);
    assert.ok(fra <= volume - DATABASE_FILES_GIB || fra <= volume / 2, `${volume} GiB: room for the files`);
  }
  assert.throws(() => recoveryAreaGiB(1.5), RangeError);
});

test("the setup moves the recovery area onto the data volume, limit first, before the first archived log", () => {
  const sql = sqlOf(SQL_STEPS.sql_recovery_area);
  const size = sql.indexOf("ALTER SYSTEM SET db_recovery_file_dest_size = &fra_gib.G SCOPE = BOTH;");
  const dest = sql.indexOf(`ALTER SYSTEM SET db_recovery_file_dest = '${RECOVERY_AREA_DIR}' SCOPE = BOTH;`);
  assert.ok(size >= 0 && dest > size, sql);
  assert.ok(
    RECOVERY_AREA_DIR.startsWith("/opt/oracle/oradata/"),
    "the volume's mount point in the container",
  );
  assert.match(script, /^FRA_GIB='30'$/m);
  assert.match(script, /printf 'DEFINE fra_gib = %s\\n' "\$FRA_GIB"/);
  const step = lineOf(/^STEP=recovery-area$/);
  assert.ok(lineOf(/^STEP=enable-replication$/) < step && step < lineOf(/^STEP=archivelog$/));
  const lines = script.split("\n");
  assert.equal(lines[step + 1], 'install -d -o 54321 -g 54321 -m 750 "$DATA_DIR/fast_recovery_area"');
  assert.equal(lines[step + 2], "run_sql recovery_defines sql_recovery_area");
});

test("the cleanup is RMAN's own deletion, which keeps what the capture needs (no FORCE)", () => {
  const rman = sqlOf(HOUSEKEEPING_FILES.rman_archivelog_cleanup);
  assert.equal(rman.trim(), "DELETE NOPROMPT ARCHIVELOG ALL;");
  assert.doesNotMatch(rman, /FORCE/i, "FORCE would ignore the rules that keep the capture's logs");
  assert.match(script, /rman_archivelog_cleanup \| docker exec -u oracle -i "\$CONTAINER" rman target \//);
  assert.ok(lineOf(/^STEP=housekeeping-timer$/) < lineOf(/^STEP=ready$/), "installed before ready");
  assert.match(script, /^install_housekeeping \/usr\/local\/sbin \/etc\/systemd\/system$/m);
});

/** Executables on a PATH of their own that record their arguments and answer as the real ones would. */
function stubs(dir: string, rmanOutput: string, fraPercent: string) {
  const bin = path.join(dir, "stubs");
  const write = (name: string, body: string) => {
    writeFileSync(path.join(bin, name), `#!/bin/bash\necho "${name} $*" >>"${dir}/calls"\n${body}\n`);
    chmodSync(path.join(bin, name), 0o755);
  };
  mkdirSync(bin);
  writeFileSync(path.join(dir, "rman-output"), rmanOutput + "\n");
  write(
    "docker",
    [
      `cat >>"${dir}/stdin"`,
      `case "$*" in *rman*) cat "${dir}/rman-output" ;; *) echo ${fraPercent} ;; esac`,
    ].join("\n"),
  );
  write("aws", "");
  write("df", 'printf "Use%%\\n 37%%\\n"');
  write("systemctl", "");
  return bin;
}

test("one timer run deletes, logs what it deleted and kept, and publishes both usages (run in bash)", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "oracle-housekeeping-"));
  try {
    const rmanOutput = [
      "deleted archived log",
      "archived log file name=/opt/oracle/oradata/fast_recovery_area/XE/archivelog/o1_mf_1_7.arc RECID=7",
      "deleted archived log",
      "archived log file name=/opt/oracle/oradata/fast_recovery_area/XE/archivelog/o1_mf_1_8.arc RECID=8",
      "RMAN-08137: warning: archived log not deleted, needed for standby or upstream capture process",
      "archived log file name=/opt/oracle/oradata/fast_recovery_area/XE/archivelog/o1_mf_1_9.arc RECID=9",
    ].join("\n");
    const bin = stubs(dir, rmanOutput, "64");
    const env = { PATH: `${bin}:/usr/bin:/bin` };
    const install = spawnSync(
      "bash",
      ["-c", `${definitions}\nINSTANCE_ID=i-0abc\ninstall_housekeeping ${dir} ${dir}`],
      { encoding: "utf8", env },
    );
    assert.equal(install.status, 0, install.stderr);
    assert.equal(
      readFileSync(path.join(dir, "oracle-housekeeping.timer"), "utf8"),
      `[Timer]\nOnCalendar=*:0/${CAPACITY_PUBLISH_SECONDS / 60}\n[Install]\nWantedBy=timers.target\n`,
    );
    assert.match(
      readFileSync(path.join(dir, "oracle-housekeeping.service"), "utf8"),
      new RegExp(`^ExecStart=${dir}/oracle-housekeeping$`, "m"),
    );
    // The written script stands alone: it runs with nothing but the PATH.
    const run = spawnSync(path.join(dir, "oracle-housekeeping"), [], { encoding: "utf8", env });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(
      run.stdout.trim(),
      "archived logs: 2 deleted, 1 kept for XStream (rman exit 0); recovery area 64%, data volume 37% used",
    );
    const calls = readFileSync(path.join(dir, "calls"), "utf8").trim().split("\n");
    assert.ok(calls.includes("systemctl enable --now oracle-housekeeping.timer"), calls.join("\n"));
    assert.ok(calls.includes("docker exec -u oracle -i oracle-xe rman target /"), calls.join("\n"));
    assert.ok(calls.includes("docker exec -u oracle -i oracle-xe sqlplus -S -L / as sysdba"));
    const stdin = readFileSync(path.join(dir, "stdin"), "utf8");
    assert.ok(
      stdin.includes(sqlOf(HOUSEKEEPING_FILES.rman_archivelog_cleanup).trim()),
      "RMAN reads the file",
    );
    assert.ok(stdin.includes(sqlOf(HOUSEKEEPING_FILES.sql_recovery_area_usage).trim()), "SQL*Plus too");
    const metric = (name: string, value: string) =>
      `aws cloudwatch put-metric-data --region us-east-1 --namespace ${ORACLE_METRICS_NAMESPACE} ` +
      `--unit Percent --dimensions InstanceId=i-0abc --metric-name ${name} --value ${value}`;
    assert.deepEqual(
      calls.filter((c) => c.startsWith("aws ")),
      [
        metric(ORACLE_CAPACITY_METRICS.recoveryArea.name, "64"),
        metric(ORACLE_CAPACITY_METRICS.dataVolume.name, "37"),
      ],
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("a failed RMAN run still publishes the usages, and the timer's run fails (run in bash)", () => {
  const dir = mkdtempSync(path.join(tmpdir(), "oracle-housekeeping-"));
  try {
    const bin = stubs(dir, "RMAN-00569: =============== ERROR MESSAGE STACK FOLLOWS", "91");
    // docker exits 1 for RMAN: replace the stub's answer with a failing one.
    writeFileSync(
      path.join(bin, "docker"),
      `#!/bin/bash\ncat >/dev/null\ncase "$*" in *rman*) echo RMAN-00569; exit 1 ;; *) echo 91 ;; esac\n`,
    );
    const env = { PATH: `${bin}:/usr/bin:/bin` };
    spawnSync("bash", ["-c", `${definitions}\nINSTANCE_ID=i-0abc\ninstall_housekeeping ${dir} ${dir}`], {
      env,
    });
    const run = spawnSync(path.join(dir, "oracle-housekeeping"), [], { encoding: "utf8", env });
    assert.equal(run.status, 1);
    assert.match(run.stdout, /0 deleted, 0 kept for XStream \(rman exit 1\); recovery area 91%/);
    const calls = readFileSync(path.join(dir, "calls"), "utf8");
    assert.match(calls, /--metric-name RecoveryAreaUsedPercent --value 91/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test("under mocks: the host's user data sizes the recovery area from the configured volume", async () => {
  for (const [stack, volume] of [
    ["dev", 50],
    ["prod", 200],
  ] as const) {
    const run = await sharedStackRun(
      "aws-resources",
      stack === "dev" ? {} : { stack, overrides: prodAwsResourcesOverrides() },
    );
    const host = one(run, "aws:ec2/instance:Instance");
    const userData = gunzipUserData(String(host.inputs.userDataBase64));
    assert.match(userData, new RegExp(`^FRA_GIB='${recoveryAreaGiB(volume)}'$`, "m"), stack);
  }
});
