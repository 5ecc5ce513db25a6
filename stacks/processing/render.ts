import { redshiftOverPrivateLink } from "../../lib/network-mode";
import type { Upstream } from "../../lib/stack-outputs";
import type { awsResourcesContract, connectorContract } from "../../lib/contracts";
import type { FlinkTarget } from "../../lib/flink";
import { flinkTargetOf } from "../../lib/flink";
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

/**
 * Private mode needs the private paths the upstream stacks built: an error names the missing output
 * before any resource exists.
 */
function checkPrivateUpstream({ aws: awsStack, connector }: ProcessingUpstream): void {
  if (awsStack.networkMode !== "private") return;
  const missing = [
    ...(connector.egressGatewayId === "" ? ["connector output egressGatewayId"] : []),
    ...(redshiftOverPrivateLink(awsStack) && awsStack.redshiftEndpointServiceName === ""
      ? ["aws-resources output redshiftEndpointServiceName"]
      : []),
  ];
  if (missing.length > 0) {
    throw new Error(
      `aws-resources:networkMode is private but ${missing.join(" and ")} is empty: run \`fraud-infra up\` so ` +
        "the upstream stacks build their private paths first",
    );
  }
}

export function renderProcessing(cfg: ProcessingConfig, upstream: ProcessingUpstream): RenderedProcessing {
  const { aws: awsStack, connector: connectorStack } = upstream;
  if (connectorStack.region !== awsStack.awsRegion) {
    throw new Error(
      `the connector stack is in ${connectorStack.region} but aws-resources in ${awsStack.awsRegion}; the sinks reach ` +
        "Redshift and OpenSearch from the Kafka cluster's region, so both stacks must use the same region",
    );
  }
  checkRedshiftTables(connectorStack.authUserTable, connectorStack.userTransactionTable);
  checkPrivateUpstream(upstream);
  const namePrefix = awsStack.namePrefix;
  const tables = {
    flaggedTable: FLAGGED_TABLE,
    userTable: connectorStack.authUserTable,
    transactionTable: connectorStack.userTransactionTable,
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
      redshiftOverPrivateLink(awsStack) ? [] : connectorStack.connectEgressCidrs,
      awsStack.redshiftIngressSecurityGroupIds,
      awsStack.securityGroupRuleQuota,
    ),
    crns:
      connectorStack.accessMode === "least-privilege"
        ? {
            kafkaRbacCrn: connectorStack.kafkaRbacCrn,
            kafkaClusterId: connectorStack.kafkaClusterId,
            schemaRegistryCrn: connectorStack.schemaRegistryCrn,
          }
        : undefined,
    flink: flinkTargetOf(connectorStack),
    alerts: renderAlerts(cfg, tables, namePrefix),
    dashboardUrl: dashboardUrl(awsStack.opensearchDashboardsUrl),
  };
}
