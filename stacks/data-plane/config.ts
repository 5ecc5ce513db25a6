import { z } from "zod";
import type { RawConfig } from "../../lib/config";
import { parseConfig } from "../../lib/config";
import { PROJECTS } from "../../lib/contracts";
import { zOptionalStackName } from "../../lib/validators";

/** The one typed loader of this stack's configuration: only the names of the stacks it reads. */
const dataPlaneConfigSchema = z.object({
  awsResourcesStack: zOptionalStackName(),
  connectorStack: zOptionalStackName(),
  processingStack: zOptionalStackName(),
});

export type DataPlaneConfig = z.output<typeof dataPlaneConfigSchema>;

/** Every key this stack reads, as declared in Pulumi.yaml. */
export const CONFIG_KEYS: readonly string[] = Object.keys(dataPlaneConfigSchema.shape);

export function loadDataPlaneConfig(raw: RawConfig): DataPlaneConfig {
  return parseConfig(PROJECTS.dataPlane, dataPlaneConfigSchema, raw);
}
