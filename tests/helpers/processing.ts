import { awsResourcesContract, connectorContract } from "../../lib/contracts";
import type { RecordedResource } from "../../tools/offline/mocks";
import type { StackRun } from "../../tools/offline/run-stack";
import { runStack } from "../../tools/offline/run-stack";
import { readProject, stackConfig } from "../../tools/offline/project-config";
import { loadProcessingConfig } from "../../stacks/processing/config";
import type { ProcessingConfig } from "../../stacks/processing/config";
import { main } from "../../stacks/processing/program";
import { ofType } from "./resources";
import { syntheticAwsResources, syntheticConnector, upstreamOf } from "./synthetic-upstream";

/** The processing stack's config as the dev stack loads it (Pulumi.yaml defaults under Pulumi.dev.yaml). */
export function devProcessingConfig(): ProcessingConfig {
  const config = stackConfig(readProject("processing"), "dev").config;
  return loadProcessingConfig(
    Object.fromEntries(Object.entries(config).map(([k, v]) => [k.replace(/^processing:/, ""), v])),
  );
}

/**
 * Runs the processing stack offline with Pulumi.dev.yaml (plus `overrides`) and both upstream
 * stacks fed in from the synthetic contract values (optionally changed per test).
 */
export async function runProcessing(
  overrides: Readonly<Record<string, unknown>> = {},
  upstream: {
    aws?: Partial<Record<keyof typeof awsResourcesContract, unknown>>;
    connector?: Partial<Record<keyof typeof connectorContract, unknown>>;
  } = {},
): Promise<StackRun> {
  const project = readProject("processing");
  const { config, secretKeys } = stackConfig(project, "dev", overrides);
  return runStack({
    project: "processing",
    stack: "dev",
    region: "us-east-1",
    config,
    secretKeys,
    program: main,
    upstream: {
      "organization/aws-resources/dev": upstreamOf(awsResourcesContract, {
        ...syntheticAwsResources,
        ...upstream.aws,
      }),
      "organization/connector/dev": upstreamOf(connectorContract, {
        ...syntheticConnector,
        ...upstream.connector,
      }),
    },
  });
}

/** The one resource of `type` whose name ends with `suffix`; fails loudly otherwise. */
export function one(run: StackRun, type: string, suffix: string): RecordedResource {
  const found = ofType(run, type).filter((r) => r.name.endsWith(suffix));
  if (found.length !== 1) {
    throw new Error(
      `expected one ${type} named *${suffix}, found ${found.map((r) => r.name).join(", ") || "none"}`,
    );
  }
  return found[0] as RecordedResource;
}

export const T = {
  statement: "confluentcloud:index/flinkStatement:FlinkStatement",
  connector: "confluentcloud:index/connector:Connector",
  roleBinding: "confluentcloud:index/roleBinding:RoleBinding",
  ingress: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  domainPolicy: "aws:opensearch/domainPolicy:DomainPolicy",
  redshiftStatement: "aws:redshiftdata/statement:Statement",
  job: "kubernetes:batch/v1:Job",
  configMap: "kubernetes:core/v1:ConfigMap",
  k8sSecret: "kubernetes:core/v1:Secret",
  secretVersion: "aws:secretsmanager/secretVersion:SecretVersion",
} as const;

export { APP_ALLOWED_IPS, APP_BLOCKED_IPS } from "./web-app-traffic";
