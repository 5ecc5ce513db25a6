import assert from "node:assert/strict";
import { test } from "node:test";
import * as aws from "@pulumi/aws";
import { runStack } from "../tools/offline/run-stack";
import type { StackRun } from "../tools/offline/run-stack";
import { OPENSEARCH_PASSWORD_RULES } from "../lib/opensearch-policy";
import { OpenSearchDomain } from "../stacks/aws-resources/opensearch";
import type { OpenSearchDomainArgs } from "../stacks/aws-resources/opensearch";
import { checkOpenSearchInstanceCount, domainAccessPolicy, zoneLayout } from "../lib/opensearch-policy";
import { one } from "./helpers/resources";

const REGION = "eu-central-1";
const ARN = `arn:aws:es:${REGION}:123456789012:domain/fd-dev-a1b2`;

const baseArgs: OpenSearchDomainArgs = {
  domainName: "fd-dev-a1b2",
  engineVersion: "OpenSearch_2.19",
  instanceType: "t3.small.search",
  instanceCount: 3,
  volumeGiB: 10,
  masterUser: "fdadmin",
  allowedCidrs: ["203.0.113.0/24"],
  natPublicIps: ["198.51.100.21/32"],
  protect: false,
  logs: { retentionDays: 90, protect: false },
};
const KEY = "arn:aws:kms:eu-central-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab";

function runDomain(args: Partial<OpenSearchDomainArgs> = {}): Promise<StackRun> {
  return runStack({
    project: "opensearch-test",
    stack: "dev",
    region: REGION,
    config: {},
    program: async () => {
      const provider = new aws.Provider("aws", { region: REGION });
      const os = new OpenSearchDomain("search", { ...baseArgs, ...args }, { providers: [provider] });
      return {
        domainName: os.domainName,
        arn: os.arn,
        endpoint: os.endpoint,
        dashboardsUrl: os.dashboardsUrl,
        masterUser: os.masterUser,
        masterPassword: os.masterPassword,
      };
    },
  });
}

const DOMAIN = "aws:opensearch/domain:Domain";

test("the domain is encrypted at rest and in transit, HTTPS-only with the PFS TLS 1.2 policy, and uses FGAC", async () => {
  const run = await runDomain();
  const d = one(run, DOMAIN).inputs;
  assert.equal(d.domainName, "fd-dev-a1b2");
  assert.equal(d.engineVersion, "OpenSearch_2.19");
  assert.deepEqual(d.clusterConfig, {
    instanceType: "t3.small.search",
    instanceCount: 3,
    zoneAwarenessEnabled: true,
    zoneAwarenessConfig: { availabilityZoneCount: 3 },
  });
  assert.deepEqual(d.ebsOptions, { ebsEnabled: true, volumeType: "gp3", volumeSize: 10 });
  assert.deepEqual(d.encryptAtRest, { enabled: true });
  assert.deepEqual(d.nodeToNodeEncryption, { enabled: true });
  assert.deepEqual(d.domainEndpointOptions, {
    enforceHttps: true,
    tlsSecurityPolicy: "Policy-Min-TLS-1-2-PFS-2023-10",
  });
  assert.deepEqual(d.advancedSecurityOptions, {
    enabled: true,
    internalUserDatabaseEnabled: true,
    masterUserOptions: { masterUserName: "fdadmin", masterUserPassword: run.outputs.masterPassword },
  });
});

test("the access policy limits unsigned HTTP to the allowed CIDRs and the NAT addresses, and is left to the processing stack afterwards", async () => {
  const run = await runDomain();
  const domain = one(run, DOMAIN);
  assert.equal(
    domain.inputs.accessPolicies,
    domainAccessPolicy({ domainArn: ARN, sourceCidrs: ["198.51.100.21/32", "203.0.113.0/24"] }),
  );
  assert.deepEqual(domain.ignoreChanges, ["accessPolicies"]);
  const invoked = run.invokes.map((i) => i.token).sort();
  assert.deepEqual(invoked, [
    "aws:index/getCallerIdentity:getCallerIdentity",
    "aws:index/getPartition:getPartition",
    "aws:index/getRegion:getRegion",
  ]);
});

test("with no allowed CIDRs the initial policy admits only the NAT addresses; with neither, nothing", async () => {
  const run = await runDomain({ allowedCidrs: [] });
  const policy = JSON.parse(String(one(run, DOMAIN).inputs.accessPolicies));
  assert.deepEqual(
    policy.Statement.map((s: { Effect: string; Condition?: unknown }) => [s.Effect, s.Condition]),
    [["Allow", { IpAddress: { "aws:SourceIp": ["198.51.100.21/32"] } }]],
  );
  const none = await runDomain({ allowedCidrs: [], natPublicIps: [] });
  const closed = JSON.parse(String(one(none, DOMAIN).inputs.accessPolicies));
  assert.deepEqual(
    closed.Statement.map((s: { Effect: string }) => s.Effect),
    ["Deny"],
  );
});

test("protect controls protection and retention of the domain and its password", async () => {
  const dev = await runDomain();
  assert.equal(one(dev, DOMAIN).protect, false);
  assert.equal(one(dev, DOMAIN).retainOnDelete, false);
  const prod = await runDomain({ protect: true });
  assert.equal(one(prod, DOMAIN).protect, true);
  assert.equal(one(prod, DOMAIN).retainOnDelete, true);
  assert.equal(one(prod, "random:index/randomPassword:RandomPassword").protect, true);
});

test("the master password meets FGAC rules, is secret, and appears in no plain input or other output", async () => {
  const run = await runDomain();
  const pw = one(run, "random:index/randomPassword:RandomPassword").inputs;
  assert.equal(pw.length, 32);
  for (const k of ["minUpper", "minLower", "minNumeric", "minSpecial"]) assert.equal(pw[k], 1, k);
  assert.equal(pw.overrideSpecial, OPENSEARCH_PASSWORD_RULES.overrideSpecial);
  assert.deepEqual(run.secretOutputNames, ["masterPassword"]);
  const password = String(run.outputs.masterPassword);
  const domain = one(run, DOMAIN);
  // A secret nested in an input object makes the whole object secret on the wire.
  assert.ok(domain.secretInputPaths.includes("advancedSecurityOptions"));
  for (const r of run.resources) {
    assert.ok(!JSON.stringify(r.maskedInputs).includes(password), `password in plain inputs of ${r.name}`);
  }
  for (const [k, v] of Object.entries(run.outputs)) {
    if (k !== "masterPassword") assert.ok(!JSON.stringify(v).includes(password), `password in output ${k}`);
  }
});

test("outputs: endpoint without scheme, dashboards URL, ARN and master user", async () => {
  const run = await runDomain();
  const endpoint = String(run.outputs.endpoint);
  assert.match(endpoint, /^search-fd-dev-a1b2-[0-9a-f]+\.eu-central-1\.es\.amazonaws\.com$/);
  assert.equal(run.outputs.dashboardsUrl, `https://${endpoint}/_dashboards/`);
  assert.equal(run.outputs.arn, ARN);
  assert.equal(run.outputs.domainName, "fd-dev-a1b2");
  assert.equal(run.outputs.masterUser, "fdadmin");
});

test("the domain publishes audit, application and slow logs to its own groups, allowed by a policy scoped to them and the domain", async () => {
  const run = await runDomain();
  const groups = run.resources.filter((r) => r.type === "aws:cloudwatch/logGroup:LogGroup");
  assert.deepEqual(
    groups.map((g) => [g.inputs.name, g.inputs.retentionInDays, g.inputs.kmsKeyId]).sort(),
    ["application", "audit", "index-slow", "search-slow"].map((s) => [
      `/aws/opensearch/fd-dev-a1b2/${s}`,
      90,
      undefined,
    ]),
  );
  const arnOf = (suffix: string) =>
    `arn:aws:logs:${REGION}:123456789012:log-group:/aws/opensearch/fd-dev-a1b2/${suffix}`;
  const options = one(run, DOMAIN).inputs.logPublishingOptions as Record<string, unknown>[];
  assert.deepEqual(
    options.map((o) => [o.logType, o.cloudwatchLogGroupArn, o.enabled]),
    [
      ["AUDIT_LOGS", arnOf("audit"), true],
      ["ES_APPLICATION_LOGS", arnOf("application"), true],
      ["INDEX_SLOW_LOGS", arnOf("index-slow"), true],
      ["SEARCH_SLOW_LOGS", arnOf("search-slow"), true],
    ],
  );
  assert.equal(
    (one(run, DOMAIN).inputs.advancedSecurityOptions as { enabled: boolean }).enabled,
    true,
    "audit logs need FGAC",
  );

  const resourcePolicy = one(run, "aws:cloudwatch/logResourcePolicy:LogResourcePolicy");
  const doc = JSON.parse(String(resourcePolicy.inputs.policyDocument));
  assert.deepEqual(doc.Statement, [
    {
      Sid: "OpenSearchPublishesDomainLogs",
      Effect: "Allow",
      Principal: { Service: "es.amazonaws.com" },
      Action: ["logs:PutLogEvents", "logs:CreateLogStream"],
      Resource: ["audit", "application", "index-slow", "search-slow"].map((s) => `${arnOf(s)}:*`),
      Condition: { StringEquals: { "aws:SourceAccount": "123456789012" }, ArnLike: { "aws:SourceArn": ARN } },
    },
  ]);
  assert.ok(one(run, DOMAIN).dependencyUrns.includes(resourcePolicy.urn), "the domain waits for the policy");
});

test("with a customer-managed key the domain and its log groups use it; without, AWS-managed keys", async () => {
  const run = await runDomain({
    kmsKeyArn: KEY,
    logs: { retentionDays: 365, kmsKeyArn: KEY, protect: true },
  });
  assert.deepEqual(one(run, DOMAIN).inputs.encryptAtRest, { enabled: true, kmsKeyId: KEY });
  for (const g of run.resources.filter((r) => r.type === "aws:cloudwatch/logGroup:LogGroup")) {
    assert.deepEqual(
      [g.inputs.kmsKeyId, g.inputs.retentionInDays, g.inputs.deletionProtectionEnabled],
      [KEY, 365, true],
    );
  }
  const plain = await runDomain();
  assert.deepEqual(one(plain, DOMAIN).inputs.encryptAtRest, { enabled: true });
});

test("domainAccessPolicy: IP-conditioned allow for the CIDRs, an explicit deny when there are none", () => {
  assert.deepEqual(
    JSON.parse(domainAccessPolicy({ domainArn: ARN, sourceCidrs: ["203.0.113.0/24", "198.51.100.7/32"] })),
    {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "AllowListedSources",
          Effect: "Allow",
          Principal: { AWS: "*" },
          Action: "es:ESHttp*",
          Resource: `${ARN}/*`,
          Condition: { IpAddress: { "aws:SourceIp": ["203.0.113.0/24", "198.51.100.7/32"] } },
        },
      ],
    },
  );
  const empty = JSON.parse(domainAccessPolicy({ domainArn: ARN, sourceCidrs: [] }));
  assert.deepEqual(empty.Statement, [
    {
      Sid: "NoSourceAllowedYet",
      Effect: "Deny",
      Principal: { AWS: "*" },
      Action: "es:ESHttp*",
      Resource: `${ARN}/*`,
    },
  ]);
  for (const cidrs of [[], ["203.0.113.0/24"]]) {
    const statements = JSON.parse(domainAccessPolicy({ domainArn: ARN, sourceCidrs: cidrs })).Statement;
    for (const s of statements) {
      if (s.Effect === "Allow") assert.ok(s.Condition, "never an unconditioned allow");
    }
  }
});

test("zoneLayout spreads nodes over 3 AZs for multiples of 3, 2 AZs for even counts, none for 1", () => {
  const cases: [number, ReturnType<typeof zoneLayout>][] = [
    [1, { zoneAwarenessEnabled: false }],
    [2, { zoneAwarenessEnabled: true, availabilityZoneCount: 2 }],
    [3, { zoneAwarenessEnabled: true, availabilityZoneCount: 3 }],
    [4, { zoneAwarenessEnabled: true, availabilityZoneCount: 2 }],
    [6, { zoneAwarenessEnabled: true, availabilityZoneCount: 3 }],
    [9, { zoneAwarenessEnabled: true, availabilityZoneCount: 3 }],
  ];
  for (const [count, layout] of cases) assert.deepEqual(zoneLayout(count), layout, String(count));
  for (const bad of [0, 5, 7, 2.5, -3]) {
    assert.match(checkOpenSearchInstanceCount(bad) ?? "", /cannot be spread evenly/, String(bad));
    assert.throws(() => zoneLayout(bad), /use 1, an even number, or a multiple of 3/);
  }
});

test("a one-node domain has zone awareness off and no zone config", async () => {
  const run = await runDomain({ instanceCount: 1 });
  assert.deepEqual(one(run, DOMAIN).inputs.clusterConfig, {
    instanceType: "t3.small.search",
    instanceCount: 1,
    zoneAwarenessEnabled: false,
  });
});
