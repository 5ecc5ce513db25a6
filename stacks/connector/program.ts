import * as confluentcloud from "@pulumi/confluentcloud";
import * as pulumi from "@pulumi/pulumi";
import { taggedAwsProvider } from "../../lib/aws-provider";
import { readRawConfig } from "../../lib/config";
import type { Exports } from "../../lib/stack-outputs";
import { exportContract, readUpstream, stackReference, upstreamStackName } from "../../lib/stack-outputs";
import { awsResourcesContract, connectorContract, PROJECTS } from "../../lib/contracts";
import { clusterProvider } from "../../lib/in-cluster-job";
import { NAME_LIMITS } from "../../lib/naming";
import { spreadCidrs } from "../../lib/security-group-quota";
import { AccessControl } from "./access-control";
import { PRINCIPALS, serviceAccountName } from "./access-grants";
import { clusterTypeFor, CONFIG_KEYS, loadConnectorConfig, resolveRegion } from "./config";
import { realTransactionUrl } from "./first-transaction";
import { FlinkSourceTables } from "./flink-source-tables";
import {
  AUTH_USER_TABLE,
  sourceTableStatements,
  statementSpecs,
  USER_TRANSACTION_TABLE,
} from "./flink-statements";
import { CDC_TABLES, cdcTopic, connectEgressCidrs } from "./oracle-cdc-config";
import { OracleCdcSource } from "./oracle-cdc-source";
import { ConfluentPlatform } from "./platform";
import { ConfluentPrivateLink } from "./private-link";

/**
 * The connector stack: Confluent Cloud platform, least-privilege access, the Oracle XStream CDC
 * connector and the Flink source tables, wired to the aws-resources stack through its contract.
 * Everything that can be wrong (config, upstream outputs, region, names, egress addresses) is checked
 * before the first resource is registered.
 */
export async function main(): Promise<Exports<typeof connectorContract>> {
  const cfg = loadConnectorConfig(readRawConfig(CONFIG_KEYS), pulumi.getStack());
  const upstreamName = upstreamStackName(PROJECTS.awsResources, cfg.awsResourcesStack);
  const awsStack = await readUpstream(stackReference(upstreamName), awsResourcesContract);
  const region = resolveRegion(cfg.region, awsStack.awsRegion);
  checkAccountNamesFit(awsStack.namePrefix, upstreamName);
  // docs/design-decisions.md#private-networking: the mode is the aws-resources stack's, never our own.
  const isPrivate = awsStack.networkMode === "private";
  const clusterType = clusterTypeFor(cfg.clusterType, awsStack.networkMode);

  // The CDC topics and the subjects the Flink gate waits for follow from config + upstream alone.
  const cdcTopics = CDC_TABLES.map((t) => cdcTopic(cfg.topicPrefix, awsStack.oracleSchema, t));
  const tables = [AUTH_USER_TABLE, USER_TRANSACTION_TABLE];
  const statements = statementSpecs(
    sourceTableStatements({
      topicPrefix: cfg.topicPrefix,
      schema: awsStack.oracleSchema,
      buckets: cfg.tableBuckets,
    }),
  );
  const firstTransactionUrl = realTransactionUrl(awsStack.webappServiceUrl);

  // Resolved before any resource exists, so one SecurityGroupIngressRule per CIDR can be declared
  // without creating resources inside an apply. Confluent documents that these addresses can change
  // (e.g. on a major upgrade): every `pulumi up` re-reads them and adds/removes rules to match.
  const ipAddresses = await confluentcloud.getIpAddresses({
    filter: { clouds: ["AWS"], regions: [region], services: ["CONNECT"], addressTypes: ["EGRESS"] },
  });
  const egressCidrs = connectEgressCidrs(ipAddresses.ipAddresses, region);
  if (egressCidrs.length === 0) {
    throw new Error(
      `Confluent Cloud returned no CONNECT egress addresses for AWS ${region}; the managed connector ` +
        `could not reach Oracle through its security group`,
    );
  }
  // Spread now, before any resource exists: CIDRs that cannot fit stop the run with nothing created. In
  // private mode Oracle admits no CIDR: the connector comes through the egress access point.
  const oracleIngress = spreadCidrs(
    "Oracle's 1521 rules for Confluent Cloud egress (connector stack)",
    isPrivate ? [] : egressCidrs,
    awsStack.oracleIngressSecurityGroupIds,
    awsStack.securityGroupRuleQuota,
  );
  // Read before any resource exists: the private zones are named after it.
  const flinkPrivateRestEndpoint = isPrivate
    ? (await confluentcloud.getFlinkRegion({ cloud: "AWS", region })).privateRestEndpoint
    : undefined;
  if (clusterType === "enterprise" && !isPrivate) {
    pulumi.log.warn(
      "connector:clusterType is enterprise: Confluent documents public connector egress IPs for Basic, " +
        "Standard and Dedicated clusters; check that the Oracle security-group rules apply to your network.",
    );
  }

  const platform = new ConfluentPlatform("confluent", {
    namePrefix: awsStack.namePrefix,
    region,
    clusterType,
    availability: cfg.availability,
    governancePackage: cfg.governancePackage,
    flinkMaxCfu: cfg.flinkMaxCfu,
  });

  // The Oracle ingress rules belong in the aws-resources stack's region.
  const awsProvider = taggedAwsProvider("aws-oracle-region", region, cfg);

  const privateLink =
    flinkPrivateRestEndpoint !== undefined
      ? new ConfluentPrivateLink("private-link", {
          namePrefix: awsStack.namePrefix,
          region,
          environmentId: platform.environment.id,
          kafkaClusterId: platform.kafkaCluster.id,
          vpcId: awsStack.vpcId,
          vpcCidr: awsStack.vpcCidr,
          privateSubnets: awsStack.privateSubnets,
          flinkPrivateRestEndpoint,
          oracle: { endpointServiceName: awsStack.oracleEndpointServiceName, host: awsStack.oracleHost },
          awsProvider,
        })
      : undefined;

  const access = new AccessControl("access", {
    namePrefix: awsStack.namePrefix,
    names: { topicPrefix: cfg.topicPrefix, cdcTopics, tables },
    platform,
    useEnvironmentAdmin: cfg.useEnvironmentAdmin,
    privateCluster: isPrivate,
  });

  const cdc = new OracleCdcSource("oracle-cdc", {
    endpoint: {
      oracleHost: awsStack.oracleHost,
      oraclePort: awsStack.oraclePort,
      oracleServiceName: awsStack.oracleServiceName,
      oraclePdbName: awsStack.oraclePdbName,
      oracleSchema: awsStack.oracleSchema,
      oracleOutboundServer: awsStack.oracleOutboundServer,
      oracleXstreamUser: awsStack.oracleXstreamUser,
      oracleXstreamPassword: awsStack.oracleXstreamPassword,
    },
    settings: {
      connectorName: `${awsStack.namePrefix}-oracle-xstream`,
      topicPrefix: cfg.topicPrefix,
      snapshotMode: cfg.snapshotMode,
      processorLicenses: cfg.oracleProcessorLicenses,
      serviceAccountId: access.accountId("cdc-source"),
    },
    environmentId: platform.environment.id,
    kafkaClusterId: platform.kafkaCluster.id,
    accessBindings: access.bindingsOf("cdc-source"),
    oracleIngress,
    privatePath: privateLink ? [privateLink.oracle.dnsRecord] : [],
    awsProvider,
    readiness: {
      region: awsStack.awsRegion,
      parameterName: awsStack.oracleReadyParameter,
      instanceId: awsStack.oracleInstanceId,
      timeoutMinutes: cfg.oracleReadyTimeoutMinutes,
    },
  });

  new FlinkSourceTables("flink-source-tables", {
    statements,
    register: !isPrivate,
    flink: {
      organizationId: platform.organization.id,
      environmentId: platform.environment.id,
      environmentName: platform.environment.displayName,
      kafkaClusterName: platform.kafkaCluster.displayName,
      computePoolId: platform.computePool.id,
      restEndpoint: platform.flinkRegion.restEndpoint,
      principalId: access.accountId("flink-statements"),
      apiKey: access.flinkApiKey.id,
      apiSecret: access.flinkApiKey.secret,
    },
    subjectsGate: {
      schemaRegistryEndpoint: platform.schemaRegistry.restEndpoint,
      apiKey: access.appSchemaRegistryApiKey.id,
      apiSecret: access.appSchemaRegistryApiKey.secret,
      subjects: cdcTopics.map((t) => `${t}-value`),
      timeoutMinutes: cfg.schemaReadyTimeoutMinutes,
    },
    firstTransaction: {
      provider: clusterProvider("eks", awsStack.kubeconfig),
      namespace: awsStack.jobsNamespace,
      url: firstTransactionUrl,
    },
    dependsOn: [
      cdc.connector,
      ...access.bindingsOf("flink-statements"),
      ...access.bindingsOf("flink-deployer"),
      ...access.bindingsOf("app"),
    ],
  });

  return exportContract(connectorContract, {
    cloud: "AWS",
    region,
    accessMode: cfg.useEnvironmentAdmin ? "environment-admin" : "least-privilege",
    organizationId: platform.organization.id,
    environmentId: platform.environment.id,
    environmentName: platform.environment.displayName,
    kafkaClusterId: platform.kafkaCluster.id,
    kafkaClusterName: platform.kafkaCluster.displayName,
    kafkaBootstrapEndpoint: privateLink
      ? privateLink.clusterEndpoint.bootstrapEndpoint
      : platform.kafkaCluster.bootstrapEndpoint,
    kafkaRestEndpoint: privateLink
      ? privateLink.clusterEndpoint.restEndpoint
      : platform.kafkaCluster.restEndpoint,
    kafkaRbacCrn: platform.kafkaCluster.rbacCrn,
    schemaRegistryId: platform.schemaRegistry.id,
    schemaRegistryEndpoint: platform.schemaRegistry.restEndpoint,
    schemaRegistryCrn: platform.schemaRegistry.resourceName,
    flinkComputePoolId: platform.computePool.id,
    flinkRestEndpoint: flinkPrivateRestEndpoint ?? platform.flinkRegion.restEndpoint,
    flinkStatementServiceAccountId: access.accountId("flink-statements"),
    flinkApiKey: access.flinkApiKey.id,
    flinkApiSecret: access.flinkApiKey.secret,
    sinkServiceAccountId: access.accountId("sink-connectors"),
    appServiceAccountId: access.accountId("app"),
    appKafkaApiKey: access.appKafkaApiKey.id,
    appKafkaApiSecret: access.appKafkaApiKey.secret,
    connectEgressCidrs: egressCidrs,
    cdcTopics,
    authUserTable: AUTH_USER_TABLE,
    userTransactionTable: USER_TRANSACTION_TABLE,
    flinkStatements: statements,
    egressGatewayId: privateLink ? privateLink.egressGateway.id : "",
    egressGatewayPrincipalArn: privateLink ? privateLink.egressPrincipalArn : "",
  });
}

/** Service-account display names are built from the upstream name prefix; they must fit Confluent's limit. */
function checkAccountNamesFit(namePrefix: string, upstreamName: string): void {
  const longest = PRINCIPALS.map((p) => serviceAccountName(namePrefix, p)).sort(
    (a, b) => b.length - a.length,
  )[0];
  if (longest && longest.length > NAME_LIMITS.confluentServiceAccount) {
    throw new Error(
      `output 'namePrefix' of ${upstreamName} (${JSON.stringify(namePrefix)}) is too long: the service account ` +
        `name ${JSON.stringify(longest)} exceeds ${NAME_LIMITS.confluentServiceAccount} characters`,
    );
  }
}
