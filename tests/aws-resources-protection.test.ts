import assert from "node:assert/strict";
import { before, test } from "node:test";
import type { RecordedResource } from "../tools/offline/mocks";
import type { StackRun } from "../tools/offline/run-stack";
import {
  KEY_ADMIN_ACTIONS,
  KEY_USE_ACTIONS,
  stackKeyPolicy,
  stackLogGroupArnPatterns,
} from "../stacks/aws-resources/kms-policy";
import { flowLogRolePolicy, flowLogTrustPolicy } from "../stacks/aws-resources/flow-logs";
import { readProject, stackConfig } from "../tools/offline/project-config";
import { loadAwsResourcesConfig } from "../stacks/aws-resources/config";
import { zoneLayout } from "../lib/opensearch-policy";
import {
  checkEksEndpointAccess,
  documentationCidrs,
  placeholderWarning,
} from "../stacks/aws-resources/profile-rules";
import { assertConfigRefused } from "./helpers/config-errors";
import { byName, ofType, one } from "./helpers/resources";
import { prodAwsResourcesConfig, prodAwsResourcesOverrides } from "./helpers/prod-config";
import { runStackUnderTest, sharedStackRun } from "./helpers/stack-under-test";

const LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup";
const KEY = "aws:kms/key:Key";
let plain: StackRun; // Pulumi.dev.yaml: AWS-managed keys, 30-day logs
let keyed: StackRun; // customer-managed key, 365-day logs, protected data

before(async () => {
  plain = await sharedStackRun("aws-resources");
  keyed = await runStackUnderTest("aws-resources", {
    overrides: { customerManagedKey: true, logRetentionDays: 365, protectData: true },
  });
});

const stackKey = (run: StackRun): RecordedResource | undefined =>
  ofType(run, KEY).find((k) => k.name === "stack-key-key");
test("every log group of the stack has the configured retention; the stack key only when enabled", () => {
  for (const [run, days, key] of [
    [plain, 30, undefined],
    [keyed, 365, keyed.outputs.kmsKeyArn],
  ] as const) {
    const groups = ofType(run, LOG_GROUP);
    assert.ok(groups.length >= 9, "EKS, 3 Redshift, 4 OpenSearch, flow logs");
    for (const g of groups) {
      assert.equal(g.inputs.retentionInDays, days, String(g.inputs.name));
      assert.equal(g.inputs.kmsKeyId, key, String(g.inputs.name));
      assert.match(String(g.inputs.name), new RegExp(`^/aws/[a-z]+(/cluster)?/${run.outputs.namePrefix}/`));
    }
  }
  assert.equal(plain.outputs.kmsKeyArn, "");
  assert.equal(stackKey(plain), undefined, "no customer-managed key unless asked for");
});

test("the VPC's flow logs go to their log group through a role only VPC Flow Logs of this account can assume", () => {
  const flow = one(plain, "aws:ec2/flowLog:FlowLog").inputs;
  const group = byName(plain, "network-flow-logs", LOG_GROUP);
  assert.equal(flow.trafficType, "ALL");
  assert.equal(flow.logDestinationType, "cloud-watch-logs");
  assert.equal(
    flow.logDestination,
    `arn:aws:logs:us-east-1:123456789012:log-group:${String(group.inputs.name)}`,
  );
  assert.equal(flow.vpcId, plain.outputs.vpcId);
  const role = byName(plain, "network-flow-logs", "aws:iam/role:Role");
  assert.equal(flow.iamRoleArn, "arn:aws:iam::123456789012:role/network-flow-logs");
  assert.deepEqual(
    JSON.parse(String(role.inputs.assumeRolePolicy)),
    JSON.parse(flowLogTrustPolicy("aws", "us-east-1", "123456789012")),
  );
  const policy = JSON.parse(
    String(byName(plain, "network-flow-logs", "aws:iam/rolePolicy:RolePolicy").inputs.policy),
  );
  assert.deepEqual(policy, JSON.parse(flowLogRolePolicy(String(flow.logDestination))));
});

test("flow-log role: writes only its group, trust limited to this account's flow logs", () => {
  const arn = "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/vpc/fd-prod-a1b2/flow-logs";
  const policy = JSON.parse(flowLogRolePolicy(arn));
  assert.deepEqual(policy.Statement[0].Resource, [arn, `${arn}:*`]);
  assert.deepEqual(policy.Statement[1].Resource, "arn:aws:logs:eu-west-1:123456789012:log-group:*");
  assert.ok(!JSON.stringify(policy).includes('"*"'), "no unscoped resource");
  const trust = JSON.parse(flowLogTrustPolicy("aws", "eu-west-1", "123456789012")).Statement[0];
  assert.deepEqual(trust.Principal, { Service: "vpc-flow-logs.amazonaws.com" });
  assert.deepEqual(trust.Condition, {
    StringEquals: { "aws:SourceAccount": "123456789012" },
    ArnLike: { "aws:SourceArn": "arn:aws:ec2:eu-west-1:123456789012:vpc-flow-log/*" },
  });
});

test("with customerManagedKey the secret, both Oracle volumes, Redshift and OpenSearch use the one rotated key", () => {
  const key = stackKey(keyed);
  assert.ok(key, "the stack key exists");
  assert.equal(key.inputs.enableKeyRotation, true);
  assert.equal(key.inputs.deletionWindowInDays, 30);
  assert.equal(key.protect, true, "protectData protects the key");
  const arn = String(keyed.outputs.kmsKeyArn);
  assert.match(arn, /^arn:aws:kms:us-east-1:123456789012:key\//);
  assert.equal(one(keyed, "aws:secretsmanager/secret:Secret").inputs.kmsKeyId, arn);
  assert.equal(one(keyed, "aws:ebs/volume:Volume").inputs.kmsKeyId, arn);
  const instance = one(keyed, "aws:ec2/instance:Instance").inputs;
  assert.equal((instance.rootBlockDevice as { kmsKeyId: string }).kmsKeyId, arn);
  assert.equal(one(keyed, "aws:redshift/cluster:Cluster").inputs.kmsKeyId, arn);
  assert.deepEqual(one(keyed, "aws:opensearch/domain:Domain").inputs.encryptAtRest, {
    enabled: true,
    kmsKeyId: arn,
  });
  for (const run of [plain]) {
    assert.equal(one(run, "aws:secretsmanager/secret:Secret").inputs.kmsKeyId, undefined);
    assert.equal(one(run, "aws:redshift/cluster:Cluster").inputs.kmsKeyId, undefined);
  }
});

test("the Oracle host may decrypt with the stack key only through Secrets Manager", () => {
  const policyOf = (run: StackRun) =>
    JSON.parse(String(byName(run, "oracle-host", "aws:iam/rolePolicy:RolePolicy").inputs.policy)) as {
      Statement: { Sid: string; Action: string; Resource: string; Condition?: unknown }[];
    };
  const decrypt = policyOf(keyed).Statement.filter((s) => s.Action === "kms:Decrypt");
  assert.deepEqual(decrypt, [
    {
      Sid: "DecryptOracleSecretThroughSecretsManager",
      Effect: "Allow",
      Action: "kms:Decrypt",
      Resource: keyed.outputs.kmsKeyArn,
      Condition: { StringEquals: { "kms:ViaService": "secretsmanager.us-east-1.amazonaws.com" } },
    },
  ]);
  assert.ok(!JSON.stringify(policyOf(plain)).includes("kms:"), "no KMS permission without the key");
});

test("key policy: the account administers but uses the key only through the stack's services; Logs only for the stack's groups", () => {
  const input = {
    partition: "aws",
    region: "eu-west-1",
    accountId: "123456789012",
    namePrefix: "fd-prod-a1b2",
  };
  const policy = JSON.parse(stackKeyPolicy(input)) as {
    Statement: {
      Sid: string;
      Principal: unknown;
      Action: string[];
      Condition?: Record<string, Record<string, unknown>>;
    }[];
  };
  const [admin, use, logs, alarms] = policy.Statement;
  assert.equal(policy.Statement.length, 4);
  for (const s of [admin!, use!]) assert.deepEqual(s.Principal, { AWS: "arn:aws:iam::123456789012:root" });
  assert.deepEqual(admin!.Action, KEY_ADMIN_ACTIONS);
  for (const crypto of [
    "kms:Decrypt",
    "kms:Encrypt",
    "kms:CreateGrant",
    "kms:*",
    "kms:Create*",
    "kms:GenerateDataKey*",
  ]) {
    assert.ok(!admin!.Action.includes(crypto), `administration grants no ${crypto}`);
  }
  assert.equal(admin!.Condition, undefined);
  assert.deepEqual(use!.Action, KEY_USE_ACTIONS);
  assert.deepEqual(use!.Condition, {
    StringEquals: {
      "kms:ViaService": [
        "secretsmanager.eu-west-1.amazonaws.com",
        "ec2.eu-west-1.amazonaws.com",
        "redshift.eu-west-1.amazonaws.com",
        "es.eu-west-1.amazonaws.com",
        "sns.eu-west-1.amazonaws.com",
      ],
    },
  });
  assert.deepEqual(logs!.Principal, { Service: "logs.eu-west-1.amazonaws.com" });
  assert.deepEqual(logs!.Condition, {
    ArnLike: { "kms:EncryptionContext:aws:logs:arn": stackLogGroupArnPatterns(input) },
  });
  // CloudWatch alarms of this account only, and only what publishing to an encrypted topic needs.
  assert.deepEqual(alarms!.Principal, { Service: "cloudwatch.amazonaws.com" });
  assert.deepEqual(alarms!.Action, ["kms:Decrypt", "kms:GenerateDataKey*"]);
  assert.deepEqual(alarms!.Condition, { StringEquals: { "aws:SourceAccount": "123456789012" } });
  assert.deepEqual(stackLogGroupArnPatterns(input), [
    "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/*/fd-prod-a1b2/*",
    "arn:aws:logs:eu-west-1:123456789012:log-group:/aws/lambda/fd-prod-a1b2-*",
  ]);
  const stackPolicy = JSON.parse(String(stackKey(keyed)!.inputs.policy));
  assert.deepEqual(stackPolicy.Statement[2].Condition.ArnLike["kms:EncryptionContext:aws:logs:arn"], [
    `arn:aws:logs:us-east-1:123456789012:log-group:/aws/*/${keyed.outputs.namePrefix}/*`,
    `arn:aws:logs:us-east-1:123456789012:log-group:/aws/lambda/${keyed.outputs.namePrefix}-*`,
  ]);
});

test("protectData also protects every log group from deletion", () => {
  for (const g of ofType(keyed, LOG_GROUP))
    assert.equal(g.inputs.deletionProtectionEnabled, true, String(g.inputs.name));
  for (const g of ofType(plain, LOG_GROUP))
    assert.equal(g.inputs.deletionProtectionEnabled, false, String(g.inputs.name));
});

test("EKS endpoint rules: dev may stay open, other stacks list CIDRs or go private", () => {
  assert.equal(checkEksEndpointAccess("dev", true, []), undefined);
  assert.equal(checkEksEndpointAccess("prod", true, ["203.0.113.7/32"]), undefined);
  assert.equal(checkEksEndpointAccess("prod", false, []), undefined);
  assert.equal(checkEksEndpointAccess("prod", true, [])?.key, "eksPublicAccessCidrs");
  assert.match(checkEksEndpointAccess("dev", false, ["203.0.113.7/32"])?.message ?? "", /must be empty/);
});

test("a private-only EKS endpoint is accepted on prod and sends no public CIDRs", async () => {
  const run = await runStackUnderTest("aws-resources", {
    overrides: { ...prodAwsResourcesOverrides(), eksEndpointPublicAccess: false, eksPublicAccessCidrs: [] },
    stack: "prod",
  });
  const vpc = one(run, "aws:eks/cluster:Cluster").inputs.vpcConfig as Record<string, unknown>;
  assert.deepEqual(
    [vpc.endpointPublicAccess, vpc.endpointPrivateAccess, vpc.publicAccessCidrs],
    [false, true, undefined],
  );
});

test("documentation-range placeholders are named per key; real addresses are not", () => {
  assert.deepEqual(
    documentationCidrs(["192.0.2.10/32", "10.0.0.0/16", "198.51.100.0/24", "2001:db8::/48", "2001:db9::/48"]),
    ["192.0.2.10/32", "198.51.100.0/24", "2001:db8::/48"],
  );
  assert.equal(placeholderWarning({ allowedCidrs: ["100.64.1.0/24"], webappAllowedCidrs: [] }), undefined);
  assert.match(
    placeholderWarning({ allowedCidrs: ["192.0.2.10/32"], eksPublicAccessCidrs: ["8.8.8.8/32"] }) ?? "",
    /^allowedCidrs \(192\.0\.2\.10\/32\): documentation ranges/,
  );
});

test("Pulumi.prod.yaml: HA sizes, protection, the stack key, long log retention and required CIDRs", async () => {
  const { config } = stackConfig(readProject("aws-resources"), "prod");
  const raw = Object.fromEntries(
    Object.entries(config).map(([k, v]) => [k.replace(/^aws-resources:/, ""), v]),
  );
  // As committed its placeholders stop it (tests/prod-profile.test.ts); completed, it loads.
  const prod = loadAwsResourcesConfig({ ...raw, ...prodAwsResourcesConfig() }, "prod");
  assert.equal(prod.protectData, true);
  assert.equal(prod.natGatewayPerAz, true);
  assert.equal(prod.customerManagedKey, true);
  assert.ok(prod.logRetentionDays >= 365);
  assert.ok(prod.redshiftNodeCount >= 2, "multi-node Redshift");
  assert.equal(zoneLayout(prod.opensearchInstanceCount).availabilityZoneCount, 3, "OpenSearch over 3 zones");
  assert.notEqual(prod.oracleInstanceType, "t3.large", "a larger Oracle host than dev");
  assert.ok(prod.eksPublicAccessCidrs.length > 0 && prod.allowedCidrs.length > 0);
  // Without its CIDRs, the prod file is refused before anything is created.
  await assertConfigRefused(
    runStackUnderTest("aws-resources", {
      overrides: { ...prodAwsResourcesOverrides(), eksPublicAccessCidrs: [] },
      stack: "prod",
    }),
    "aws-resources",
    "eksPublicAccessCidrs",
    /is required on stack "prod"/,
  );
});

test("key policy: the processing stack's alert topic (SNS) and function log group may use the deployment's key", () => {
  const input = {
    partition: "aws",
    region: "eu-west-1",
    accountId: "123456789012",
    namePrefix: "fd-prod-a1b2",
  };
  const [, use, logs] = (
    JSON.parse(stackKeyPolicy(input)) as {
      Statement: { Condition: Record<string, Record<string, string[]>> }[];
    }
  ).Statement;
  assert.ok(use!.Condition.StringEquals!["kms:ViaService"]!.includes("sns.eu-west-1.amazonaws.com"));
  const patterns = logs!.Condition.ArnLike!["kms:EncryptionContext:aws:logs:arn"]!;
  const matches = (arn: string) =>
    patterns.some((p) =>
      new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`).test(arn),
    );
  const group = (name: string) => `arn:aws:logs:eu-west-1:123456789012:log-group:${name}`;
  assert.ok(matches(group("/aws/lambda/fd-prod-a1b2-alert-notifier")), "the alert function's group");
  assert.ok(matches(group("/aws/vpc/fd-prod-a1b2/flow-logs")), "the stack's own groups");
  assert.ok(!matches(group("/aws/lambda/fd-prod-other-fn")), "no other deployment's groups");
});
