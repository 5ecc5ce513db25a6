import type * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { taggedAwsProvider } from "../../lib/aws-provider";
import { readRawConfig } from "../../lib/config";
import { exportContract, readUpstream, stackReference, upstreamStackName } from "../../lib/stack-outputs";
import { awsResourcesContract, connectorContract, processingContract, PROJECTS } from "../../lib/contracts";
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

/**
 * The processing stack: config and both upstream contracts are read and validated, and every SQL
 * statement rendered (renderProcessing), before the first resource is created.
 */
export async function main() {
  const cfg = loadProcessingConfig(readRawConfig(CONFIG_KEYS));
  const upstream = await readUpstreams(cfg);
  const rendered = renderProcessing(cfg, upstream);
  const awsProvider = taggedAwsProvider("aws", upstream.aws.awsRegion, cfg);

  const rules = new FraudRules("fraud-rules", {
    flink: rendered.flink,
    crns: rendered.crns,
    flaggedTable: rendered.tables.flaggedTable,
    ...rendered.rules,
  });
  const sinks = sinkConnectors(cfg, upstream, rendered, rules, awsProvider);
  const alerts =
    rendered.alerts &&
    new FraudAlerts("fraud-alerts", {
      ...rendered.alerts,
      region: upstream.aws.awsRegion,
      emails: cfg.alertEmails,
      dashboardUrl: rendered.dashboardUrl,
      flink: rendered.flink,
      environmentId: upstream.connector.environmentId,
      kafkaClusterId: upstream.connector.kafkaClusterId,
      crns: rendered.crns,
      fallbackServiceAccountId: upstream.connector.sinkServiceAccountId,
      after: [rules.table],
      awsProvider,
    });

  return exportContract(processingContract, {
    flaggedUserTable: rendered.tables.flaggedTable,
    fraudStatementNames: rules.statementNames,
    opensearchIndex: cfg.flaggedIndex,
    dashboardsUrl: rendered.dashboardUrl,
    sinkConnectorNames: sinks.connectorNames,
    alertFunctionName: alerts?.functionName ?? "",
    alertsTopic: rendered.alerts?.alertsTable ?? "",
  });
}

/** Both upstream stacks' outputs, each validated against its contract. */
async function readUpstreams(cfg: ProcessingConfig): Promise<ProcessingUpstream> {
  return {
    aws: await readUpstream(
      stackReference(upstreamStackName(PROJECTS.awsResources, cfg.awsResourcesStack)),
      awsResourcesContract,
    ),
    connector: await readUpstream(
      stackReference(upstreamStackName(PROJECTS.connector, cfg.connectorStack)),
      connectorContract,
    ),
  };
}

/**
 * The sink connectors and what each needs first: its own user in its data store (never the master
 * user), its network path, and for OpenSearch the index template and dashboards.
 */
function sinkConnectors(
  cfg: ProcessingConfig,
  { aws: up, connector: cc }: ProcessingUpstream,
  rendered: RenderedProcessing,
  rules: FraudRules,
  awsProvider: aws.Provider,
): SinkConnectors {
  const awsOpts = { providers: [awsProvider] };
  const base = rendered.namePrefix;
  const flagged = rendered.tables.flaggedTable;
  const redshiftViews = new RedshiftViews(
    "redshift-views",
    {
      clusterIdentifier: up.redshiftClusterIdentifier,
      database: up.redshiftDatabase,
      adminUser: up.redshiftAdminUser,
      statements: rendered.redshiftStatements,
    },
    awsOpts,
  );
  const credentials = new SinkCredentials(
    "sink-credentials",
    {
      namePrefix: base,
      redshift: {
        clusterIdentifier: up.redshiftClusterIdentifier,
        database: up.redshiftDatabase,
        adminUser: up.redshiftAdminUser,
        tables: REDSHIFT_TABLES,
        after: [redshiftViews.schema],
      },
    },
    awsOpts,
  );
  const network = new SinkNetworkPaths(
    "sink-network",
    {
      connectEgressCidrs: cc.connectEgressCidrs,
      redshiftIngress: rendered.redshiftIngress,
      allowedCidrs: up.allowedCidrs,
      natPublicIps: up.natPublicIps,
      opensearchDomainName: up.opensearchDomainName,
      opensearchDomainArn: up.opensearchDomainArn,
    },
    awsOpts,
  );
  const opensearchSetup = new OpenSearchSetup("opensearch-setup", {
    endpoint: up.opensearchEndpoint,
    masterUser: up.opensearchMasterUser,
    masterPassword: up.opensearchMasterPassword,
    index: cfg.flaggedIndex,
    sinkPassword: credentials.opensearchPassword,
    provider: clusterProvider("eks", up.kubeconfig),
    namespace: up.webappNamespace,
    after: [network.domainPolicy],
  });

  const common = { serviceAccountId: cc.sinkServiceAccountId, errorsTolerance: cfg.sinkErrorsTolerance };
  const snowflake = snowflakeSettings(cfg);
  return new SinkConnectors("sinks", {
    environmentId: cc.environmentId,
    kafkaClusterId: cc.kafkaClusterId,
    serviceAccountId: cc.sinkServiceAccountId,
    crns: rendered.crns,
    flaggedTopic: flagged,
    opensearch: {
      config: opensearchSinkConfig({
        ...common,
        name: `${base}-opensearch-sink`,
        topic: flagged,
        index: cfg.flaggedIndex,
        endpoint: up.opensearchEndpoint,
        user: credentials.opensearchUser,
        password: credentials.opensearchPassword,
      }),
      dependsOn: [rules.table, opensearchSetup.job, network.domainPolicy],
    },
    redshift: {
      config: redshiftSinkConfig({
        ...common,
        name: `${base}-redshift-sink`,
        topics: [cc.authUserTable, cc.userTransactionTable],
        host: up.redshiftHost,
        port: up.redshiftPort,
        database: up.redshiftDatabase,
        user: credentials.redshiftUser,
        password: credentials.redshiftPassword,
      }),
      dependsOn: [...network.redshiftIngress, credentials.redshiftUserReady],
    },
    snowflake: snowflake && {
      config: snowflakeSinkConfig({
        ...common,
        ...snowflake,
        name: `${base}-snowflake-sink`,
        topic: flagged,
        privateKey: pulumi.secret(snowflake.privateKey),
      }),
      dependsOn: [rules.table],
    },
  });
}
