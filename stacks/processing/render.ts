import type { Upstream } from "../../lib/stack-outputs";
import type { awsResourcesContract, connectorContract } from "../../lib/contracts";
import type { FlinkTarget } from "../../lib/flink";
import type { ScopeCrns } from "../../lib/role-bindings";
import type { CidrGroup } from "../../lib/security-group-quota";
import { spreadCidrs } from "../../lib/security-group-quota";
import { statementName } from "../../lib/sql";
import type { RenderedAlerts } from "./alerts/render";
import { renderAlerts } from "./alerts/render";
import type { ProcessingConfig } from "./config";
import type { FraudTables } from "./fraud-rules/sql";
import {
  renderCreateFlaggedUser,
  renderFraudRules,
  rulesStateTtlMinutes,
  stateTtlProperty,
} from "./fraud-rules/sql";
import { dashboardUrl } from "./opensearch-setup/dashboard-content";
import { checkRedshiftTables, renderRedshiftStatements } from "./redshift";

/**
 * Everything the processing stack decides before it creates a resource, from its config and both
 * upstream contracts: the upstreams agree with each other, every SQL statement is rendered and named,
 * the Redshift rules fit their security groups, the alerts are rendered. A bad value fails here.
 */

/** The Flink table (and topic) of flagged accounts. */
const FLAGGED_TABLE = "flagged_user";

export interface ProcessingUpstream {
  readonly aws: Upstream<typeof awsResourcesContract>;
  readonly connector: Upstream<typeof connectorContract>;
}

export interface RenderedProcessing {
  /** Base of physical names, `<prefix>-<stack>-<suffix>` (aws-resources `namePrefix`). */
  readonly namePrefix: string;
  readonly tables: FraudTables;
  /** The flagged_user table's CREATE TABLE and the rules job that fills it (with its state TTL). */
  readonly rules: {
    readonly createTable: { readonly name: string; readonly sql: string };
    readonly job: {
      readonly name: string;
      readonly sql: string;
      readonly properties: Record<string, string>;
    };
  };
  readonly redshiftStatements: { name: string; sql: string }[];
  /** Confluent's egress CIDRs spread over Redshift's connector ingress groups. */
  readonly redshiftIngress: CidrGroup[];
  /** Where this stack grants its role bindings; absent in environment-admin mode (see grants.ts). */
  readonly crns?: ScopeCrns;
  /** Where and as whom the Flink statements run. */
  readonly flink: FlinkTarget & { readonly principalId: string };
  /** Undefined when alerts are off. */
  readonly alerts?: RenderedAlerts;
  readonly dashboardUrl: string;
}

export function renderProcessing(cfg: ProcessingConfig, upstream: ProcessingUpstream): RenderedProcessing {
  const { aws, connector: cc } = upstream;
  if (cc.region !== aws.awsRegion) {
    throw new Error(
      `the connector stack is in ${cc.region} but aws-resources in ${aws.awsRegion}; the sinks reach ` +
        "Redshift and OpenSearch from the Kafka cluster's region, so both stacks must use the same region",
    );
  }
  checkRedshiftTables(cc.authUserTable, cc.userTransactionTable);
  const namePrefix = aws.namePrefix;
  const tables = {
    flaggedTable: FLAGGED_TABLE,
    userTable: cc.authUserTable,
    transactionTable: cc.userTransactionTable,
  };
  const createSql = renderCreateFlaggedUser(tables);
  const rulesSql = renderFraudRules(cfg, tables);
  return {
    namePrefix,
    tables,
    rules: {
      createTable: { name: statementName(`${namePrefix}-flagged-user-table`, createSql), sql: createSql },
      job: {
        name: statementName(`${namePrefix}-fraud-rules`, rulesSql),
        sql: rulesSql,
        properties: { "sql.state-ttl": stateTtlProperty(rulesStateTtlMinutes(cfg.windowMinutes)) },
      },
    },
    redshiftStatements: renderRedshiftStatements(cfg),
    redshiftIngress: spreadCidrs(
      "Redshift's 5439 rules for Confluent Cloud egress (processing stack)",
      cc.connectEgressCidrs,
      aws.redshiftIngressSecurityGroupIds,
      aws.securityGroupRuleQuota,
    ),
    crns:
      cc.accessMode === "least-privilege"
        ? {
            kafkaRbacCrn: cc.kafkaRbacCrn,
            kafkaClusterId: cc.kafkaClusterId,
            schemaRegistryCrn: cc.schemaRegistryCrn,
          }
        : undefined,
    flink: {
      organizationId: cc.organizationId,
      environmentId: cc.environmentId,
      environmentName: cc.environmentName,
      kafkaClusterName: cc.kafkaClusterName,
      computePoolId: cc.flinkComputePoolId,
      restEndpoint: cc.flinkRestEndpoint,
      principalId: cc.flinkStatementServiceAccountId,
      apiKey: cc.flinkApiKey,
      apiSecret: cc.flinkApiSecret,
    },
    alerts: renderAlerts(cfg, tables, namePrefix),
    dashboardUrl: dashboardUrl(aws.opensearchDashboardsUrl),
  };
}
