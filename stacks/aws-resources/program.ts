import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { readRawConfig } from "../../lib/config";
import { SsmParameterGate } from "../../lib/readiness-gates";
import { exportContract } from "../../lib/stack-outputs";
import { awsResourcesContract } from "../../lib/contracts";
import { taggedAwsProvider } from "../../lib/aws-provider";
import { baseName, physicalName } from "../../lib/naming";
import { DeploymentBudget } from "./budget";
import { CapacityAlarms } from "./capacity-alarms";
import { CONFIG_KEYS, loadAwsResourcesConfig } from "./config";
import { EksCluster } from "./eks/eks-cluster";
import { Network } from "./network";
import { OpenSearchDomain } from "./opensearch";
import { OracleXStreamDatabase } from "./oracle/database";
import { ORACLE } from "./oracle/names";
import { RedshiftWarehouse } from "./redshift";
import { StackKey } from "./kms";
import { ADDRESS_KEYS, placeholderWarning } from "./profile-rules";
import type { LogSettings } from "./logs";
import { DeployJobsNamespace } from "./deploy-jobs";
import { APP_PORT, FraudWebApp } from "./webapp";
import { webappInboundCidrs } from "./webapp-access";
import {
  PUBLIC_ACCESS_JUSTIFICATION_TAG,
  REDSHIFT_FALLBACK_JUSTIFICATION,
  redshiftOverPrivateLink,
} from "../../lib/network-mode";
import { dataStoreAdminCidrs, leaderNodeIp, publicAdminCidrsWarning } from "./network-mode";
import type { PrivateEndpointServiceArgs } from "./private-link/endpoint-service";
import { PrivateEndpointService } from "./private-link/endpoint-service";
import { REDSHIFT_PORT } from "./redshift";
import { Runner } from "./runner/runner";

/**
 * The aws-resources stack: validate all config, then create the components through one explicit AWS
 * provider (whose default tags reach every taggable resource) and export the typed contract.
 */
/** First boot pulls the XE image and configures XStream: typically 15–20 minutes. */
const ORACLE_READY_TIMEOUT_MINUTES = 45;

export async function main() {
  const stack = pulumi.getStack();
  // Throws a ConfigError naming every bad key before any resource is registered.
  const cfg = loadAwsResourcesConfig(readRawConfig(CONFIG_KEYS), stack);

  const placeholders = placeholderWarning(Object.fromEntries(ADDRESS_KEYS.map((k) => [k, cfg[k]])));
  if (placeholders) pulumi.log.warn(placeholders);
  const isPrivate = cfg.networkMode === "private";
  const adminWarning = publicAdminCidrsWarning(cfg.networkMode, cfg.allowedCidrs);
  if (adminWarning) pulumi.log.warn(adminWarning);
  // docs/design-decisions.md#private-networking: in private mode the stores admit no internet address.
  const storeAdminCidrs = dataStoreAdminCidrs(cfg.networkMode, cfg.allowedCidrs);

  const provider = taggedAwsProvider("aws", cfg.region, cfg);
  const withAws: pulumi.ComponentResourceOptions = { providers: [provider] };

  // One short random suffix per stack keeps physical names unique across accounts and re-creations.
  const suffix = new random.RandomId("name-suffix", { byteLength: 2 });
  const namePrefix = suffix.hex.apply((hex) => physicalName(baseName(cfg.prefix, stack), hex));

  const key = cfg.customerManagedKey
    ? new StackKey("stack-key", { namePrefix, protect: cfg.protectData }, withAws)
    : undefined;
  const kmsKeyArn = key?.arn;
  const logs: LogSettings = { retentionDays: cfg.logRetentionDays, kmsKeyArn, protect: cfg.protectData };

  const network = new Network(
    "network",
    { vpcCidr: cfg.vpcCidr, natGatewayPerAz: cfg.natGatewayPerAz, namePrefix, flowLogs: logs },
    withAws,
  );

  const oracle = new OracleXStreamDatabase(
    "oracle",
    {
      vpcId: network.vpcId,
      // Both first subnets are in the first zone, where the data volume lives.
      subnetId: isPrivate ? network.privateSubnetIds[0]! : network.publicSubnetIds[0]!,
      publicAddress: !isPrivate,
      internetGateway: network.internetGateway,
      availabilityZone: network.availabilityZones[0]!,
      namePrefix,
      region: cfg.region,
      allowedCidrs: storeAdminCidrs,
      instanceType: cfg.oracleInstanceType,
      amiId: cfg.oracleAmiId,
      image: cfg.oracleImage,
      dataVolumeGiB: cfg.oracleDataVolumeGiB,
      snapshotsKept: cfg.oracleSnapshotsKept,
      dataSnapshotId: cfg.oracleDataSnapshotId,
      protectData: cfg.protectData,
      kmsKeyArn,
    },
    withAws,
  );

  const capacityAlarms = new CapacityAlarms(
    "capacity-alarms",
    { namePrefix, instanceId: oracle.instanceId, emails: cfg.budgetAlertEmails, kmsKeyArn },
    withAws,
  );

  const eks = new EksCluster(
    "eks",
    {
      vpcId: network.vpcId,
      subnetIds: network.privateSubnetIds,
      clusterName: namePrefix,
      version: cfg.eksVersion,
      publicAccessCidrs: cfg.eksPublicAccessCidrs,
      endpointPublicAccess: cfg.eksEndpointPublicAccess,
      adminRoleArns: cfg.eksAdminRoleArns,
      logs,
    },
    withAws,
  );

  // The web app's pods run on Auto Mode nodes, which carry the cluster security group: let exactly those
  // reach the listener over the VPC (a security-group source, not a CIDR).
  new aws.vpc.SecurityGroupIngressRule(
    "oracle-listener-from-eks",
    {
      securityGroupId: oracle.securityGroupId,
      referencedSecurityGroupId: eks.cluster.vpcConfig.clusterSecurityGroupId,
      ipProtocol: "tcp",
      fromPort: ORACLE.port,
      toPort: ORACLE.port,
      description: "Oracle listener from the EKS nodes (fraud web app)",
    },
    { parent: oracle },
  );

  // The same gate the connector stack uses: it blocks (with backoff) until the host signals
  // ready:<instance-id>, so the web app's migrations never run against a half-configured database.
  const oracleReady = new SsmParameterGate(
    "oracle-ready-gate",
    {
      region: cfg.region,
      parameterName: oracle.readyParameterName,
      instanceId: oracle.instanceId,
      timeoutMinutes: ORACLE_READY_TIMEOUT_MINUTES,
    },
    { parent: oracle },
  );

  const webapp = new FraudWebApp("webapp", {
    provider: eks.k8sProvider,
    cluster: eks.cluster,
    namespace: cfg.webappNamespace,
    appName: "fraud-demo",
    image: cfg.webappImage,
    replicas: cfg.webappReplicas,
    database: {
      host: oracle.privateIp,
      port: ORACLE.port,
      serviceName: ORACLE.pdbName,
      user: ORACLE.appUser,
      password: oracle.appPassword,
    },
    databaseReady: [oracleReady],
    inboundCidrs: webappInboundCidrs(cfg.allowedCidrs, cfg.webappAllowedCidrs, cfg.vpcCidr),
    loadBalancerCidrs: network.publicSubnetCidrs,
    jobsNamespace: cfg.jobsNamespace,
    certificateArn: cfg.webappCertificateArn,
    domainName: cfg.webappDomainName,
  });

  const deployJobs = new DeployJobsNamespace("deploy-jobs", {
    provider: eks.k8sProvider,
    cluster: eks.cluster,
    namespace: cfg.jobsNamespace,
    webappNamespace: cfg.webappNamespace,
    webappPort: APP_PORT,
  });

  // Public in public mode and in private mode's documented fallback; otherwise reached over PrivateLink.
  const redshiftPrivateLink = redshiftOverPrivateLink(cfg);
  const redshift = new RedshiftWarehouse(
    "redshift",
    {
      vpcId: network.vpcId,
      subnetIds: network.publicSubnetIds,
      internetGateway: network.internetGateway,
      clusterIdentifier: namePrefix,
      nodeType: cfg.redshiftNodeType,
      nodeCount: cfg.redshiftNodeCount,
      snapshotRetentionDays: cfg.redshiftSnapshotRetentionDays,
      restoreSnapshotId: cfg.redshiftSnapshotIdentifier,
      databaseName: cfg.redshiftDatabase,
      adminUser: cfg.redshiftAdminUser,
      allowedCidrs: storeAdminCidrs,
      publiclyAccessible: !redshiftPrivateLink,
      ...(isPrivate && !redshiftPrivateLink
        ? { tags: { [PUBLIC_ACCESS_JUSTIFICATION_TAG]: REDSHIFT_FALLBACK_JUSTIFICATION } }
        : {}),
      protect: cfg.protectData,
      logs,
      kmsKeyArn,
    },
    withAws,
  );

  const opensearch = new OpenSearchDomain(
    "opensearch",
    {
      domainName: namePrefix,
      engineVersion: cfg.opensearchEngineVersion,
      instanceType: cfg.opensearchInstanceType,
      instanceCount: cfg.opensearchInstanceCount,
      volumeGiB: cfg.opensearchVolumeGiB,
      masterUser: cfg.opensearchMasterUser,
      allowedCidrs: storeAdminCidrs,
      natPublicIps: network.natPublicIps,
      protect: cfg.protectData,
      logs,
      kmsKeyArn,
      ...(isPrivate
        ? {
            vpc: {
              vpcId: network.vpcId,
              subnetIds: network.privateSubnetIds,
              clientCidrs: [cfg.vpcCidr, ...storeAdminCidrs],
            },
          }
        : {}),
    },
    withAws,
  );

  const privateLink = (
    store: string,
    port: number,
    target: Omit<PrivateEndpointServiceArgs, "vpcId" | "vpcCidr" | "subnetIds" | "store" | "port">,
  ) =>
    new PrivateEndpointService(
      `${store}-private-link`,
      {
        vpcId: network.vpcId,
        vpcCidr: cfg.vpcCidr,
        subnetIds: network.privateSubnetIds,
        store: store === "oracle" ? "Oracle listener" : "Redshift leader node",
        port,
        ...target,
      },
      withAws,
    );
  const oracleService =
    isPrivate &&
    privateLink("oracle", ORACLE.port, {
      targetType: "instance",
      target: oracle.instanceId,
      storeSecurityGroupId: oracle.securityGroupId,
    });
  // The leader's private address can change (a resize, a node replacement): `pulumi up` re-reads it.
  const redshiftService =
    redshiftPrivateLink &&
    privateLink("redshift", REDSHIFT_PORT, {
      targetType: "ip",
      target: redshift.nodes.apply(leaderNodeIp),
      storeSecurityGroupId: redshift.securityGroupId,
    });

  const runner =
    isPrivate &&
    new Runner(
      "runner",
      {
        namePrefix,
        region: cfg.region,
        vpcId: network.vpcId,
        subnetIds: network.privateSubnetIds,
        logs,
        reads: {
          readyParameterArn: oracle.readyParameterArn,
          redshift: {
            clusterIdentifier: redshift.clusterIdentifier,
            database: cfg.redshiftDatabase,
            adminUser: cfg.redshiftAdminUser,
          },
        },
      },
      withAws,
    );

  if (cfg.monthlyBudgetUsd !== undefined) {
    new DeploymentBudget(
      "budget",
      { stack, monthlyUsd: cfg.monthlyBudgetUsd, emails: cfg.budgetAlertEmails, name: namePrefix },
      withAws,
    );
  }

  return exportContract(awsResourcesContract, {
    awsRegion: cfg.region,
    namePrefix,
    vpcId: network.vpcId,
    allowedCidrs: cfg.allowedCidrs,
    natPublicIps: network.natPublicIps,
    networkMode: cfg.networkMode,
    redshiftPath: cfg.redshiftPath,
    vpcCidr: cfg.vpcCidr,
    privateSubnets: network.privateSubnets,

    oracleHost: oracle.connectorHost,
    oracleEndpointServiceName: oracleService ? oracleService.serviceName : "",
    oraclePort: ORACLE.port,
    oracleServiceName: ORACLE.serviceName,
    oraclePdbName: ORACLE.pdbName,
    oracleSchema: ORACLE.schema,
    oracleOutboundServer: ORACLE.outboundServer,
    oracleXstreamUser: ORACLE.xstreamUser,
    oracleXstreamPassword: oracle.xstreamPassword,
    oracleSecurityGroupId: oracle.securityGroupId,
    oracleIngressSecurityGroupIds: oracle.ingressSecurityGroupIds,
    oracleInstanceId: oracle.instanceId,
    oracleReadyParameter: oracle.readyParameterName,
    oracleSecretArn: oracle.secretArn,

    redshiftHost: redshift.host,
    redshiftPort: redshift.port,
    redshiftDatabase: cfg.redshiftDatabase,
    redshiftAdminUser: cfg.redshiftAdminUser,
    redshiftAdminPassword: redshift.adminPassword,
    redshiftClusterIdentifier: redshift.clusterIdentifier,
    redshiftSecurityGroupId: redshift.securityGroupId,
    redshiftIngressSecurityGroupIds: redshift.ingressSecurityGroupIds,
    redshiftEndpointServiceName: redshiftService ? redshiftService.serviceName : "",
    securityGroupRuleQuota: cfg.securityGroupRuleQuota,

    opensearchDomainName: opensearch.domainName,
    opensearchDomainArn: opensearch.arn,
    opensearchEndpoint: opensearch.endpoint,
    opensearchDashboardsUrl: opensearch.dashboardsUrl,
    opensearchMasterUser: opensearch.masterUser,
    opensearchMasterPassword: opensearch.masterPassword,

    eksClusterName: eks.clusterName,
    kubeconfig: eks.kubeconfig,
    webappUrl: webapp.url,
    kmsKeyArn: kmsKeyArn ?? "",
    logRetentionDays: cfg.logRetentionDays,
    webappNamespace: webapp.namespace,
    jobsNamespace: deployJobs.namespace,
    webappServiceUrl: webapp.serviceUrl,
    capacityAlarmTopicArn: capacityAlarms.topicArn,
    runnerProjectName: runner ? runner.projectName : "",
    runnerSourceBucket: runner ? runner.bucketName : "",
    runnerLogGroupName: runner ? runner.logGroupName : "",
    runnerSecretArn: runner ? runner.secretArn : "",
  });
}
