import type { OracleUserDataParams } from "../../stacks/aws-resources/oracle/user-data";
import { readProject, stackConfig } from "../../tools/offline/project-config";
import type { StackRun } from "../../tools/offline/run-stack";
import { runStack } from "../../tools/offline/run-stack";
import { main } from "../../stacks/aws-resources/program";

/**
 * Runs the aws-resources stack offline with `Pulumi.dev.yaml` plus `overrides` (unqualified keys, plain
 * values as in a stack file; `null` removes a value), exactly as `pulumi up` would see the config.
 */
export function runAwsResources(
  overrides: Readonly<Record<string, unknown>> = {},
  stack = "dev",
): Promise<StackRun> {
  const { config, secretKeys } = stackConfig(readProject("aws-resources"), stack, overrides);
  const region = config["aws-resources:region"] ?? "us-east-1";
  return runStack({ project: "aws-resources", stack, region, config, secretKeys, program: main });
}

/** Oracle user-data parameters as the stack would pass them, for the user-data tests. */
export const ORACLE_PARAMS: OracleUserDataParams = {
  region: "us-east-1",
  secretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:fd-dev-a1b2-oracle-AbCdEf",
  readyParameterName: "/fd-dev-a1b2/oracle/ready",
  dataVolumeId: "vol-0123456789abcdef0",
  image: "container-registry.oracle.com/database/express:21.3.0-xe",
  publicIp: "203.0.113.10",
};
