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
import { placeholderWarning } from "./profile-rules";
import type { LogSettings } from "./logs";
import { DeployJobsNamespace } from "./deploy-jobs";
import { APP_PORT, FraudWebApp } from "./webapp";
import { webappInboundCidrs } from "./webapp-access";

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

  const placeholders = placeholderWarning({
    allowedCidrs: cfg.allowedCidrs,
    eksPublicAccessCidrs: cfg.eksPublicAccessCidrs,
    webappAllowedCidrs: cfg.webappAllowedCidrs,
  });
  if (placeholders) pulumi.log.warn(placeholders);

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
      subnetId: network.publicSubnetIds[0]!,
      internetGateway: network.internetGateway,
      availabilityZone: network.availabilityZones[0]!,
      namePrefix,
      region: cfg.region,
      allowedCidrs: cfg.allowedCidrs,
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
      allowedCidrs: cfg.allowedCidrs,
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
      allowedCidrs: cfg.allowedCidrs,
      natPublicIps: network.natPublicIps,
      protect: cfg.protectData,
      logs,
      kmsKeyArn,
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

    oracleHost: oracle.publicHost,
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
  });
}
