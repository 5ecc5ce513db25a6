import assert from "node:assert/strict";
import { test } from "node:test";
import type { OracleUserDataParams } from "../stacks/aws-resources/oracle-user-data";
import { renderOracleUserData } from "../stacks/aws-resources/oracle-user-data";

const PARAMS: OracleUserDataParams = {
  region: "us-east-1",
  secretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:fd-dev-a1b2-oracle-AbCdEf",
  readyParameterName: "/fd-dev-a1b2/oracle/ready",
  dataVolumeId: "vol-0123456789abcdef0",
  image: "container-registry.oracle.com/database/express:21.3.0-xe",
  publicIp: "203.0.113.10",
};
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
