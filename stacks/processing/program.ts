import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { taggedAwsProvider } from "../../lib/aws-provider";
import { readRawConfig } from "../../lib/config";
import { exportContract, readUpstreamStack } from "../../lib/stack-outputs";
import { awsResourcesContract, connectorContract, processingContract, PROJECTS } from "../../lib/contracts";
import { aliasFormerTypes } from "../../lib/component-type";
import { clusterProvider } from "../../lib/in-cluster-job";
import { FraudAlerts } from "./alerts/fraud-alerts";
import type { ProcessingConfig } from "./config";
import { CONFIG_KEYS, loadProcessingConfig, snowflakeSettings } from "./config";
import { FraudRules } from "./fraud-rules/fraud-rules";
import { OpenSearchSetup } from "./opensearch-setup/opensearch-setup";
import { REDSHIFT_TABLES, RedshiftViews } from "./redshift";
import type { ProcessingUpstream, RenderedProcessing } from "./render";
import { renderProcessing } from "./render";
import { SinkNetworkPaths } from "./sinks/network-paths";
import { opensearchSinkConfig, redshiftSinkConfig, snowflakeSinkConfig } from "./sinks/sink-configs";
import { SinkConnectors } from "./sinks/sink-connectors";
import { SinkCredentials } from "./sinks/sink-credentials";
import { confluentRoleArn as roleArn } from "./confluent-role";
import { OpenSearchIngestion } from "./sinks/opensearch-ingestion";
import { pipelineName, primaryKeyColumn } from "./sinks/opensearch-pipeline";
import { dataPlaneSpecs } from "./data-plane-specs";
import {
  PUBLIC_ACCESS_JUSTIFICATION_TAG,
  REDSHIFT_FALLBACK_JUSTIFICATION,
  redshiftOverPrivateLink,
} from "../../lib/network-mode";

/**
 * Options of a component that deployed stacks hold under `fraud-infra:processing:<component>`: the
 * alias keeps it and its children where their state has them, whatever service area its token names.
 */
const deployedAs = (component: string, opts?: pulumi.ComponentResourceOptions) =>
  aliasFormerTypes(opts, `fraud-infra:processing:${component}`);

/**
 * The processing stack: config and both upstream contracts are read and validated, and every SQL
 * statement rendered (renderProcessing), before the first resource is created.
 */
export async function main() {
  const cfg = loadProcessingConfig(readRawConfig(CONFIG_KEYS));
  const upstream = await readUpstreams(cfg);
  const rendered = renderProcessing(cfg, upstream);
  const awsProvider = taggedAwsProvider("aws", upstream.aws.awsRegion, cfg);
  // docs/design-decisions.md#the-inner-phase: in private mode the statements and the connectors that read
  // them are the data-plane stack's; this stack hands them over as data.
  const isPrivate = upstream.aws.networkMode === "private";
  // Read before any resource exists: the OpenSearch setup Job's files name the pipeline's role.
  const pipelineRole = isPrivate ? await osiRole(rendered.namePrefix, awsProvider) : undefined;

  const rules = new FraudRules(
    "fraud-rules",
    {
      flink: rendered.flink,
      crns: rendered.crns,
      flaggedTable: rendered.tables.flaggedTable,
      ...rendered.rules,
      register: !isPrivate,
    },
    deployedAs("FraudRules"),
  );
  const sinks = sinkConnectors(cfg, upstream, rendered, rules, awsProvider, pipelineRole);
  const alerts =
    rendered.alerts &&
    new FraudAlerts(
      "fraud-alerts",
      {
        ...rendered.alerts,
        region: upstream.aws.awsRegion,
        kmsKeyArn: upstream.aws.kmsKeyArn,
        logRetentionDays: upstream.aws.logRetentionDays,
        emails: cfg.alertEmails,
        capacityAlarmTopicArn: upstream.aws.capacityAlarmTopicArn,
        dashboardUrl: rendered.dashboardUrl,
        flink: rendered.flink,
        environmentId: upstream.connector.environmentId,
        kafkaClusterId: upstream.connector.kafkaClusterId,
        crns: rendered.crns,
        fallbackServiceAccountId: upstream.connector.sinkServiceAccountId,
        after: rules.table ? [rules.table] : [],
        awsProvider,
        register: !isPrivate,
      },
      deployedAs("FraudAlerts"),
    );
  const handedOver = dataPlaneSpecs({
    rules: rules.specs,
    alerts: alerts ? { specs: alerts.specs, connector: alerts.connectorConfig } : undefined,
    sinks: sinks.dataPlane,
  });

  return exportContract(processingContract, {
    flaggedUserTable: rendered.tables.flaggedTable,
    fraudStatementNames: rules.statementNames,
    opensearchIndex: cfg.flaggedIndex,
    dashboardsUrl: rendered.dashboardUrl,
    sinkConnectorNames: sinks.connectorNames,
    alertFunctionName: alerts?.functionName ?? "",
    alertsTopic: rendered.alerts?.alertsTable ?? "",
    flinkStatements: handedOver.statements,
    dataPlaneConnectors: handedOver.connectors,
    dataPlaneConnectorSecrets: handedOver.connectorSecrets,
  });
}

/** The OpenSearch Ingestion pipeline's role, known before it exists (its name is fixed), and its account. */
async function osiRole(namePrefix: string, provider: aws.Provider): Promise<PipelineRole> {
  const [partition, caller] = await Promise.all([
    aws.getPartition({}, { provider }),
    aws.getCallerIdentity({}, { provider }),
  ]);
  return {
    arn: roleArn(partition.partition, caller.accountId, osiRoleName(namePrefix)),
    accountId: caller.accountId,
  };
}

interface PipelineRole {
  readonly arn: string;
  readonly accountId: string;
}

const osiRoleName = (namePrefix: string) => `${namePrefix}-osi-pipeline`;

/** Both upstream stacks' outputs, each validated against its contract. */
async function readUpstreams(cfg: ProcessingConfig): Promise<ProcessingUpstream> {
  return {
    aws: await readUpstreamStack(PROJECTS.awsResources, cfg.awsResourcesStack, awsResourcesContract),
    connector: await readUpstreamStack(PROJECTS.connector, cfg.connectorStack, connectorContract),
  };
}

/**
 * The sink connectors and what each needs first: its own user in its data store (never the master
 * user), its network path, and for OpenSearch the index template and dashboards.
 */
function sinkConnectors(
  cfg: ProcessingConfig,
  { aws: awsStack, connector: connectorStack }: ProcessingUpstream,
  rendered: RenderedProcessing,
  rules: FraudRules,
  awsProvider: aws.Provider,
  /** Private mode only, where the pipeline replaces the OpenSearch sink. */
  pipelineRole: PipelineRole | undefined,
): SinkConnectors {
  const isPrivate = awsStack.networkMode === "private";
  const awsOpts = { providers: [awsProvider] };
  const base = rendered.namePrefix;
  const flagged = rendered.tables.flaggedTable;
  const redshiftViews = new RedshiftViews(
    "redshift-views",
    {
      clusterIdentifier: awsStack.redshiftClusterIdentifier,
      database: awsStack.redshiftDatabase,
      adminUser: awsStack.redshiftAdminUser,
      statements: rendered.redshiftStatements,
    },
    deployedAs("RedshiftViews", awsOpts),
  );
  const credentials = new SinkCredentials(
    "sink-credentials",
    {
      namePrefix: base,
      kmsKeyArn: awsStack.kmsKeyArn,
      redshift: {
        region: awsStack.awsRegion,
        environmentId: connectorStack.environmentId,
        clusterIdentifier: awsStack.redshiftClusterIdentifier,
        database: awsStack.redshiftDatabase,
        adminUser: awsStack.redshiftAdminUser,
        tables: REDSHIFT_TABLES,
        after: [redshiftViews.schema],
      },
    },
    deployedAs("SinkCredentials", awsOpts),
  );
  const network = new SinkNetworkPaths(
    "sink-network",
    {
      connectEgressCidrs: connectorStack.connectEgressCidrs,
      redshiftIngress: rendered.redshiftIngress,
      redshiftPort: awsStack.redshiftPort,
      allowedCidrs: awsStack.allowedCidrs,
      natPublicIps: awsStack.natPublicIps,
      opensearchDomainName: awsStack.opensearchDomainName,
      opensearchDomainArn: awsStack.opensearchDomainArn,
      opensearchInVpc: isPrivate,
      ...(isPrivate && !redshiftOverPrivateLink(awsStack)
        ? { redshiftRuleTags: { [PUBLIC_ACCESS_JUSTIFICATION_TAG]: REDSHIFT_FALLBACK_JUSTIFICATION } }
        : {}),
      ...(redshiftOverPrivateLink(awsStack)
        ? {
            redshiftPrivateLink: {
              environmentId: connectorStack.environmentId,
              gatewayId: connectorStack.egressGatewayId,
              gatewayPrincipalArn: connectorStack.egressGatewayPrincipalArn,
              endpointServiceName: awsStack.redshiftEndpointServiceName,
              host: awsStack.redshiftHost,
              displayName: `${base}-redshift`,
              awsProvider,
            },
          }
        : {}),
    },
    deployedAs("SinkNetworkPaths", awsOpts),
  );
  const opensearchSetup = new OpenSearchSetup(
    "opensearch-setup",
    {
      endpoint: awsStack.opensearchEndpoint,
      masterUser: awsStack.opensearchMasterUser,
      masterPassword: awsStack.opensearchMasterPassword,
      index: cfg.flaggedIndex,
      sinkPassword: credentials.opensearchPassword,
      provider: clusterProvider("eks", awsStack.kubeconfig),
      namespace: awsStack.jobsNamespace,
      after: network.domainPolicy ? [network.domainPolicy] : [],
      ...(pipelineRole ? { pipelineRoleArn: pipelineRole.arn } : {}),
    },
    deployedAs("OpenSearchSetup"),
  );
  if (pipelineRole) {
    const name = pipelineName(base);
    new OpenSearchIngestion(
      "opensearch-ingestion",
      {
        pipelineName: name,
        region: awsStack.awsRegion,
        roleName: osiRoleName(base),
        accountId: pipelineRole.accountId,
        vpc: {
          vpcId: awsStack.vpcId,
          vpcCidr: awsStack.vpcCidr,
          subnetIds: awsStack.privateSubnets.map((s) => s.id),
        },
        domain: {
          arn: awsStack.opensearchDomainArn,
          endpoint: awsStack.opensearchEndpoint,
          index: cfg.flaggedIndex,
        },
        kafka: {
          environmentId: connectorStack.environmentId,
          clusterId: connectorStack.kafkaClusterId,
          bootstrap: connectorStack.kafkaBootstrapEndpoint,
          schemaRegistryId: connectorStack.schemaRegistryId,
          registryUrl: connectorStack.schemaRegistryEndpoint,
          topic: flagged,
          documentIdColumn: primaryKeyColumn(rendered.rules.createTable.sql),
          serviceAccountId: connectorStack.sinkServiceAccountId,
          ...(rendered.crns ? { crns: rendered.crns } : {}),
        },
        after: [opensearchSetup.job],
        awsProvider,
      },
      awsOpts,
    );
  }

  const common = {
    serviceAccountId: connectorStack.sinkServiceAccountId,
    errorsTolerance: cfg.sinkErrorsTolerance,
  };
  const snowflake = snowflakeSettings(cfg);
  const tableReady = rules.table ? [rules.table] : [];
  return new SinkConnectors(
    "sinks",
    {
      environmentId: connectorStack.environmentId,
      kafkaClusterId: connectorStack.kafkaClusterId,
      serviceAccountId: connectorStack.sinkServiceAccountId,
      crns: rendered.crns,
      flaggedTopic: flagged,
      register: !isPrivate,
      opensearch: isPrivate
        ? undefined
        : {
            config: opensearchSinkConfig({
              ...common,
              name: `${base}-opensearch-sink`,
              topic: flagged,
              index: cfg.flaggedIndex,
              endpoint: awsStack.opensearchEndpoint,
              user: credentials.opensearchUser,
              password: credentials.opensearchPassword,
            }),
            dependsOn: [
              ...tableReady,
              opensearchSetup.job,
              ...(network.domainPolicy ? [network.domainPolicy] : []),
            ],
          },
      redshift: {
        config: redshiftSinkConfig({
          ...common,
          name: `${base}-redshift-sink`,
          topics: [connectorStack.authUserTable, connectorStack.userTransactionTable],
          host: awsStack.redshiftHost,
          port: awsStack.redshiftPort,
          database: awsStack.redshiftDatabase,
          user: credentials.redshiftUser,
          providerIntegrationId: credentials.redshiftIntegrationId,
        }),
        dependsOn: [...network.redshiftIngress, ...credentials.redshiftUserReady],
      },
      snowflake: snowflake && {
        config: snowflakeSinkConfig({
          ...common,
          ...snowflake,
          name: `${base}-snowflake-sink`,
          topic: flagged,
          privateKey: pulumi.secret(snowflake.privateKey),
        }),
        dependsOn: tableReady,
      },
    },
    deployedAs("SinkConnectors"),
  );
}
