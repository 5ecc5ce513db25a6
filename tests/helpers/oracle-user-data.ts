import assert from "node:assert/strict";
import type { SpawnSyncReturns } from "node:child_process";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import { SQL_ROOT } from "../../lib/sql";
import { CONSTANTS, HEADER, HELPERS } from "../../stacks/aws-resources/oracle/bootstrap-script";
import type { OracleUserDataParams } from "../../stacks/aws-resources/oracle/user-data";

/** Oracle user-data parameters as the stack would pass them, for the user-data tests. */
export const ORACLE_PARAMS: OracleUserDataParams = {
  region: "us-east-1",
  secretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:fd-dev-a1b2-oracle-AbCdEf",
  readyParameterName: "/fd-dev-a1b2/oracle/ready",
  dataVolumeId: "vol-0123456789abcdef0",
  image: "container-registry.oracle.com/database/express:21.3.0-xe",
  publicIp: "203.0.113.10",
  recoveryAreaGiB: 30,
};

/** One of the Oracle setup's SQL files (`sql/oracle/<file>`), as the user data embeds it. */
export const sqlOf = (file: string): string => readFileSync(path.join(SQL_ROOT, "oracle", file), "utf8");

/** `lineOf(re)`: the index of the first line of `script` matching `re` (fails the test when there is none). */
export function lineFinder(script: string): (re: RegExp) => number {
  const lines = script.split("\n");
  return (re) => {
    const i = lines.findIndex((l) => re.test(l));
    assert.ok(i >= 0, `no line matches ${re}`);
    return i;
  };
}

/** The script an instance's `userDataBase64` (gzipped, as EC2 receives it) carries. */
export const gunzipUserData = (base64: string): string =>
  gunzipSync(Buffer.from(base64, "base64")).toString("utf8");

/**
 * Runs `body` in bash after the bootstrap script's own definitions, in the rendered script's order:
 * HEADER, then `params` (the parameter assignments user-data.ts puts there, only those the body
 * needs), then CONSTANTS and HELPERS. Nothing on stdin and only PATH in the environment, so stubs
 * defined in `body` (`aws() { … }`, `docker() { … }`) stand in for the real commands.
 */
export function runBootstrapBash(
  body: readonly string[],
  params: readonly string[] = [],
): SpawnSyncReturns<string> {
  return spawnSync("bash", ["-c", [HEADER, ...params, CONSTANTS, HELPERS, ...body].join("\n")], {
    input: "",
    encoding: "utf8",
    env: { PATH: process.env.PATH ?? "/usr/bin:/bin" },
  });
}
