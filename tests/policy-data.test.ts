import assert from "node:assert/strict";
import { test } from "node:test";
import {
  OPENSEARCH_DOMAIN,
  OPENSEARCH_DOMAIN_POLICY,
  accessPolicyProblems,
  opensearchAccessPolicyRestricted,
  opensearchAuditLogs,
  opensearchEncryptionAtRest,
  opensearchFineGrainedAccessControl,
  opensearchHttpsTls12,
  opensearchNodeToNodeEncryption,
} from "../policy/rules/aws-opensearch";
import {
  REDSHIFT_CLUSTER,
  REDSHIFT_LOGGING,
  REDSHIFT_PARAMETER_GROUP,
  redshiftAuditLogging,
  redshiftClusterSslParameterGroup,
  redshiftEncrypted,
  redshiftPublicAccessRestricted,
  redshiftRequireSsl,
} from "../policy/rules/aws-redshift";
import { INGRESS_RULE, SECURITY_GROUP } from "../policy/rules/aws-network";
import { stackViolations, violations } from "./helpers/policy";

const redshift = (props: Record<string, unknown>) => ({ type: REDSHIFT_CLUSTER, name: "warehouse", props });
const domain = (props: Record<string, unknown>) => ({ type: OPENSEARCH_DOMAIN, name: "search", props });

test('redshift encrypted: the v7 string "true" and a boolean pass; false or unset fail', () => {
  assert.deepEqual(violations(redshiftEncrypted, redshift({ encrypted: "true" })), []);
  assert.deepEqual(violations(redshiftEncrypted, redshift({ encrypted: true })), []);
  assert.deepEqual(violations(redshiftEncrypted, redshift({ encrypted: "false" })), [
    'warehouse: encrypted is not "true"',
  ]);
  assert.equal(violations(redshiftEncrypted, redshift({})).length, 1);
});

test("redshift public access (stack): its own security groups, in the stack, with no world-open port", () => {
  const sg = (ingress: unknown[] = []) => ({
    type: SECURITY_GROUP,
    name: "warehouse-sg",
    urn: "urn:sg",
    props: { vpcId: "vpc-1", ingress },
  });
  const rule = (cidrIpv4: string, fromPort = 5439) => ({
    type: INGRESS_RULE,
    name: "warehouse-sg-rule",
    props: { securityGroupId: "sg-1", ipProtocol: "tcp", fromPort, toPort: fromPort, cidrIpv4 },
    dependencyUrns: ["urn:sg"],
  });
  const cluster = (props: Record<string, unknown>, groupUrns = ["urn:sg"]) => ({
    ...redshift({ publiclyAccessible: true, vpcSecurityGroupIds: ["sg-1"], ...props }),
    urn: "urn:c",
    propertyDependencyUrns: { vpcSecurityGroupIds: groupUrns },
  });
  const check = (fixtures: Parameters<typeof stackViolations>[1]) =>
    stackViolations(redshiftPublicAccessRestricted, fixtures).map((v) => v.message);

  // Admin and Confluent egress CIDRs only: passes whatever the subnet group is called.
  assert.deepEqual(check([sg(), rule("203.0.113.0/24"), cluster({ clusterSubnetGroupName: "data" })]), []);
  assert.deepEqual(check([cluster({ publiclyAccessible: false, vpcSecurityGroupIds: [] }, [])]), []);
  // World-open 443 does not expose the cluster's port.
  assert.deepEqual(check([sg(), rule("0.0.0.0/0", 443), cluster({})]), []);

  assert.deepEqual(check([sg(), rule("0.0.0.0/0"), cluster({ clusterSubnetGroupName: "public" })]), [
    "warehouse: publicly accessible, and security group warehouse-sg admits port 5439 from 0.0.0.0/0",
  ]);
  const inline = sg([{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/1"] }]);
  assert.deepEqual(check([inline, cluster({ port: 5500 })]), [
    "warehouse: publicly accessible, and security group warehouse-sg admits port 5500 from 0.0.0.0/1",
  ]);
  assert.deepEqual(check([cluster({ vpcSecurityGroupIds: [] }, [])]), [
    "warehouse: publicly accessible, but names no vpcSecurityGroupIds (the VPC's default group would apply)",
  ]);
  assert.deepEqual(check([sg(), cluster({ vpcSecurityGroupIds: ["sg-1", "sg-0123456789abcdef0"] })]), [
    "warehouse: publicly accessible, but not all of its security groups are managed in this stack, so " +
      "their rules are unseen",
  ]);
});

test("redshift SSL: parameter groups require_ssl=true and clusters avoid the default group", () => {
  const group = (value: string) => ({
    type: REDSHIFT_PARAMETER_GROUP,
    name: "params",
    props: { family: "redshift-2.0", parameters: [{ name: "require_ssl", value }] },
  });
  assert.deepEqual(violations(redshiftRequireSsl, group("true")), []);
  assert.deepEqual(violations(redshiftRequireSsl, group("false")), [
    'params: parameter require_ssl is not "true"',
  ]);
  assert.deepEqual(
    violations(redshiftRequireSsl, redshift({ clusterParameterGroupName: "params-1a2b" })),
    [],
  );
  const expected = ["warehouse: uses the default parameter group, which does not require SSL"];
  assert.deepEqual(violations(redshiftRequireSsl, redshift({})), expected);
  assert.deepEqual(
    violations(redshiftRequireSsl, redshift({ clusterParameterGroupName: "default.redshift-2.0" })),
    expected,
  );
});

test("redshift SSL (stack): the cluster's group must be in the stack and require SSL", () => {
  const group = (value: string) => ({
    type: REDSHIFT_PARAMETER_GROUP,
    name: "params",
    urn: "urn:pg",
    props: { name: "params-1a2b", parameters: [{ name: "require_ssl", value }] },
  });
  const byDependency = {
    ...redshift({}),
    urn: "urn:c",
    propertyDependencyUrns: { clusterParameterGroupName: ["urn:pg"] },
  };
  const byName = { ...redshift({ clusterParameterGroupName: "params-1a2b" }), urn: "urn:c" };
  assert.deepEqual(stackViolations(redshiftClusterSslParameterGroup, [group("true"), byDependency]), []);
  assert.deepEqual(stackViolations(redshiftClusterSslParameterGroup, [group("true"), byName]), []);
  assert.deepEqual(stackViolations(redshiftClusterSslParameterGroup, [group("false"), byName]), [
    {
      policy: "redshift-cluster-ssl-parameter-group",
      enforcementLevel: "mandatory",
      message: "warehouse: its parameter group does not set require_ssl = true",
      urn: "urn:c",
    },
  ]);
  const [unmanaged] = stackViolations(redshiftClusterSslParameterGroup, [byName]);
  assert.equal(unmanaged?.message, "warehouse: its parameter group is not managed in this stack");
});

test("redshift audit logging (advisory, stack): a Logging resource for the cluster", () => {
  const cluster = { ...redshift({ clusterIdentifier: "fd-dev-a1b2" }), urn: "urn:c" };
  const logging = (props: Record<string, unknown>, dependencyUrns: string[] = []) => ({
    type: REDSHIFT_LOGGING,
    name: "audit",
    props,
    dependencyUrns,
  });
  assert.deepEqual(stackViolations(redshiftAuditLogging, [cluster, logging({}, ["urn:c"])]), []);
  assert.deepEqual(
    stackViolations(redshiftAuditLogging, [cluster, logging({ clusterIdentifier: "fd-dev-a1b2" })]),
    [],
  );
  const [finding] = stackViolations(redshiftAuditLogging, [cluster, logging({ clusterIdentifier: "other" })]);
  assert.equal(finding?.enforcementLevel, "advisory");
  assert.equal(finding?.message, "warehouse: no audit logging configured");
});

test("opensearch encryption at rest and node to node", () => {
  const on = { encryptAtRest: { enabled: true }, nodeToNodeEncryption: { enabled: true } };
  assert.deepEqual(violations(opensearchEncryptionAtRest, domain(on)), []);
  assert.deepEqual(violations(opensearchNodeToNodeEncryption, domain(on)), []);
  assert.deepEqual(violations(opensearchEncryptionAtRest, domain({ encryptAtRest: { enabled: false } })), [
    "search: encryptAtRest.enabled is not true",
  ]);
  assert.deepEqual(violations(opensearchNodeToNodeEncryption, domain({})), [
    "search: nodeToNodeEncryption.enabled is not true",
  ]);
});

test("opensearch HTTPS with a TLS 1.2+ policy", () => {
  const endpoint = (o: Record<string, unknown>) => domain({ domainEndpointOptions: o });
  assert.deepEqual(
    violations(
      opensearchHttpsTls12,
      endpoint({ enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-PFS-2023-10" }),
    ),
    [],
  );
  assert.deepEqual(
    violations(
      opensearchHttpsTls12,
      endpoint({ enforceHttps: false, tlsSecurityPolicy: "Policy-Min-TLS-1-0-2019-07" }),
    ),
    [
      "search: domainEndpointOptions.enforceHttps is not true",
      "search: tlsSecurityPolicy must be one of Policy-Min-TLS-1-2-2019-07, Policy-Min-TLS-1-2-PFS-2023-10",
    ],
  );
});

test("opensearch fine-grained access control on, anonymous access off", () => {
  assert.deepEqual(
    violations(opensearchFineGrainedAccessControl, domain({ advancedSecurityOptions: { enabled: true } })),
    [],
  );
  assert.deepEqual(violations(opensearchFineGrainedAccessControl, domain({})), [
    "search: advancedSecurityOptions.enabled is not true",
  ]);
  const anonymous = domain({ advancedSecurityOptions: { enabled: true, anonymousAuthEnabled: true } });
  assert.deepEqual(violations(opensearchFineGrainedAccessControl, anonymous), [
    "search: anonymous access is enabled",
  ]);
});

const policy = (statement: Record<string, unknown>) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Sid: "s", Effect: "Allow", Action: "es:ESHttp*", ...statement }],
  });

test("opensearch access policy: Principal * needs a source-IP condition with narrow CIDRs", () => {
  const ipBound = policy({
    Principal: { AWS: "*" },
    Condition: { IpAddress: { "aws:SourceIp": ["203.0.113.0/24"] } },
  });
  assert.deepEqual(violations(opensearchAccessPolicyRestricted, domain({ accessPolicies: ipBound })), []);
  const standalone = {
    type: OPENSEARCH_DOMAIN_POLICY,
    name: "policy",
    props: { domainName: "d", accessPolicies: ipBound },
  };
  assert.deepEqual(violations(opensearchAccessPolicyRestricted, standalone), []);
  const deny = JSON.stringify({ Statement: [{ Effect: "Deny", Principal: { AWS: "*" }, Action: "es:*" }] });
  assert.deepEqual(accessPolicyProblems(deny), []);
  const iamOnly = policy({ Principal: { AWS: "arn:aws:iam::123456789012:role/app" } });
  assert.deepEqual(accessPolicyProblems(iamOnly), []);

  assert.deepEqual(
    violations(opensearchAccessPolicyRestricted, domain({ accessPolicies: policy({ Principal: "*" }) })),
    ["search: statement 's' allows Principal * without an aws:SourceIp condition"],
  );
  const world = policy({
    Principal: { AWS: ["*"] },
    Condition: { IpAddress: { "aws:SourceIp": "0.0.0.0/0" } },
  });
  assert.deepEqual(accessPolicyProblems(world), ["statement 's' allows Principal * from 0.0.0.0/0"]);
  assert.deepEqual(accessPolicyProblems("not json"), ["the access policy is not a JSON policy document"]);
});

test("opensearch audit logs: AUDIT_LOGS published to CloudWatch, with fine-grained access control", () => {
  const LOG_GROUP = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/opensearch/fd-dev/audit";
  const audited = (entry: Record<string, unknown>, fgac = true) =>
    domain({
      advancedSecurityOptions: { enabled: fgac },
      logPublishingOptions: [
        { logType: "ES_APPLICATION_LOGS", cloudwatchLogGroupArn: LOG_GROUP },
        { logType: "AUDIT_LOGS", cloudwatchLogGroupArn: LOG_GROUP, ...entry },
      ],
    });
  assert.deepEqual(violations(opensearchAuditLogs, audited({})), []);
  assert.deepEqual(violations(opensearchAuditLogs, audited({ enabled: true })), []);
  const missing = ["search: audit logs (AUDIT_LOGS) are not published to a CloudWatch log group"];
  assert.deepEqual(violations(opensearchAuditLogs, audited({ enabled: false })), missing);
  assert.deepEqual(violations(opensearchAuditLogs, audited({ cloudwatchLogGroupArn: undefined })), missing);
  assert.deepEqual(
    violations(opensearchAuditLogs, domain({ advancedSecurityOptions: { enabled: true } })),
    missing,
  );
  assert.deepEqual(violations(opensearchAuditLogs, audited({}, false)), [
    "search: audit logs need fine-grained access control (advancedSecurityOptions)",
  ]);
});

test("redshift public access (stack): only the groups vpcSecurityGroupIds names count, not any group the cluster depends on", () => {
  const local = { type: SECURITY_GROUP, name: "other-sg", urn: "urn:sg", props: { vpcId: "vpc-1" } };
  // Names a group of another stack while it merely depends on a group of this one (dependsOn).
  const fooling = {
    ...redshift({ publiclyAccessible: true, vpcSecurityGroupIds: ["sg-0123456789abcdef0"] }),
    urn: "urn:c",
    dependencyUrns: ["urn:sg"],
  };
  assert.deepEqual(
    stackViolations(redshiftPublicAccessRestricted, [local, fooling]).map((v) => v.message),
    [
      "warehouse: publicly accessible, but not all of its security groups are managed in this stack, so " +
        "their rules are unseen",
    ],
  );
  const named = { ...fooling, propertyDependencyUrns: { vpcSecurityGroupIds: ["urn:sg"] } };
  assert.deepEqual(stackViolations(redshiftPublicAccessRestricted, [local, named]), []);
});

test("redshift SSL (stack): the group the cluster names must require SSL, not any compliant group it depends on", () => {
  const compliant = {
    type: REDSHIFT_PARAMETER_GROUP,
    name: "params",
    urn: "urn:pg",
    props: { name: "params-1a2b", parameters: [{ name: "require_ssl", value: "true" }] },
  };
  const fooling = {
    ...redshift({ clusterParameterGroupName: "plaintext-allowed" }),
    urn: "urn:c",
    dependencyUrns: ["urn:pg"],
  };
  assert.deepEqual(
    stackViolations(redshiftClusterSslParameterGroup, [compliant, fooling]).map((v) => v.message),
    ["warehouse: its parameter group is not managed in this stack"],
  );
  const flowed = {
    ...redshift({}),
    urn: "urn:c",
    propertyDependencyUrns: { clusterParameterGroupName: ["urn:pg"] },
  };
  assert.deepEqual(stackViolations(redshiftClusterSslParameterGroup, [compliant, flowed]), []);
});

test("opensearch access policy: IpAddressIfExists admits requests that carry no source IP, so it fails", () => {
  const ifExists = JSON.stringify({
    Statement: [
      {
        Sid: "s",
        Effect: "Allow",
        Principal: { AWS: "*" },
        Action: "es:ESHttp*",
        Condition: { IpAddressIfExists: { "aws:SourceIp": ["203.0.113.0/24"] } },
      },
    ],
  });
  assert.deepEqual(accessPolicyProblems(ifExists), [
    "statement 's' limits Principal * with IpAddressIfExists, which also allows requests without a source IP; use IpAddress",
  ]);
});
