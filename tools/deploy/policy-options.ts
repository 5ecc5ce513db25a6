import * as path from "node:path";
import { isTrialStack } from "../../lib/naming";
import type { Operation } from "./orchestrate";

/** The CrossGuard pack (`policy/`) and the pack config that allows the documented escape hatch. */
export const POLICY_PACK_DIR = path.resolve(__dirname, "..", "..", "policy");
export const ENVIRONMENT_ADMIN_POLICY_CONFIG = path.join(POLICY_PACK_DIR, "config.environment-admin.json");
/** The pack config of the trial stack (`dev`): its EKS endpoint may keep EKS's default. */
export const TRIAL_STACK_POLICY_CONFIG = path.join(POLICY_PACK_DIR, "config.dev.json");

export interface PolicyPackOptions {
  readonly policyPacks?: string[];
  readonly policyPackConfigs?: string[];
}

/**
 * Every preview and up runs the policy pack, so a real deployment is held to the same rules as the
 * offline plan (destroy has no policy step). With the connector stack's `useEnvironmentAdmin`
 * escape hatch on, or on the trial stack, the pack is told so, exactly as the plan's evaluation is.
 * The two never meet in one stack: only the connector stack has `useEnvironmentAdmin`, and only
 * aws-resources has an EKS cluster, so the escape hatch's file wins when both apply.
 */
export function policyPackOptions(
  op: Exclude<Operation, "outputs">,
  useEnvironmentAdmin: boolean,
  stack: string,
): PolicyPackOptions {
  if (op === "destroy") return {};
  const config = useEnvironmentAdmin
    ? ENVIRONMENT_ADMIN_POLICY_CONFIG
    : isTrialStack(stack)
      ? TRIAL_STACK_POLICY_CONFIG
      : undefined;
  return { policyPacks: [POLICY_PACK_DIR], ...(config ? { policyPackConfigs: [config] } : {}) };
}
