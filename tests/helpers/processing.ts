import { PROJECTS } from "../../lib/contracts";
import type { ProcessingConfig } from "../../stacks/processing/config";
import { loadProcessingConfig } from "../../stacks/processing/config";
import { readProject, stackConfig } from "../../tools/offline/project-config";

/** The processing stack's config as the dev stack loads it (Pulumi.yaml defaults under Pulumi.dev.yaml). */
export function devProcessingConfig(): ProcessingConfig {
  const config = stackConfig(readProject(PROJECTS.processing), "dev").config;
  return loadProcessingConfig(
    Object.fromEntries(Object.entries(config).map(([k, v]) => [k.replace(/^processing:/, ""), v])),
  );
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
  integration: "confluentcloud:index/providerIntegration:ProviderIntegration",
  role: "aws:iam/role:Role",
  rolePolicy: "aws:iam/rolePolicy:RolePolicy",
} as const;

export { APP_ALLOWED_IPS, APP_BLOCKED_IPS } from "./web-app-traffic";
