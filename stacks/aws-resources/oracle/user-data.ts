import { readFileSync } from "node:fs";
import * as path from "node:path";
import { gzipSync } from "node:zlib";
import ipaddr from "ipaddr.js";
import { SQL_ROOT } from "../../../lib/sql";
import { checkAwsRegion } from "../../../lib/validators";
import { IMAGE_REF } from "../config";
import { BODY, CONSTANTS, HEADER, HELPERS, HOUSEKEEPING } from "./bootstrap-script";

/**
 * The Oracle host's cloud-init script, rendered by a pure function so every property a reviewer cares
 * about (no secrets, IMDSv2, idempotent SQL, bounded waits, the ready signal) is unit-tested.
 */

/**
 * Values the ready parameter takes: `pending` (set by Pulumi), `configuring`, then `ready:<instance-id>`
 * or `failed:<instance-id>: <step>` (both scoped, so a gate that knows the instance id never trusts a
 * replaced host's stale signal).
 */

export interface OracleUserDataParams {
  /** AWS region of the secret and the parameter. */
  readonly region: string;
  /** ARN of the Secrets Manager secret holding the passwords (JSON, keys in SECRET_KEYS). */
  readonly secretArn: string;
  /** Name of the SSM parameter that receives the ready signal. */
  readonly readyParameterName: string;
  /** Id of the EBS volume holding the Oracle data files (`vol-…`). */
  readonly dataVolumeId: string;
  /** Oracle XE container image. */
  readonly image: string;
  /**
   * The Elastic IP the host waits for before it uses the network (it has no other public address), or
   * empty for a host in a private subnet, which reaches the network through the NAT gateways at once.
   */
  readonly publicIp: string;
  /** Limit of the fast recovery area in GiB (`recoveryAreaGiB` of the data volume's size). */
  readonly recoveryAreaGiB: number;
}

export class UserDataError extends Error {
  override name = "UserDataError";
}

/** POSIX shell single-quoting: the result is always exactly one word with the original bytes. */
export function shellQuote(value: string): string {
  if (value.includes("\0")) throw new UserDataError("a shell word cannot contain NUL");
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

const CHECKS: { [K in keyof OracleUserDataParams]: (v: OracleUserDataParams[K]) => string | undefined } = {
  region: checkAwsRegion,
  secretArn: (v) =>
    /^arn:aws(-[a-z]+)*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]+$/.test(v)
      ? undefined
      : "must be a Secrets Manager secret ARN",
  readyParameterName: (v) =>
    /^(\/[A-Za-z0-9_.-]+)+$/.test(v) && v.length <= 1011
      ? undefined
      : "must be an SSM parameter path like /a/b",
  dataVolumeId: (v) => (/^vol-[0-9a-f]{8,17}$/.test(v) ? undefined : "must be an EBS volume id (vol-…)"),
  image: (v) => (IMAGE_REF.test(v) ? undefined : "must be a container image reference"),
  publicIp: (v) =>
    v === "" || ipaddr.IPv4.isValidFourPartDecimal(v) ? undefined : "must be an IPv4 address or empty",
  recoveryAreaGiB: (v) => (Number.isInteger(v) && v >= 1 ? undefined : "must be a whole number of GiB"),
};

/** The SQL steps (the body runs them in its order): each becomes a shell function that prints the file. */
export const SQL_STEPS = {
  sql_enable_replication: "01-enable-replication.sql",
  sql_recovery_area: "recovery-area.sql",
  sql_log_mode: "02-log-mode.sql",
  sql_archivelog: "03-archivelog.sql",
  sql_open_pdb: "04-open-pdb.sql",
  sql_supplemental_logging: "05-supplemental-logging.sql",
  sql_tablespaces: "06-tablespaces.sql",
  sql_xstream_users: "07-xstream-users.sql",
  sql_cdc_encryption_trigger: "cdc-encryption-trigger.sql",
  sql_xstream_users_pdb: "07-xstream-users-pdb.sql",
  sql_password_rollover: "password-rollover.sql",
  sql_app_user: "08-app-user.sql",
  sql_outbound_server: "09-outbound-server.sql",
  sql_admin_accounts: "10-admin-accounts.sql",
} as const;

/** What the housekeeping timer runs, rendered like the SQL steps. */
export const HOUSEKEEPING_FILES = {
  sql_recovery_area_usage: "recovery-area-usage.sql",
  rman_archivelog_cleanup: "archivelog-cleanup.rman",
} as const;

const HEREDOC_END = "END_OF_SQL";

/**
 * A shell function `fn` that prints `sql` (SQL, or RMAN commands) verbatim, for run_sql or RMAN's
 * stdin: the one rendering of every statement the host runs, the runbooks' included.
 */
export function sqlFunction(fn: string, sql: string, source = fn): string {
  const text = sql.trimEnd();
  if (text.split("\n").some((line) => line.trim() === HEREDOC_END)) {
    throw new UserDataError(`${source} contains the heredoc terminator ${HEREDOC_END}`);
  }
  return `${fn}() {\n  cat <<'${HEREDOC_END}'\n${text}\n${HEREDOC_END}\n}`;
}

function sqlFunctions(): string {
  return Object.entries({ ...SQL_STEPS, ...HOUSEKEEPING_FILES })
    .map(([fn, file]) =>
      sqlFunction(fn, readFileSync(path.join(SQL_ROOT, "oracle", file), "utf8"), `sql/oracle/${file}`),
    )
    .join("\n");
}

/** The device node of an attached EBS volume on a Nitro instance (NVMe serial = volume id without "-"). */
export function nvmeDevicePath(volumeId: string): string {
  return `/dev/disk/by-id/nvme-Amazon_Elastic_Block_Store_${volumeId.replace("-", "")}`;
}

/**
 * Renders the user data. Every parameter is validated and then shell-quoted into one assignment at the
 * top; the rest of the script is constant text that only reads those variables.
 */
export function renderOracleUserData(params: OracleUserDataParams): string {
  const problems = (Object.keys(CHECKS) as (keyof OracleUserDataParams)[]).flatMap((key) => {
    const problem = (CHECKS[key] as (v: unknown) => string | undefined)(params[key]);
    return problem ? [`${key} = ${JSON.stringify(params[key])}: ${problem}`] : [];
  });
  if (problems.length > 0) throw new UserDataError(`Oracle user data: ${problems.join("; ")}`);

  const assignments = [
    ["REGION", params.region],
    ["SECRET_ARN", params.secretArn],
    ["READY_PARAMETER", params.readyParameterName],
    ["DATA_DEVICE", nvmeDevicePath(params.dataVolumeId)],
    ["ORACLE_IMAGE", params.image],
    ["PUBLIC_IP", params.publicIp],
    ["FRA_GIB", String(params.recoveryAreaGiB)],
  ]
    .map(([name, value]) => `${name}=${shellQuote(value!)}`)
    .join("\n");

  return [HEADER, assignments, CONSTANTS, HELPERS, HOUSEKEEPING, sqlFunctions(), BODY].join("\n\n") + "\n";
}

/**
 * Budget of the user data EC2 receives, in bytes. EC2 takes at most 16 KB (counted before base64:
 * https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/user-data.html); half of it leaves room for
 * the setup to grow without a deployment ever failing at the limit.
 */
export const USER_DATA_BUDGET_BYTES = 8192;

/**
 * What EC2 receives for `script`: gzip-compressed, which cloud-init unpacks before it runs the script
 * (https://cloudinit.readthedocs.io/en/latest/explanation/format.html), then base64 for the
 * instance's `userDataBase64`. Refuses a result over USER_DATA_BUDGET_BYTES.
 */
export function compressUserData(script: string): string {
  const gzipped = gzipSync(script, { level: 9 });
  if (gzipped.length > USER_DATA_BUDGET_BYTES) {
    throw new UserDataError(
      `Oracle user data is ${gzipped.length} bytes gzipped, over its budget of ${USER_DATA_BUDGET_BYTES} ` +
        `(EC2 allows 16 KB): shorten the setup script or the SQL in sql/oracle/`,
    );
  }
  return gzipped.toString("base64");
}
