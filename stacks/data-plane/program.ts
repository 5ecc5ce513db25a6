import { readRawConfig } from "../../lib/config";
import {
  awsResourcesContract,
  connectorContract,
  dataPlaneContract,
  processingContract,
  PROJECTS,
} from "../../lib/contracts";
import { exportContract, readUpstream, stackReference, upstreamStackName } from "../../lib/stack-outputs";
import { CONFIG_KEYS, loadDataPlaneConfig } from "./config";
import { checkPrivateEndpoint, DataPlane } from "./registrations";

/**
 * The data-plane stack: in private mode, run by the runner inside the VPC
 * (docs/design-decisions.md#the-inner-phase), it registers what the connector and processing stacks hand
 * over as data; in public mode those stacks register it themselves and this one registers nothing.
 */
export async function main() {
  const cfg = loadDataPlaneConfig(readRawConfig(CONFIG_KEYS));
  const upstream = <C extends Parameters<typeof readUpstream>[1]>(
    project: string,
    override: string | undefined,
    contract: C,
  ) => readUpstream(stackReference(upstreamStackName(project, override)), contract);
  const awsStack = await upstream(PROJECTS.awsResources, cfg.awsResourcesStack, awsResourcesContract);
  if (awsStack.networkMode !== "private") {
    return exportContract(dataPlaneContract, { statementNames: [], connectorNames: [] });
  }
  const connector = await upstream(PROJECTS.connector, cfg.connectorStack, connectorContract);
  const processing = await upstream(PROJECTS.processing, cfg.processingStack, processingContract);
  checkPrivateEndpoint(connector.flinkRestEndpoint);
  const plane = new DataPlane("data-plane", {
    flink: {
      organizationId: connector.organizationId,
      environmentId: connector.environmentId,
      environmentName: connector.environmentName,
      kafkaClusterName: connector.kafkaClusterName,
      computePoolId: connector.flinkComputePoolId,
      restEndpoint: connector.flinkRestEndpoint,
      principalId: connector.flinkStatementServiceAccountId,
      apiKey: connector.flinkApiKey,
      apiSecret: connector.flinkApiSecret,
    },
    connectorStatements: connector.flinkStatements,
    processingStatements: processing.flinkStatements,
    environmentId: connector.environmentId,
    kafkaClusterId: connector.kafkaClusterId,
    connectors: processing.dataPlaneConnectors,
    connectorSecrets: processing.dataPlaneConnectorSecrets,
  });
  return exportContract(dataPlaneContract, {
    statementNames: plane.statementNames,
    connectorNames: plane.connectorNames,
  });
}
