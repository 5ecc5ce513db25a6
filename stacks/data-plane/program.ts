import { readRawConfig } from "../../lib/config";
import {
  awsResourcesContract,
  connectorContract,
  dataPlaneContract,
  processingContract,
  PROJECTS,
} from "../../lib/contracts";
import { flinkTargetOf } from "../../lib/flink";
import { exportContract, readUpstreamStack } from "../../lib/stack-outputs";
import { CONFIG_KEYS, loadDataPlaneConfig } from "./config";
import { checkPrivateEndpoint, DataPlane } from "./registrations";

/**
 * The data-plane stack: in private mode, run by the runner inside the VPC
 * (docs/design-decisions.md#the-inner-phase), it registers what the connector and processing stacks hand
 * over as data; in public mode those stacks register it themselves and this one registers nothing.
 */
export async function main() {
  const cfg = loadDataPlaneConfig(readRawConfig(CONFIG_KEYS));
  const awsStack = await readUpstreamStack(
    PROJECTS.awsResources,
    cfg.awsResourcesStack,
    awsResourcesContract,
  );
  if (awsStack.networkMode !== "private") {
    return exportContract(dataPlaneContract, { statementNames: [], connectorNames: [] });
  }
  const connector = await readUpstreamStack(PROJECTS.connector, cfg.connectorStack, connectorContract);
  const processing = await readUpstreamStack(PROJECTS.processing, cfg.processingStack, processingContract);
  checkPrivateEndpoint(connector.flinkRestEndpoint);
  const plane = new DataPlane("data-plane", {
    flink: flinkTargetOf(connector),
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
