import { z } from "zod";
import type { ConfigProblem, RawConfig } from "../../lib/config";
import {
  bool,
  ConfigError,
  emptyToUndefined,
  int,
  list,
  oneOf,
  optionalMatches,
  parseConfig,
  str,
} from "../../lib/config";
import { zEmailList, zOptionalStackName, zTagValue } from "../../lib/validators";
import { checkBlockedCidr, MAX_BLOCKED_RANGES } from "./fraud-rules/ip-ranges";
import { PROJECTS } from "../../lib/contracts";

/**
 * The one typed loader of the processing stack's configuration. Defaults live in Pulumi.yaml (the
 * CLI and the offline harness apply them); this schema checks meaning, and every message names
 * what is allowed. The Snowflake private key is checked apart from zod so that no error message
 * can ever echo it.
 */

export const SECRET_KEYS = ["snowflakePrivateKey"] as const;
const ERRORS_TOLERANCES = ["all", "none"] as const;

const SNOWFLAKE_URL =
  /^https:\/\/[a-z0-9][a-z0-9_-]*(\.[a-z0-9][a-z0-9_-]*)*\.snowflakecomputing\.com(:443)?\/?$/i;
const SNOWFLAKE_IDENT = /^[A-Za-z_][A-Za-z0-9_$]{0,254}$/;

/**
 * OpenSearch index names: lowercase, at most 255 bytes, none of `\ / * ? " < > | , # :` or spaces,
 * not starting with `_`, `-`, `+` or `.`, and not `.`/`..`. Returns what is wrong, or undefined.
 */
export function checkIndexName(value: string): string | undefined {
  const rules = 'lowercase, no spaces or any of \\ / * ? " < > | , # :, not starting with _ - + or .';
  if (value.length === 0) return `must not be empty (${rules})`;
  if (value !== value.toLowerCase()) return `must be lowercase (${rules})`;
  if (/[\\/*?"<>|,#:\s]/.test(value)) return `contains a character OpenSearch refuses (${rules})`;
  // Control and invisible formatting characters: NUL breaks the tools that handle the name, and a
  // zero-width space or right-to-left override makes a name that reads as flagged_user but is not.
  if (/[\p{Cc}\p{Cf}]/u.test(value)) return `contains a control or invisible formatting character (${rules})`;
  if (/^[_\-+.]/.test(value)) return `must not start with _ - + or . (${rules})`;
  if (Buffer.byteLength(value, "utf8") > 255) return "must be at most 255 bytes";
  return undefined;
}

/** At most this many alert recipients: each is an SNS email subscription someone must confirm. */
const MAX_ALERT_EMAILS = 10;

const blockedRanges = () =>
  list(
    z.string().superRefine((v, ctx) => {
      const problem = checkBlockedCidr(v);
      if (problem) ctx.addIssue({ code: "custom", message: `${JSON.stringify(v)}: ${problem}` });
    }),
  ).superRefine((ranges, ctx) => {
    if (ranges.length === 0) {
      ctx.addIssue({
        code: "custom",
        message: "must list at least one range, or the too_far rule catches nothing",
      });
    }
    if (ranges.length > MAX_BLOCKED_RANGES) {
      ctx.addIssue({ code: "custom", message: `must list at most ${MAX_BLOCKED_RANGES} ranges` });
    }
    const seen = new Set<string>();
    for (const r of ranges) {
      if (seen.has(r)) ctx.addIssue({ code: "custom", message: `${JSON.stringify(r)} is listed twice` });
      seen.add(r);
    }
  });

const processingConfigSchema = z
  .object({
    awsResourcesStack: zOptionalStackName(),
    connectorStack: zOptionalStackName(),
    windowMinutes: int(1, 1440),
    maxWindowAmount: int(1, 1_000_000_000),
    maxWindowCount: int(1, 1_000_000),
    singleTransactionLimit: int(1, 1_000_000_000),
    blockedIpRanges: blockedRanges(),
    flaggedIndex: str().superRefine((v, ctx) => {
      const problem = checkIndexName(v);
      if (problem) ctx.addIssue({ code: "custom", message: problem });
    }),
    sinkErrorsTolerance: oneOf(ERRORS_TOLERANCES),
    alertEmails: zEmailList(MAX_ALERT_EMAILS, "each is an SNS subscription someone must confirm"),
    alertQuietMinutes: int(1, 10_080),
    enableSnowflake: bool(),
    snowflakeUrl: optionalMatches(SNOWFLAKE_URL, "must be https://<account>.snowflakecomputing.com"),
    snowflakeUser: optionalMatches(
      SNOWFLAKE_IDENT,
      "must be a Snowflake identifier (letters, digits, _ and $)",
    ),
    snowflakeDatabase: optionalMatches(
      SNOWFLAKE_IDENT,
      "must be a Snowflake identifier (letters, digits, _ and $)",
    ),
    snowflakeSchema: optionalMatches(
      SNOWFLAKE_IDENT,
      "must be a Snowflake identifier (letters, digits, _ and $)",
    ),
    snowflakeRole: optionalMatches(
      SNOWFLAKE_IDENT,
      "must be a Snowflake identifier (letters, digits, _ and $)",
    ),
    /** Only "is it set" reaches the schema (see loadProcessingConfig). */
    snowflakePrivateKey: z.preprocess(emptyToUndefined, z.string().optional()),
    owner: zTagValue(),
    costCenter: zTagValue(),
  })
  .superRefine((c, ctx) => {
    if (!c.enableSnowflake) return;
    const required = [
      "snowflakeUrl",
      "snowflakeUser",
      "snowflakeDatabase",
      "snowflakeSchema",
      "snowflakeRole",
      "snowflakePrivateKey",
    ] as const;
    for (const key of required) {
      if (c[key] === undefined) {
        const how =
          key === "snowflakePrivateKey" ? " (pulumi config set --secret snowflakePrivateKey …)" : "";
        ctx.addIssue({
          code: "custom",
          path: [key],
          message: `is required when enableSnowflake is true${how}`,
        });
      }
    }
  });

export type ProcessingConfig = Omit<z.output<typeof processingConfigSchema>, "snowflakePrivateKey"> & {
  /** The key body (no PEM header/footer, no whitespace) — plain here, wrapped as a secret by the program. */
  readonly snowflakePrivateKey?: string;
};

/** Every key this stack reads, as declared in Pulumi.yaml. */
export const CONFIG_KEYS: readonly string[] = Object.keys(processingConfigSchema.shape);

/**
 * The Snowflake connector wants the bare base64 body of an unencrypted PKCS#8 key. A pasted PEM is
 * accepted and reduced to its body; anything else is refused (without echoing it).
 */
export function snowflakeKeyBody(value: string): string | undefined {
  const body = value.replace(/-----(BEGIN|END) [A-Z ]*PRIVATE KEY-----/g, "").replace(/\s+/g, "");
  if (/ENCRYPTED PRIVATE KEY/.test(value)) return undefined;
  return /^[A-Za-z0-9+/]{64,}={0,2}$/.test(body) ? body : undefined;
}

/** Validates raw config; throws a ConfigError naming every bad key, value and what is allowed. */
export function loadProcessingConfig(raw: RawConfig): ProcessingConfig {
  const secret = emptyToUndefined(raw.snowflakePrivateKey) as string | undefined;
  const masked: RawConfig = { ...raw, snowflakePrivateKey: secret === undefined ? undefined : "[secret]" };
  const problems: ConfigProblem[] = [];
  let parsed: z.output<typeof processingConfigSchema> | undefined;
  try {
    parsed = parseConfig(PROJECTS.processing, processingConfigSchema, masked);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.push(...err.problems);
  }
  const body = secret === undefined ? undefined : snowflakeKeyBody(secret);
  if (secret !== undefined && body === undefined) {
    problems.push({
      key: "snowflakePrivateKey",
      value: "[secret]",
      message:
        "must be an unencrypted PKCS#8 private key (PEM or its base64 body); the value is not shown because it is secret",
    });
  }
  if (problems.length > 0 || parsed === undefined) throw new ConfigError(PROJECTS.processing, problems);
  return { ...parsed, snowflakePrivateKey: body };
}

/** The Snowflake sink settings, when it is enabled (the schema guarantees every one is set then). */
export interface SnowflakeSettings {
  readonly url: string;
  readonly user: string;
  readonly database: string;
  readonly schema: string;
  readonly role: string;
  readonly privateKey: string;
}

export function snowflakeSettings(cfg: ProcessingConfig): SnowflakeSettings | undefined {
  if (!cfg.enableSnowflake) return undefined;
  const {
    snowflakeUrl,
    snowflakeUser,
    snowflakeDatabase,
    snowflakeSchema,
    snowflakeRole,
    snowflakePrivateKey,
  } = cfg;
  if (
    !snowflakeUrl ||
    !snowflakeUser ||
    !snowflakeDatabase ||
    !snowflakeSchema ||
    !snowflakeRole ||
    !snowflakePrivateKey
  ) {
    throw new Error(
      "enableSnowflake is true but a snowflake* key is missing (loadProcessingConfig should have said so)",
    );
  }
  return {
    url: snowflakeUrl,
    user: snowflakeUser,
    database: snowflakeDatabase,
    schema: snowflakeSchema,
    role: snowflakeRole,
    privateKey: snowflakePrivateKey,
  };
}
