import * as pulumi from "@pulumi/pulumi";
import { taggedAwsProvider } from "../../lib/aws-provider";
import { readRawConfig } from "../../lib/config";
import { exportContract, readUpstream, stackReference, upstreamStackName } from "../../lib/contract";
import { awsResourcesContract, connectorContract, processingContract, PROJECTS } from "../../lib/contracts";
import { spreadCidrs } from "../../lib/security-group-quota";
import { statementName } from "../../lib/sql";
import { bundleLambdaFunction } from "../../lib/bundle";
import { alertNames } from "./alert-plan";
import { ALERTS_TABLE, renderCreateFraudAlerts, renderFraudAlerts } from "./alert-statements";
import type { FraudAlertsArgs } from "./alerts";
import { ALERT_HANDLER, FraudAlerts } from "./alerts";
import type { ProcessingConfig } from "./config";
import { CONFIG_KEYS, loadProcessingConfig, snowflakeSettings } from "./config";
import { dashboardUrl } from "./dashboard-content";
import { clusterProvider } from "../../lib/in-cluster-job";
import { OpenSearchSetup } from "./dashboards";
import { FraudRules } from "./flink";
import type { FraudTables } from "./fraud-rules";
import {
  renderCreateFlaggedUser,
  renderFraudRules,
  rulesStateTtlMinutes,
  stateTtlProperty,
} from "./fraud-rules";
import { SinkNetworkPaths } from "./network";
import { checkRedshiftTables, REDSHIFT_TABLES, RedshiftViews, renderRedshiftStatements } from "./redshift";
import { SinkCredentials } from "./sink-credentials";
import { opensearchSinkConfig, redshiftSinkConfig, snowflakeSinkConfig } from "./sink-configs";
import { SinkConnectors } from "./sinks";

/** The Flink table (and topic) of flagged accounts. */
export const FLAGGED_TABLE = "flagged_user";
/** How long the alert function's logs are kept. */
export const ALERT_LOG_RETENTION_DAYS = 30;

/**
 * Everything the alerts need that can fail, done before any resource: names, both SQL statements
 * and the bundled function. Undefined when `alertEmails` is empty (alerts off).
 */
function planAlerts(
  cfg: ProcessingConfig,
  tables: Omit<FraudTables, "flaggedTable">,
  base: string,
): Pick<FraudAlertsArgs, "names" | "functionCode" | "alertsTable" | "createTable" | "job"> | undefined {
  if (cfg.alertEmails.length === 0) return undefined;
  const alertTables = { ...tables, alertsTable: ALERTS_TABLE };
  const createSql = renderCreateFraudAlerts(alertTables);
  const jobSql = renderFraudAlerts(cfg, alertTables, cfg.alertQuietMinutes);
  return {
    names: alertNames(base),
    functionCode: bundleLambdaFunction(ALERT_HANDLER),
    alertsTable: ALERTS_TABLE,
    createTable: { name: statementName(`${base}-fraud-alert-table`, createSql), sql: createSql },
    job: { name: statementName(`${base}-fraud-alerts`, jobSql), sql: jobSql },
  };
}

/**
 * The processing stack: config and both upstream contracts are read and validated, and every SQL
 * statement and connector config rendered, before the first resource is created.
 */
export async function main() {
  const cfg = loadProcessingConfig(readRawConfig(CONFIG_KEYS));
  const up = await readUpstream(
    stackReference(upstreamStackName(PROJECTS.awsResources, cfg.awsResourcesStack)),
    awsResourcesContract,
  );
  const cc = await readUpstream(
    stackReference(upstreamStackName(PROJECTS.connector, cfg.connectorStack)),
    connectorContract,
  );
  if (cc.region !== up.awsRegion) {
    throw new Error(
      `the connector stack is in ${cc.region} but aws-resources in ${up.awsRegion}; the sinks reach ` +
        "Redshift and OpenSearch from the Kafka cluster's region, so both stacks must use the same region",
    );
  }
  checkRedshiftTables(cc.authUserTable, cc.userTransactionTable);
  const redshiftIngress = spreadCidrs(
    "Redshift's 5439 rules for Confluent Cloud egress (processing stack)",
    cc.connectEgressCidrs,
    up.redshiftIngressSecurityGroupIds,
    up.securityGroupRuleQuota,
  );

  // Everything below is pure rendering; a bad template or value fails here, still before any resource.
  const tables = {
    flaggedTable: FLAGGED_TABLE,
    userTable: cc.authUserTable,
    transactionTable: cc.userTransactionTable,
  };
  const createSql = renderCreateFlaggedUser(tables);
  const rulesSql = renderFraudRules(cfg, tables);
  const redshiftStatements = renderRedshiftStatements(cfg);
  const base = up.namePrefix;
  const alertPlan = planAlerts(cfg, tables, base);
  const common = { serviceAccountId: cc.sinkServiceAccountId, errorsTolerance: cfg.sinkErrorsTolerance };
  const snowflake = snowflakeSettings(cfg);
  const snowflakeConfig =
    snowflake &&
    snowflakeSinkConfig({
      ...common,
      ...snowflake,
      name: `${base}-snowflake-sink`,
      topic: FLAGGED_TABLE,
      privateKey: pulumi.secret(snowflake.privateKey),
    });

  const awsProvider = taggedAwsProvider("aws", up.awsRegion, cfg);
  const awsOpts = { providers: [awsProvider] };
  const crns =
    cc.accessMode === "least-privilege"
      ? {
          kafkaRbacCrn: cc.kafkaRbacCrn,
          kafkaClusterId: cc.kafkaClusterId,
          schemaRegistryCrn: cc.schemaRegistryCrn,
        }
      : undefined;

  // The sinks log in as their own users, never as the data stores' master users.
  const redshiftViews = new RedshiftViews(
    "redshift-views",
    {
      clusterIdentifier: up.redshiftClusterIdentifier,
      database: up.redshiftDatabase,
      adminUser: up.redshiftAdminUser,
      statements: redshiftStatements,
    },
    awsOpts,
  );
  const sinkCredentials = new SinkCredentials(
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
  const opensearchConfig = opensearchSinkConfig({
    ...common,
    name: `${base}-opensearch-sink`,
    topic: FLAGGED_TABLE,
    index: cfg.flaggedIndex,
    endpoint: up.opensearchEndpoint,
    user: sinkCredentials.opensearchUser,
    password: sinkCredentials.opensearchPassword,
  });
  const redshiftConfig = redshiftSinkConfig({
    ...common,
    name: `${base}-redshift-sink`,
    topics: [cc.authUserTable, cc.userTransactionTable],
    host: up.redshiftHost,
    port: up.redshiftPort,
    database: up.redshiftDatabase,
    user: sinkCredentials.redshiftUser,
    password: sinkCredentials.redshiftPassword,
  });

  const network = new SinkNetworkPaths(
    "sink-network",
    {
      connectEgressCidrs: cc.connectEgressCidrs,
      redshiftIngress,
      allowedCidrs: up.allowedCidrs,
      natPublicIps: up.natPublicIps,
      opensearchDomainName: up.opensearchDomainName,
      opensearchDomainArn: up.opensearchDomainArn,
    },
    awsOpts,
  );

  const flink = {
    organizationId: cc.organizationId,
    environmentId: cc.environmentId,
    environmentName: cc.environmentName,
    kafkaClusterName: cc.kafkaClusterName,
    computePoolId: cc.flinkComputePoolId,
    restEndpoint: cc.flinkRestEndpoint,
    principalId: cc.flinkStatementServiceAccountId,
    apiKey: cc.flinkApiKey,
    apiSecret: cc.flinkApiSecret,
  };
  const rules = new FraudRules("fraud-rules", {
    flink,
    crns,
    flaggedTable: FLAGGED_TABLE,
    createTable: { name: statementName(`${base}-flagged-user-table`, createSql), sql: createSql },
    rulesJob: {
      name: statementName(`${base}-fraud-rules`, rulesSql),
      sql: rulesSql,
      properties: { "sql.state-ttl": stateTtlProperty(rulesStateTtlMinutes(cfg.windowMinutes)) },
    },
  });

  const opensearchSetup = new OpenSearchSetup("opensearch-setup", {
    endpoint: up.opensearchEndpoint,
    masterUser: up.opensearchMasterUser,
    masterPassword: up.opensearchMasterPassword,
    index: cfg.flaggedIndex,
    sinkPassword: sinkCredentials.opensearchPassword,
    provider: clusterProvider("eks", up.kubeconfig),
    namespace: up.webappNamespace,
    after: [network.domainPolicy],
  });

  const sinks = new SinkConnectors("sinks", {
    environmentId: cc.environmentId,
    kafkaClusterId: cc.kafkaClusterId,
    serviceAccountId: cc.sinkServiceAccountId,
    crns,
    flaggedTopic: FLAGGED_TABLE,
    opensearch: {
      config: opensearchConfig,
      dependsOn: [rules.table, opensearchSetup.job, network.domainPolicy],
    },
    redshift: {
      config: redshiftConfig,
      dependsOn: [...network.redshiftIngress, sinkCredentials.redshiftUserReady],
    },
    snowflake: snowflakeConfig && { config: snowflakeConfig, dependsOn: [rules.table] },
  });

  const alerts =
    alertPlan &&
    new FraudAlerts("fraud-alerts", {
      ...alertPlan,
      region: up.awsRegion,
      emails: cfg.alertEmails,
      dashboardUrl: dashboardUrl(up.opensearchDashboardsUrl),
      logRetentionDays: ALERT_LOG_RETENTION_DAYS,
      flink,
      environmentId: cc.environmentId,
      kafkaClusterId: cc.kafkaClusterId,
      crns,
      fallbackServiceAccountId: cc.sinkServiceAccountId,
      after: [rules.table],
      awsProvider,
    });

  return exportContract(processingContract, {
    flaggedUserTable: FLAGGED_TABLE,
    fraudStatementNames: rules.statementNames,
    opensearchIndex: cfg.flaggedIndex,
    dashboardsUrl: dashboardUrl(up.opensearchDashboardsUrl),
    sinkConnectorNames: sinks.connectorNames,
    alertFunctionName: alerts?.functionName ?? "",
    alertsTopic: alerts ? ALERTS_TABLE : "",
  });
}
