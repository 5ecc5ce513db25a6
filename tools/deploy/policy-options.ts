import * as path from "node:path";
import type { Operation } from "./orchestrate";

/** The CrossGuard pack (`policy/`) and the pack config that allows the documented escape hatch. */
export const POLICY_PACK_DIR = path.resolve(__dirname, "..", "..", "policy");
export const ENVIRONMENT_ADMIN_POLICY_CONFIG = path.join(POLICY_PACK_DIR, "config.environment-admin.json");

export interface PolicyPackOptions {
  readonly policyPacks?: string[];
  readonly policyPackConfigs?: string[];
}

/**
 * Every preview and up runs the policy pack, so a real deployment is held to the same rules as the
 * offline plan (destroy has no policy step). With the connector stack's `useEnvironmentAdmin`
 * escape hatch on, the pack is told so — exactly as the plan's evaluation is.
 */
export function policyPackOptions(
  op: Exclude<Operation, "outputs">,
  useEnvironmentAdmin: boolean,
): PolicyPackOptions {
  if (op === "destroy") return {};
  return {
    policyPacks: [POLICY_PACK_DIR],
    ...(useEnvironmentAdmin ? { policyPackConfigs: [ENVIRONMENT_ADMIN_POLICY_CONFIG] } : {}),
  };
}
