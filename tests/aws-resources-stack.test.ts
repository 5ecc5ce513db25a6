import assert from "node:assert/strict";
import { before, test } from "node:test";
import { secretNames } from "../lib/stack-outputs";
import { awsResourcesContract } from "../lib/contracts";
import { standardTags } from "../lib/naming";
import { computedOutputs } from "../tools/offline/fixtures";
import type { RecordedResource } from "../tools/offline/mocks";
import type { StackRun } from "../tools/offline/run-stack";
import { unwrapSecrets } from "../tools/offline/secrets";
import { gunzipUserData } from "./helpers/oracle-user-data";
import { ofType, one } from "./helpers/resources";
import { runStackUnderTest, sharedStackRun } from "./helpers/stack-under-test";

const ALLOWED = "203.0.113.0/24";
const INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule";
let open: StackRun; // allowedCidrs: [ALLOWED]
let closed: StackRun; // Pulumi.dev.yaml as is: allowedCidrs []

before(async () => {
  open = await runStackUnderTest("aws-resources", { overrides: { allowedCidrs: [ALLOWED] } });
  closed = await sharedStackRun("aws-resources");
});

/** The generated passwords by logical name, recomputed with the same deterministic fixture the mocks used. */
function generatedPasswords(run: StackRun): Map<string, string> {
  const ctx = { region: "us-east-1", account: "123456789012" };
  return new Map(
    ofType(run, "random:index/randomPassword:RandomPassword").map((r) => {
      const out = computedOutputs[r.type]!({ type: r.type, name: r.name, inputs: r.inputs, ...ctx });
      return [r.name, String(unwrapSecrets(out.result).value)];
    }),
  );
}

/** Every string leaf of a value with its dotted path. */
function leaves(v: unknown, path = ""): [string, string][] {
  if (typeof v === "string") return [[path, v]];
  if (Array.isArray(v)) return v.flatMap((x, i) => leaves(x, `${path}[${i}]`));
  if (typeof v === "object" && v !== null) {
    return Object.entries(v).flatMap(([k, x]) => leaves(x, path ? `${path}.${k}` : k));
  }
  return [];
}

const cidrRules = (run: StackRun) =>
  ofType(run, INGRESS_RULE).filter((r) => r.inputs.cidrIpv4 !== undefined || r.inputs.cidrIpv6 !== undefined);

test("ingress: 1521 and 5439 open exactly to allowedCidrs, one rule per port and CIDR", () => {
  assert.deepEqual(
    cidrRules(open)
      .map((r) => [r.inputs.ipProtocol, r.inputs.fromPort, r.inputs.toPort, r.inputs.cidrIpv4])
      .sort(),
    [
      ["tcp", 1521, 1521, ALLOWED],
      ["tcp", 5439, 5439, ALLOWED],
    ],
  );
  assert.deepEqual(cidrRules(closed), [], "no allowed CIDRs: no CIDR ingress at all");
});

test("ingress: the only non-CIDR rule lets the EKS nodes reach Oracle over the VPC", () => {
  for (const run of [open, closed]) {
    const bySg = ofType(run, INGRESS_RULE).filter((r) => r.inputs.referencedSecurityGroupId !== undefined);
    assert.deepEqual(
      bySg.map((r) => [r.name, r.inputs.ipProtocol, r.inputs.fromPort, r.inputs.toPort]),
      [["oracle-listener-from-eks", "tcp", 1521, 1521]],
    );
    assert.match(String(bySg[0]!.inputs.referencedSecurityGroupId), /^sg-[0-9a-f]+$/);
    const eks = one(run, "aws:eks/cluster:Cluster");
    assert.ok(bySg[0]!.dependencyUrns.includes(eks.urn), "source is the cluster security group");
    const oracleSg = run.resources.find(
      (r) => r.name === "oracle-host" && r.type === "aws:ec2/securityGroup:SecurityGroup",
    )!;
    assert.ok(bySg[0]!.dependencyUrns.includes(oracleSg.urn));
  }
});

test("OpenSearch (443) accepts only allowedCidrs and the NAT gateways' addresses through its access policy", () => {
  const policyOf = (run: StackRun) =>
    JSON.parse(String(one(run, "aws:opensearch/domain:Domain").inputs.accessPolicies)) as {
      Statement: { Effect: string; Condition?: { IpAddress: { "aws:SourceIp": string[] } } }[];
    };
  const nat = closed.outputs.natPublicIps as string[];
  assert.ok(nat.length >= 1 && nat.every((c) => /^\d+\.\d+\.\d+\.\d+\/32$/.test(c)), String(nat));
  const eips = closed.resources.filter((r) => r.type === "aws:ec2/eip:Eip" && r.name.includes("-nat-"));
  assert.equal(nat.length, eips.length, "one address per NAT gateway");
  assert.deepEqual(
    policyOf(open).Statement.map((s) => [s.Effect, s.Condition?.IpAddress["aws:SourceIp"]]),
    [["Allow", [...nat, ALLOWED].sort()]],
  );
  assert.deepEqual(
    policyOf(closed).Statement.map((s) => [s.Effect, s.Condition?.IpAddress["aws:SourceIp"]]),
    [["Allow", nat]],
  );
});

test("nothing is open to the world, nothing listens on 22, no group has inline rules", () => {
  for (const run of [open, closed]) {
    for (const r of run.resources) {
      if (r.type === INGRESS_RULE) {
        assert.notEqual(r.inputs.cidrIpv4, "0.0.0.0/0", r.name);
        assert.notEqual(r.inputs.cidrIpv6, "::/0", r.name);
        const from = Number(r.inputs.fromPort);
        const to = Number(r.inputs.toPort);
        assert.ok(
          r.inputs.ipProtocol === "tcp" && !(from <= 22 && 22 <= to),
          `${r.name} opens ${from}-${to}`,
        );
      }
      if (r.type === "aws:ec2/securityGroup:SecurityGroup") {
        assert.equal(r.inputs.ingress, undefined, `${r.name} has inline ingress`);
        assert.equal(r.inputs.egress, undefined, `${r.name} has inline egress`);
      }
      assert.notEqual(r.type, "aws:ec2/securityGroupRule:SecurityGroupRule", "rule resources are aws.vpc.*");
    }
  }
});

test("IMDSv2 on every instance; every volume and data store encrypted", () => {
  for (const i of ofType(open, "aws:ec2/instance:Instance")) {
    assert.equal((i.inputs.metadataOptions as { httpTokens: string }).httpTokens, "required");
    assert.equal((i.inputs.rootBlockDevice as { encrypted: boolean }).encrypted, true);
  }
  for (const v of ofType(open, "aws:ebs/volume:Volume")) assert.equal(v.inputs.encrypted, true, v.name);
  assert.equal(one(open, "aws:redshift/cluster:Cluster").inputs.encrypted, "true");
  const domain = one(open, "aws:opensearch/domain:Domain").inputs;
  assert.deepEqual(
    [domain.encryptAtRest, domain.nodeToNodeEncryption],
    [{ enabled: true }, { enabled: true }],
  );
  const eks = one(open, "aws:eks/cluster:Cluster").inputs.encryptionConfig as { resources: string[] };
  assert.deepEqual(eks.resources, ["secrets"]);
});

test("generated passwords never leave secret inputs: not in user data, tags or any plain output", () => {
  const passwords = [...generatedPasswords(open).values()];
  assert.equal(passwords.length, 7, "4 Oracle users, Oracle bootstrap, Redshift admin, OpenSearch master");
  const gzipped = String(one(open, "aws:ec2/instance:Instance").inputs.userDataBase64);
  const userData = gunzipUserData(gzipped);
  assert.match(userData, /^#!\/bin\/bash\n/);
  for (const pw of passwords) {
    assert.ok(!userData.includes(pw), "password in user data");
    for (const r of open.resources) {
      for (const [path, value] of leaves(r.inputs)) {
        if (!value.includes(pw)) continue;
        assert.ok(!/(^|\.)tags(All)?(\.|$)|defaultTags/.test(path), `${r.name}.${path}: password in tags`);
        const secretPath = r.secretInputPaths.some(
          (p) => path === p || path.startsWith(`${p}.`) || path.startsWith(`${p}[`),
        );
        const ownResult = r.type === "random:index/randomPassword:RandomPassword";
        assert.ok(
          secretPath || ownResult,
          `${r.type} ${r.name}.${path} holds a password outside a secret input`,
        );
      }
    }
    for (const [name, value] of Object.entries(open.outputs)) {
      if (open.secretOutputNames.includes(name)) continue;
      assert.ok(!JSON.stringify(value).includes(pw), `plain output ${name} holds a password`);
    }
  }
});

test("exactly the contract's secret fields are secret outputs", () => {
  assert.deepEqual([...open.secretOutputNames].sort(), secretNames(awsResourcesContract).sort());
});

test("the outputs satisfy the contract field by field", () => {
  assert.deepEqual(Object.keys(open.outputs).sort(), Object.keys(awsResourcesContract).sort());
  for (const [key, field] of Object.entries(awsResourcesContract)) {
    const parsed = field.schema.safeParse(open.outputs[key]);
    assert.ok(parsed.success, `${key}: ${JSON.stringify(open.outputs[key])}`);
  }
  const o = open.outputs;
  assert.deepEqual(
    [
      o.oraclePort,
      o.oracleServiceName,
      o.oraclePdbName,
      o.oracleSchema,
      o.oracleOutboundServer,
      o.oracleXstreamUser,
    ],
    [1521, "XE", "XEPDB1", "SAMPLE", "XOUT", "c##cfltuser"],
  );
  assert.match(String(o.namePrefix), /^fd-dev-[0-9a-f]{4}$/);
  for (const key of ["eksClusterName", "redshiftClusterIdentifier", "opensearchDomainName"] as const) {
    assert.equal(o[key], o.namePrefix, key);
  }
  assert.equal(o.oracleReadyParameter, `/${String(o.namePrefix)}/oracle/ready`);
  assert.deepEqual(o.allowedCidrs, [ALLOWED]);
  assert.equal(o.awsRegion, "us-east-1");
});

test("the web app reaches Oracle's private address with the sample user's password from a Secret", () => {
  const secret = one(open, "kubernetes:core/v1:Secret");
  const data = secret.inputs.stringData as Record<string, string>;
  assert.equal(data.DB_USER, "sample");
  const samplePassword = generatedPasswords(open).get("oracle-sample");
  assert.ok(samplePassword);
  assert.equal(data.DB_PASSWORD, samplePassword);
  const deployment = JSON.stringify(one(open, "kubernetes:apps/v1:Deployment").inputs);
  assert.ok(deployment.includes('"10.0.0.10"'), "DB_HOST is the host's private IP");
  assert.ok(!deployment.includes(String(samplePassword)));
});

test("the deploy Jobs get a namespace of their own, next to the web app's, exported as jobsNamespace", () => {
  const namespaces = ofType(open, "kubernetes:core/v1:Namespace").map(
    (n) => (n.inputs.metadata as { name: string }).name,
  );
  assert.deepEqual(namespaces.sort(), ["fraud-deploy-jobs", "frauddemo"]);
  assert.equal(open.outputs.jobsNamespace, "fraud-deploy-jobs");
  assert.equal(open.outputs.webappNamespace, "frauddemo");
});

test("both namespaces enforce Pod Security restricted; the Jobs' admits nothing in and reaches only DNS, 443 and the web app", () => {
  for (const ns of ofType(open, "kubernetes:core/v1:Namespace")) {
    const labels = (ns.inputs.metadata as { labels: Record<string, string> }).labels;
    assert.equal(labels["pod-security.kubernetes.io/enforce"], "restricted", ns.name);
  }
  const policies = ofType(open, "kubernetes:networking.k8s.io/v1:NetworkPolicy");
  const jobs = policies.find(
    (p) => (p.inputs.metadata as { namespace: string }).namespace === "fraud-deploy-jobs",
  );
  const spec = jobs?.inputs.spec as {
    podSelector: unknown;
    policyTypes: string[];
    ingress?: unknown[];
    egress: unknown[];
  };
  assert.deepEqual(spec.podSelector, {}, "every pod of the namespace");
  assert.deepEqual(spec.policyTypes, ["Ingress", "Egress"]);
  assert.equal(spec.ingress, undefined, "no ingress rule: nothing comes in");
  assert.deepEqual(spec.egress, [
    {
      ports: [
        { protocol: "UDP", port: 53 },
        { protocol: "TCP", port: 53 },
      ],
    },
    { ports: [{ protocol: "TCP", port: 443 }] },
    {
      to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "frauddemo" } } }],
      ports: [{ protocol: "TCP", port: 8000 }],
    },
  ]);
  // The web app admits the load balancer from the public subnets, where it runs.
  const webapp = policies.find((p) => (p.inputs.metadata as { namespace: string }).namespace === "frauddemo");
  const from = (webapp?.inputs.spec as { ingress: { from: { ipBlock?: { cidr: string } }[] }[] }).ingress[0]
    ?.from;
  assert.deepEqual(
    from?.flatMap((f) => (f.ipBlock ? [f.ipBlock.cidr] : [])),
    ["10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/20"],
  );
});

test("network policies are enforced: the cluster's VPC CNI runs its network policy controller", () => {
  const cm = one(open, "kubernetes:core/v1:ConfigMap");
  assert.deepEqual(cm.inputs.metadata, { name: "amazon-vpc-cni", namespace: "kube-system" });
  assert.deepEqual(cm.inputs.data, { "enable-network-policy-controller": "true" });
});

test("the web app's pods wait for the Oracle ready gate of this host", () => {
  const gate = one(open, "pulumi-nodejs:dynamic/readiness:SsmParameterGate");
  assert.equal(gate.name, "oracle-ready-gate");
  assert.equal(gate.inputs.instanceId, open.outputs.oracleInstanceId);
  assert.equal(gate.inputs.parameterName, open.outputs.oracleReadyParameter);
  const deployment = one(open, "kubernetes:apps/v1:Deployment");
  assert.ok(deployment.dependencyUrns.includes(gate.urn), "the Deployment dependsOn the gate");
});

/** Data stores whose protect/retainOnDelete follow `protectData`. */
const DATA_STORES = [
  "aws:redshift/cluster:Cluster",
  "aws:opensearch/domain:Domain",
  "aws:ebs/volume:Volume",
  "aws:secretsmanager/secret:Secret",
  "aws:secretsmanager/secretVersion:SecretVersion",
];

test("protect and retainOnDelete on the data stores follow protectData", async () => {
  const prod = await runStackUnderTest("aws-resources", { overrides: { protectData: true } });
  for (const [run, on] of [
    [prod, true],
    [closed, false],
  ] as const) {
    for (const type of DATA_STORES) {
      const r = one(run, type);
      assert.deepEqual([r.protect, r.retainOnDelete], [on, on], `${type} with protectData=${on}`);
    }
    const protectedOthers = run.resources.filter((r) => r.protect && !DATA_STORES.includes(r.type));
    const expected = on ? ofType(run, "random:index/randomPassword:RandomPassword") : [];
    assert.deepEqual(protectedOthers.map((r) => r.name).sort(), expected.map((r) => r.name).sort());
    const secret = one(run, "aws:secretsmanager/secret:Secret");
    assert.equal(secret.inputs.recoveryWindowInDays, on ? 7 : 0);
    assert.equal(one(run, "aws:ebs/volume:Volume").inputs.finalSnapshot, on);
  }
});

test("every AWS resource uses the stack's provider, whose default tags are the standard set", () => {
  const provider = one(open, "pulumi:providers:aws");
  const inputs = provider.inputs as { region: string; defaultTags: string };
  assert.equal(inputs.region, "us-east-1");
  const expected = standardTags({
    project: "aws-resources",
    stack: "dev",
    owner: "data-platform",
    costCenter: "fraud-detection",
  });
  assert.deepEqual(JSON.parse(inputs.defaultTags), { tags: expected });
  const awsResources = open.resources.filter((r: RecordedResource) => r.custom && r.type.startsWith("aws:"));
  assert.ok(awsResources.length > 50);
  for (const r of awsResources) {
    assert.ok(
      r.providerRef.startsWith(`${provider.urn}::`),
      `${r.type} ${r.name} uses ${r.providerRef || "the default provider"}`,
    );
    const tags = (r.inputs.tags ?? {}) as Record<string, unknown>;
    for (const key of Object.keys(expected)) assert.ok(!(key in tags), `${r.name} overrides the ${key} tag`);
  }
  for (const invoke of open.invokes.filter((i) => i.token.startsWith("aws:"))) {
    assert.notEqual(invoke.token, "aws:ec2/getAmi:getAmi", "no floating AMI lookup");
  }
});
