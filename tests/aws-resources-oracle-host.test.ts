import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { test } from "node:test";
import { INSTANCE, ec2UserDataNoSecrets } from "../policy/rules/aws-compute";
import { ORACLE, SECRET_KEYS } from "../stacks/aws-resources/oracle/names";
import {
  SQL_STEPS,
  USER_DATA_BUDGET_BYTES,
  UserDataError,
  compressUserData,
  renderOracleUserData,
} from "../stacks/aws-resources/oracle/user-data";
import { gunzipUserData, ORACLE_PARAMS as PARAMS, sqlOf } from "./helpers/oracle-user-data";
import { one } from "./helpers/resources";
import { sharedStackRun } from "./helpers/stack-under-test";

const script = renderOracleUserData(PARAMS);

interface DockerExec {
  /** The `-u`/`--user` value, or undefined when the image's default user (root for XE) applies. */
  readonly user: string | undefined;
  /** The command words after the container. */
  readonly command: string[];
  /** The here-document fed to it, if any. */
  readonly stdin: string;
}

/** Every `docker exec` of the script, with its options parsed as docker does (comments skipped). */
function dockerExecs(text: string): DockerExec[] {
  const lines = text.split("\n");
  const execs: DockerExec[] = [];
  lines.forEach((line, i) => {
    if (/^\s*#/.test(line)) return;
    const at = line.indexOf("docker exec");
    if (at < 0) return;
    const words = line.slice(at + "docker exec".length).match(/"[^"]*"|'[^']*'|\S+/g) ?? [];
    let user: string | undefined;
    let k = 0;
    for (; k < words.length && words[k]!.startsWith("-"); k++) {
      const w = words[k]!;
      if (w === "-u" || w === "--user") user = words[++k];
      else if (w.startsWith("--user=")) user = w.slice("--user=".length);
      else if (/^-u./.test(w)) user = w.slice(2);
      else if (["-e", "--env", "-w", "--workdir", "--env-file"].includes(w)) k++;
    }
    const command = words.slice(k + 1);
    const heredoc = /<<-?'?(\w+)'?/.exec(line);
    const end = heredoc ? lines.indexOf(heredoc[1]!, i + 1) : -1;
    execs.push({ user, command, stdin: end > i ? lines.slice(i + 1, end).join("\n") : "" });
  });
  return execs;
}

test("SQL*Plus and Oracle's network files are only ever touched as the oracle OS user, never as root", () => {
  const execs = dockerExecs(script);
  const sqlplus = execs.filter((e) => e.command.includes("sqlplus"));
  const networkFiles = execs.filter((e) => /sqlnet\.ora|network\/admin/.test(e.stdin));
  assert.ok(sqlplus.length >= 1, "the script runs SQL*Plus in the container");
  assert.ok(networkFiles.length >= 1, "the script writes sqlnet.ora in the container");
  for (const e of execs) assert.equal(e.user, "oracle", `docker exec ${e.command.join(" ")}`);
  // Nothing else in the script runs SQL*Plus or writes the network files (e.g. directly on the host).
  const execLines = script.split("\n").filter((l) => l.includes("docker exec"));
  for (const line of script.split("\n").filter((l) => /^\s*[^#\s].*\bsqlplus\b/.test(l)))
    assert.ok(execLines.includes(line), `sqlplus outside docker exec -u oracle: ${line}`);
  const inHeredocs = networkFiles.map((e) => e.stdin).join("\n");
  for (const line of script.split("\n").filter((l) => /sqlnet\.ora/.test(l) && !/^\s*#/.test(l)))
    assert.ok(inHeredocs.includes(line), `sqlnet.ora written outside the oracle user's exec: ${line}`);
});

test("the docker exec parser sees a missing or root user (so the test above can fail)", () => {
  const users = dockerExecs(
    [
      'x | docker exec -i "$CONTAINER" sqlplus -S / as sysdba',
      'docker exec --user=root -i "$CONTAINER" bash -s <<EOF',
      "echo > sqlnet.ora",
      "EOF",
      "docker exec -u0 c sqlplus",
    ].join("\n"),
  ).map((e) => [e.user, e.command[0], e.stdin]);
  assert.deepEqual(users, [
    [undefined, "sqlplus", ""],
    ["root", "bash", "echo > sqlnet.ora"],
    ["0", "sqlplus", ""],
  ]);
});

test("the user data EC2 receives is the gzipped script, within the 8 KB budget", () => {
  assert.equal(USER_DATA_BUDGET_BYTES, 8192);
  const base64 = compressUserData(script);
  const bytes = Buffer.from(base64, "base64").length;
  assert.ok(bytes <= USER_DATA_BUDGET_BYTES, `${bytes} bytes gzipped`);
  assert.equal(gunzipUserData(base64), script, "gunzip gives back exactly the rendered script");
  execFileSync("bash", ["-n"], { input: gunzipUserData(base64) });
});

test("a script whose gzipped form passes the budget is refused, naming the size and the budget", () => {
  // Random hex barely compresses: 20 000 characters stay far over 8192 bytes gzipped.
  const incompressible = Array.from({ length: 5000 }, (_, i) => ((i * 2654435761) >>> 0).toString(16)).join(
    "",
  );
  assert.throws(
    () => compressUserData(`${script}# ${incompressible}\n`),
    (err: unknown) =>
      err instanceof UserDataError && /\d+ bytes gzipped, over its budget of 8192/.test(err.message),
  );
});

test("the policy pack reads gzipped user data, so compression hides no secret from it", () => {
  const leak = compressUserData(`${script}ORACLE_PWD=Welcome1\n`);
  const found: string[] = [];
  const args = { type: INSTANCE, name: "host", props: { userDataBase64: leak } };
  (ec2UserDataNoSecrets.validateResource as (a: unknown, r: (m: string) => void) => void)(args, (m) =>
    found.push(m),
  );
  assert.equal(found.length, 1, "the leaked password is reported");
  const clean: string[] = [];
  const ok = { ...args, props: { userDataBase64: compressUserData(script) } };
  (ec2UserDataNoSecrets.validateResource as (a: unknown, r: (m: string) => void) => void)(ok, (m) =>
    clean.push(m),
  );
  assert.deepEqual(clean, []);
});

const adminSql = sqlOf(SQL_STEPS.sql_admin_accounts);

test("SYS and SYSTEM get the secret's sys password, never the bootstrap value the container was given", () => {
  assert.deepEqual([...SECRET_KEYS].slice(0, 2), ["bootstrap", "sys"]);
  assert.match(script, /^BOOTSTRAP_PWD=\$\(password bootstrap\)$/m);
  assert.match(script, /^SYS_PWD=\$\(password sys\)$/m);
  // The container only ever sees the bootstrap value.
  assert.match(script, /printf 'ORACLE_PWD=%s\\nORACLE_CHARACTERSET=AL32UTF8\\n' "\$BOOTSTRAP_PWD"/);
  assert.doesNotMatch(script, /ORACLE_PWD=[^\n]*\$SYS_PWD/);
  assert.match(script, /^unset BOOTSTRAP_PWD$/m);
  // The new value reaches SQL*Plus on stdin, as a substitution variable.
  assert.match(script, /printf 'DEFINE sys_pwd = "%s"\\n' "\$SYS_PWD"/);
  assert.match(adminSql, /^ALTER USER SYS IDENTIFIED BY "&&sys_pwd";$/m);
  assert.match(adminSql, /^ALTER USER SYSTEM IDENTIFIED BY "&&sys_pwd";$/m);
  assert.ok(script.includes(adminSql.trimEnd()), "the rotation is part of the rendered script");
  const lines = script.split("\n");
  const step = lines.indexOf("STEP=admin-accounts");
  assert.ok(step > lines.indexOf("STEP=wait-for-database") && step > 0);
  assert.equal(lines[step + 1], "run_sql password_defines sql_admin_accounts");
  assert.ok(step < lines.indexOf("STEP=ready"), "ready is only signalled after the rotation");
});

test("every other account that can log in is locked; SYS, SYSTEM, XStream and app users never are", () => {
  const loops = adminSql.split(/^\/$/m).filter((b) => /ACCOUNT LOCK/.test(b));
  assert.equal(loops.length, 2, "one in the CDB root, one in XEPDB1");
  for (const loop of loops) {
    assert.match(loop, /authentication_type = 'PASSWORD' AND account_status NOT LIKE '%LOCKED%'/);
    // Idempotent: only accounts not yet locked are altered.
    assert.doesNotMatch(loop, /ACCOUNT UNLOCK|DROP USER/);
  }
  assert.match(loops[0]!, /username NOT IN \('SYS', 'SYSTEM', 'C##CFLTADMIN', 'C##CFLTUSER'\)/);
  assert.match(loops[0]!, /ACCOUNT LOCK CONTAINER = ALL/);
  assert.match(loops[1]!, /ALTER SESSION SET CONTAINER = XEPDB1;/);
  assert.match(loops[1]!, /common = 'NO'[\s\S]*username <> 'SAMPLE'/);
  assert.doesNotMatch(adminSql, /ALTER USER (SYS|SYSTEM|c##\w+|sample) ACCOUNT LOCK/i);
  // The kept names are exactly the users this setup creates.
  for (const user of [ORACLE.xstreamAdmin, ORACLE.xstreamUser])
    assert.ok(loops[0]!.includes(`'${user.toUpperCase()}'`));
  assert.ok(loops[1]!.includes(`'${ORACLE.appUser.toUpperCase()}'`));
});

test("under mocks: IMDSv2 with hop limit 1, and no generated password in the user data", async () => {
  const run = await sharedStackRun("aws-resources");
  const i = one(run, "aws:ec2/instance:Instance").inputs;
  assert.deepEqual(i.metadataOptions, {
    httpTokens: "required",
    httpEndpoint: "enabled",
    httpPutResponseHopLimit: 1,
  });
  const userData = gunzipUserData(String(i.userDataBase64));
  const secret = JSON.parse(
    String(one(run, "aws:secretsmanager/secretVersion:SecretVersion").inputs.secretString),
  ) as Record<string, string>;
  assert.deepEqual(Object.keys(secret).sort(), [...SECRET_KEYS].sort());
  assert.notEqual(secret.sys, secret.bootstrap);
  for (const [key, value] of Object.entries(secret)) {
    assert.ok(value.length >= 16 && !userData.includes(value), `${key} not in user data`);
  }
});
