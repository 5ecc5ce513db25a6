import * as aws from "@pulumi/aws";
import * as confluentcloud from "@pulumi/confluentcloud";
import * as pulumi from "@pulumi/pulumi";
import type { Grant, ScopeCrns } from "../../../lib/role-bindings";
import { bindGrants, grants } from "../../../lib/role-bindings";
import { pipelineRolePolicies, renderPipelineBody } from "./opensearch-pipeline";

export interface OpenSearchIngestionArgs {
  readonly pipelineName: string;
  readonly region: string;
  /** The pipeline role's name; its ARN is handed to the OpenSearch setup Job before it exists. */
  readonly roleName: string;
  /** The account of the role and the secret, which the role's trust and policy name. */
  readonly accountId: string;
  readonly vpc: {
    readonly vpcId: string;
    readonly vpcCidr: string;
    readonly subnetIds: readonly string[];
  };
  readonly domain: { readonly arn: string; readonly endpoint: string; readonly index: string };
  readonly kafka: {
    readonly environmentId: string;
    readonly clusterId: string;
    readonly bootstrap: string;
    readonly schemaRegistryId: string;
    readonly registryUrl: string;
    readonly topic: string;
    readonly documentIdColumn: string;
    /** The sink account the pipeline consumes as (it reads the flagged accounts' topic already). */
    readonly serviceAccountId: string;
    /** Absent in environment-admin mode, whose binding already covers the group. */
    readonly crns?: ScopeCrns;
  };
  /** The Job that maps the pipeline role in the domain's security plugin. */
  readonly after: pulumi.Resource[];
  readonly awsProvider: aws.Provider;
}

/** Minimum and maximum Ingestion OCUs: two spread the pipeline over two zones (AWS's advice for availability). */
export const PIPELINE_UNITS = { min: 2, max: 4 } as const;

/** Days the pipeline's own log is kept. */
const PIPELINE_LOG_RETENTION_DAYS = 30;

/**
 * The OpenSearch path of private mode: an Amazon OpenSearch Ingestion pipeline in the private subnets
 * that consumes the flagged accounts' topic through the ingress PrivateLink endpoint, as the sink
 * account with an API key of its own (SASL/PLAIN, kept in Secrets Manager), decodes Avro with the
 * Schema Registry, and writes the domain in the VPC as its IAM role, which the setup Job maps to the
 * sink's writer role.
 */
export class OpenSearchIngestion extends pulumi.ComponentResource {
  readonly pipeline: aws.opensearchingest.Pipeline;

  constructor(name: string, args: OpenSearchIngestionArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-infra:opensearch:OpenSearchIngestion", name, {}, opts);
    const parent = { parent: this };
    const awsOpts = { parent: this, provider: args.awsProvider };
    const k = args.kafka;
    const groupPrefix = `${args.pipelineName}-`;

    const groupGrant: Grant<"sink">[] = grants("sink", ["DeveloperRead"], "kafka", `group=${groupPrefix}*`);
    const bindings = k.crns
      ? bindGrants(name, groupGrant, { accountId: () => k.serviceAccountId, crns: k.crns }, parent)
      : [];
    const environment = { id: k.environmentId };
    const owner = { id: k.serviceAccountId, apiVersion: "iam/v2", kind: "ServiceAccount" };
    const cluster = confluentcloud.getKafkaClusterOutput({ id: k.clusterId, environment }, parent);
    const registry = confluentcloud.getSchemaRegistryClusterOutput({ environment }, parent);
    // Created from outside the private network: the key cannot wait for the cluster to accept it.
    const kafkaKey = new confluentcloud.ApiKey(
      `${name}-kafka-key`,
      {
        displayName: `${args.pipelineName}-kafka`,
        description: "OpenSearch Ingestion pipeline: consumes the flagged accounts' topic",
        owner,
        managedResource: { id: k.clusterId, apiVersion: cluster.apiVersion, kind: cluster.kind, environment },
        disableWaitForReady: true,
      },
      { parent: this, dependsOn: bindings },
    );
    const registryKey = new confluentcloud.ApiKey(
      `${name}-registry-key`,
      {
        displayName: `${args.pipelineName}-registry`,
        description: "OpenSearch Ingestion pipeline: reads the flagged accounts' schemas",
        owner,
        managedResource: {
          id: k.schemaRegistryId,
          apiVersion: registry.apiVersion,
          kind: registry.kind,
          environment,
        },
      },
      parent,
    );

    const secret = new aws.secretsmanager.Secret(
      `${name}-credentials`,
      {
        name: `${args.pipelineName}-kafka`,
        description: "OpenSearch Ingestion pipeline: Kafka and Schema Registry API keys",
        recoveryWindowInDays: 0,
      },
      awsOpts,
    );
    const secretVersion = new aws.secretsmanager.SecretVersion(
      `${name}-credentials`,
      {
        secretId: secret.id,
        secretString: pulumi.secret(
          pulumi.jsonStringify({
            username: kafkaKey.id,
            password: kafkaKey.secret,
            registry_key: registryKey.id,
            registry_secret: registryKey.secret,
          }),
        ),
      },
      awsOpts,
    );

    const policies = secret.arn.apply((secretArn) =>
      pipelineRolePolicies({ accountId: args.accountId, secretArn, domainArn: args.domain.arn }),
    );
    const role = new aws.iam.Role(
      `${name}-role`,
      { name: args.roleName, assumeRolePolicy: policies.trust, description: "OpenSearch Ingestion pipeline" },
      awsOpts,
    );
    const rolePolicy = new aws.iam.RolePolicy(
      `${name}-role`,
      { role: role.name, policy: policies.policy },
      awsOpts,
    );

    const sg = new aws.ec2.SecurityGroup(
      `${name}-sg`,
      { vpcId: args.vpc.vpcId, description: "OpenSearch Ingestion pipeline: no inbound" },
      awsOpts,
    );
    const egress = [
      { port: 9092, cidr: args.vpc.vpcCidr, why: "Kafka through the ingress PrivateLink endpoint" },
      { port: 443, cidr: "0.0.0.0/0", why: "the domain, the Schema Registry, AWS APIs" },
    ];
    for (const e of egress) {
      new aws.vpc.SecurityGroupEgressRule(
        `${name}-out-${e.port}`,
        {
          securityGroupId: sg.id,
          ipProtocol: "tcp",
          fromPort: e.port,
          toPort: e.port,
          cidrIpv4: e.cidr,
          description: e.why,
        },
        awsOpts,
      );
    }
    const logGroup = new aws.cloudwatch.LogGroup(
      `${name}-logs`,
      {
        name: `/aws/vendedlogs/OpenSearchIngestion/${args.pipelineName}`,
        retentionInDays: PIPELINE_LOG_RETENTION_DAYS,
      },
      awsOpts,
    );

    this.pipeline = new aws.opensearchingest.Pipeline(
      `${name}-pipeline`,
      {
        pipelineName: args.pipelineName,
        minUnits: PIPELINE_UNITS.min,
        maxUnits: PIPELINE_UNITS.max,
        pipelineRoleArn: role.arn,
        pipelineConfigurationBody: pulumi.all([secret.arn, role.arn]).apply(([secretArn, roleArn]) =>
          renderPipelineBody({
            pipelineName: args.pipelineName,
            bootstrap: k.bootstrap,
            topic: k.topic,
            groupId: `${groupPrefix}${k.topic}`,
            registryUrl: k.registryUrl,
            secret: { name: `${args.pipelineName}-kafka`, arn: secretArn },
            region: args.region,
            roleArn,
            domainEndpoint: args.domain.endpoint,
            index: args.domain.index,
            documentIdColumn: k.documentIdColumn,
          }),
        ),
        vpcOptions: { subnetIds: [...args.vpc.subnetIds], securityGroupIds: [sg.id] },
        logPublishingOptions: {
          isLoggingEnabled: true,
          cloudwatchLogDestination: { logGroup: logGroup.name },
        },
      },
      { ...awsOpts, dependsOn: [rolePolicy, secretVersion, ...args.after] },
    );
    this.registerOutputs({ pipelineName: args.pipelineName });
  }
}
