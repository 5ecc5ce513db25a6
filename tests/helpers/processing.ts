import { awsResourcesContract, connectorContract } from "../../lib/contracts";
import type { RecordedResource } from "../../tools/offline/mocks";
import type { StackRun } from "../../tools/offline/run-stack";
import { runStack } from "../../tools/offline/run-stack";
import { readProject, stackConfig } from "../../tools/offline/project-config";
import { main } from "../../stacks/processing/program";
import { ofType } from "./resources";
import { syntheticAwsResources, syntheticConnector, upstreamOf } from "./synthetic-upstream";

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

/** The web app's blocked and allowed source addresses (webapp.md, "What the app generates"). */
export const APP_BLOCKED_IPS = [
  "1.1.1.1",
  "1.0.0.1",
  "62.210.16.6",
  "145.239.32.25",
  "195.2.240.4",
  "80.80.80.80",
  "81.169.160.101",
  "91.121.0.0",
  "114.114.114.114",
  "223.5.5.5",
  "1.12.12.12",
  "202.54.1.1",
  "110.44.116.100",
  "116.203.0.1",
  "103.224.182.207",
  "203.2.75.123",
  "203.97.78.43",
  "165.227.56.83",
  "102.130.121.2",
  "41.79.129.2",
  "186.202.6.44",
  "200.40.30.245",
];
export const APP_ALLOWED_IPS = [
  "8.8.8.8",
  "8.8.4.4",
  "34.192.0.0",
  "52.0.0.0",
  "104.16.0.0",
  "172.217.0.0",
  "23.0.0.0",
  "192.0.2.0",
  "198.51.100.0",
  "203.0.113.0",
];
