import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { cidrIngressRules } from "../../lib/cidr-rules";
import {
  domainAccessPolicy,
  domainSubnetCount,
  OPENSEARCH_PASSWORD_RULES,
  opensearchSourceCidrs,
  vpcDomainAccessPolicy,
  zoneLayout,
} from "../../lib/opensearch-policy";
import type { LogSettings } from "./logs";
import { opensearchLogsResourcePolicy, stackLogGroup } from "./logs";

export interface OpenSearchDomainArgs {
  /** Domain name: 3–28 lowercase letters, digits, hyphens, starting with a letter. */
  domainName: pulumi.Input<string>;
  /** Engine version, e.g. "OpenSearch_2.19". */
  engineVersion: pulumi.Input<string>;
  /** Data node type, e.g. "t3.small.search". */
  instanceType: pulumi.Input<string>;
  /** Data nodes: 1, an even number, or a multiple of 3 (see `zoneLayout`). */
  instanceCount: number;
  /** gp3 EBS volume per node, in GiB. */
  volumeGiB: number;
  /** Fine-grained-access-control master user name. */
  masterUser: string;
  /** Admin CIDRs allowed by the access policy. */
  allowedCidrs: string[];
  /**
   * The NAT gateways' /32s, admitted from the start: the in-cluster deploy Jobs reach the domain
   * through them (the processing stack keeps them when it takes the policy over).
   */
  natPublicIps: pulumi.Input<string[]>;
  /** Protect the domain (and its password) from deletion and keep it when removed from the stack. */
  protect: boolean;
  /** Retention, key and protection of the domain's log groups. */
  logs: LogSettings;
  /** Customer-managed key for encryption at rest; undefined uses the AWS-managed `aws/es` key. */
  kmsKeyArn?: pulumi.Input<string>;
  /**
   * Put the domain in the VPC (private mode): its endpoint then has private addresses only, in the first
   * subnets (one per zone it spans), behind a security group that admits `clientCidrs` on 443.
   */
  vpc?: {
    readonly vpcId: pulumi.Input<string>;
    readonly subnetIds: readonly pulumi.Input<string>[];
    readonly clientCidrs: readonly string[];
  };
}

/**
 * What the domain publishes to CloudWatch Logs, by log type: who did what (audit, needs FGAC),
 * errors and warnings (application), and slow requests (free until a slow-log threshold is set
 * on an index).
 */
const OPENSEARCH_LOGS = {
  AUDIT_LOGS: "audit",
  ES_APPLICATION_LOGS: "application",
  INDEX_SLOW_LOGS: "index-slow",
  SEARCH_SLOW_LOGS: "search-slow",
} as const;

/** Strongest endpoint TLS policy: TLS 1.2–1.3 with forward-secret ciphers only. */
const OPENSEARCH_TLS_POLICY = "Policy-Min-TLS-1-2-PFS-2023-10";

/**
 * An OpenSearch domain: encrypted at rest and node to node, HTTPS-only with TLS 1.2+, fine-grained
 * access control with an internal master user; public with an access policy limited to source IPs, or
 * in the VPC behind a security group.
 */
export class OpenSearchDomain extends pulumi.ComponentResource {
  readonly domainName: pulumi.Output<string>;
  readonly arn: pulumi.Output<string>;
  /** HTTPS endpoint host name, without scheme. */
  readonly endpoint: pulumi.Output<string>;
  readonly dashboardsUrl: pulumi.Output<string>;
  readonly masterUser: pulumi.Output<string>;
  /** FGAC master password; a Pulumi secret. */
  readonly masterPassword: pulumi.Output<string>;

  constructor(name: string, args: OpenSearchDomainArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-infra:opensearch:OpenSearchDomain", name, {}, opts);
    const parent = { parent: this };
    const zones = zoneLayout(args.instanceCount);

    const password = new random.RandomPassword(
      `${name}-master-password`,
      { ...OPENSEARCH_PASSWORD_RULES },
      // Losing the password of a retained domain would lock everyone out of it.
      { ...parent, protect: args.protect },
    );
    // The provider does not mark masterUserPassword secret by itself.
    this.masterPassword = pulumi.secret(password.result);

    // The policy must name the domain's ARN, which only exists after creation; building it from
    // partition/region/account avoids a second resource (and a cycle) just for the first policy.
    const partition = aws.getPartitionOutput({}, parent).partition;
    const region = aws.getRegionOutput({}, parent).region;
    const account = aws.getCallerIdentityOutput({}, parent).accountId;
    const domainArn = pulumi.interpolate`arn:${partition}:es:${region}:${account}:domain/${args.domainName}`;

    const logGroups = Object.entries(OPENSEARCH_LOGS).map(([logType, suffix]) => ({
      logType,
      group: stackLogGroup(
        `${name}-${suffix}-logs`,
        pulumi.interpolate`/aws/opensearch/${args.domainName}/${suffix}`,
        args.logs,
        parent,
      ),
    }));
    // An account-wide policy (CloudWatch allows 10 per region): OpenSearch checks it when the domain
    // starts publishing, so the domain waits for it.
    const logsPolicy = new aws.cloudwatch.LogResourcePolicy(
      `${name}-logs`,
      {
        policyName: pulumi.interpolate`${args.domainName}-opensearch-logs`,
        policyDocument: pulumi
          .all([pulumi.all(logGroups.map((l) => l.group.arn)), domainArn, account])
          .apply(([arns, arn, a]) => opensearchLogsResourcePolicy(arns, arn, a)),
      },
      parent,
    );

    const vpc = args.vpc;
    const vpcOptions = vpc && {
      subnetIds: vpc.subnetIds.slice(0, domainSubnetCount(args.instanceCount)),
      securityGroupIds: [this.vpcSecurityGroup(name, vpc)],
    };

    const domain = new aws.opensearch.Domain(
      `${name}-domain`,
      {
        domainName: args.domainName,
        engineVersion: args.engineVersion,
        clusterConfig: {
          instanceType: args.instanceType,
          instanceCount: args.instanceCount,
          zoneAwarenessEnabled: zones.zoneAwarenessEnabled,
          zoneAwarenessConfig: zones.availabilityZoneCount
            ? { availabilityZoneCount: zones.availabilityZoneCount }
            : undefined,
        },
        ebsOptions: { ebsEnabled: true, volumeType: "gp3", volumeSize: args.volumeGiB },
        encryptAtRest: { enabled: true, kmsKeyId: args.kmsKeyArn },
        nodeToNodeEncryption: { enabled: true },
        domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: OPENSEARCH_TLS_POLICY },
        advancedSecurityOptions: {
          enabled: true,
          internalUserDatabaseEnabled: true,
          masterUserOptions: { masterUserName: args.masterUser, masterUserPassword: this.masterPassword },
        },
        softwareUpdateOptions: { autoSoftwareUpdateEnabled: true },
        // Audit logs also need the audit configuration switched on inside the domain (step 2 of
        // https://docs.aws.amazon.com/opensearch-service/latest/developerguide/audit-logs.html): the
        // processing stack's OpenSearch setup Job does it (stacks/processing/opensearch-setup/audit-config.ts).
        logPublishingOptions: logGroups.map(({ logType, group }) => ({
          logType,
          cloudwatchLogGroupArn: group.arn,
          enabled: true,
        })),
        accessPolicies: pulumi.all([domainArn, args.natPublicIps]).apply(([arn, nat]) =>
          vpc
            ? vpcDomainAccessPolicy(arn)
            : domainAccessPolicy({
                domainArn: arn,
                sourceCidrs: opensearchSourceCidrs(args.allowedCidrs, nat),
              }),
        ),
        ...(vpcOptions ? { vpcOptions } : {}),
      },
      {
        ...parent,
        dependsOn: [logsPolicy],
        protect: args.protect,
        retainOnDelete: args.protect,
        // This is the initial policy only. The processing stack owns it afterwards (an
        // aws.opensearch.DomainPolicy with allowedCidrs plus Confluent's egress CIDRs), so a later
        // `up` of this stack must not put the narrower policy back.
        ignoreChanges: ["accessPolicies"],
      },
    );

    this.domainName = domain.domainName;
    this.arn = domain.arn;
    this.endpoint = domain.endpoint;
    this.dashboardsUrl = pulumi.interpolate`https://${domain.endpoint}/_dashboards/`;
    this.masterUser = pulumi.output(args.masterUser);

    this.registerOutputs({
      domainName: this.domainName,
      arn: this.arn,
      endpoint: this.endpoint,
      dashboardsUrl: this.dashboardsUrl,
      masterUser: this.masterUser,
      masterPassword: this.masterPassword,
    });
  }

  /** The domain's group in the VPC: 443 from the client CIDRs (the VPC itself, private admin ranges). */
  private vpcSecurityGroup(
    name: string,
    vpc: NonNullable<OpenSearchDomainArgs["vpc"]>,
  ): pulumi.Output<string> {
    const sg = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      { vpcId: vpc.vpcId, description: "OpenSearch 443 from inside the VPC only" },
      { parent: this },
    );
    cidrIngressRules(
      `${name}-sg`,
      vpc.clientCidrs,
      { securityGroupId: sg.id, port: 443, description: "OpenSearch HTTPS from inside the VPC" },
      { parent: this },
    );
    return sg.id;
  }
}
