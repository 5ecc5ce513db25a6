import type { Contract } from "../../lib/stack-outputs";
import { secretNames } from "../../lib/stack-outputs";
import { awsResourcesContract, connectorContract } from "../../lib/contracts";
import { MOCK_CONNECT_EGRESS } from "../../tools/offline/fixtures";
import type { UpstreamStack } from "../../tools/offline/mocks";
import type { StackProject } from "../../tools/stacks";

/**
 * Hand-written upstream outputs that satisfy each contract, for testing a downstream stack in
 * isolation. The whole-chain tests feed the real runs' outputs instead (asUpstream).
 */

export const SYNTHETIC_ORACLE_PASSWORD = "SyntheticXstreamPw1";
export const SYNTHETIC_REDSHIFT_PASSWORD = "SyntheticRedshiftPw1";
export const SYNTHETIC_OPENSEARCH_PASSWORD = "SyntheticOpenSearchPw1!";

export const syntheticAwsResources: Record<keyof typeof awsResourcesContract, unknown> = {
  awsRegion: "us-east-1",
  namePrefix: "fd-dev-a1b2",
  vpcId: "vpc-0123456789abcdef0",
  allowedCidrs: ["203.0.113.0/24"],
  natPublicIps: ["198.51.100.21/32", "198.51.100.22/32"],
  networkMode: "public",
  redshiftPath: "privatelink",
  vpcCidr: "10.0.0.0/16",
  privateSubnets: [
    { id: "subnet-0private0000000a", zoneName: "us-east-1a", zoneId: "use1-az1" },
    { id: "subnet-0private0000000b", zoneName: "us-east-1b", zoneId: "use1-az2" },
    { id: "subnet-0private0000000c", zoneName: "us-east-1c", zoneId: "use1-az4" },
  ],
  oracleEndpointServiceName: "",
  redshiftEndpointServiceName: "",
  oracleHost: "ec2-203-0-113-10.us-east-1.compute.amazonaws.com",
  oraclePort: 1521,
  oracleServiceName: "XE",
  oraclePdbName: "XEPDB1",
  oracleSchema: "SAMPLE",
  oracleOutboundServer: "XOUT",
  oracleXstreamUser: "c##cfltuser",
  oracleXstreamPassword: SYNTHETIC_ORACLE_PASSWORD,
  oracleSecurityGroupId: "sg-0oracle000000000",
  oracleIngressSecurityGroupIds: ["sg-0oracle00ingress0", "sg-0oracle00ingress1", "sg-0oracle00ingress2"],
  oracleInstanceId: "i-0123456789abcdef0",
  oracleReadyParameter: "/fd-dev-a1b2/oracle/ready",
  oracleSecretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:fd-dev-a1b2-oracle-AbCdEf",
  redshiftHost: "fd-dev-a1b2.cabc123.us-east-1.redshift.amazonaws.com",
  redshiftPort: 5439,
  redshiftDatabase: "frauddetection",
  redshiftAdminUser: "fraudadmin",
  redshiftAdminPassword: SYNTHETIC_REDSHIFT_PASSWORD,
  redshiftClusterIdentifier: "fd-dev-a1b2",
  redshiftSecurityGroupId: "sg-0redshift00000000",
  redshiftIngressSecurityGroupIds: ["sg-0redshift0ingress0", "sg-0redshift0ingress1"],
  securityGroupRuleQuota: 60,
  opensearchDomainName: "fd-dev-a1b2",
  opensearchDomainArn: "arn:aws:es:us-east-1:123456789012:domain/fd-dev-a1b2",
  opensearchEndpoint: "search-fd-dev-a1b2-abc.us-east-1.es.amazonaws.com",
  opensearchDashboardsUrl: "https://search-fd-dev-a1b2-abc.us-east-1.es.amazonaws.com/_dashboards/",
  opensearchMasterUser: "admin",
  opensearchMasterPassword: SYNTHETIC_OPENSEARCH_PASSWORD,
  eksClusterName: "fd-dev-a1b2",
  kubeconfig: "apiVersion: v1\nkind: Config\n",
  webappUrl: "http://k8s-frauddemo.us-east-1.elb.amazonaws.com/fraud-demo/",
  kmsKeyArn: "",
  logRetentionDays: 14,
  webappNamespace: "fraud-demo",
  jobsNamespace: "fraud-deploy-jobs",
  webappServiceUrl: "http://fraud-demo.fraud-demo.svc.cluster.local/",
  capacityAlarmTopicArn: "arn:aws:sns:us-east-1:123456789012:fd-dev-a1b2-capacity-alarms",
  runnerProjectName: "",
  runnerSourceBucket: "",
  runnerLogGroupName: "",
  runnerSecretArn: "",
};

/** The aws-resources outputs of a private deployment (networkMode private, the Redshift hop over PrivateLink). */
export const syntheticPrivateAwsResources: Record<keyof typeof awsResourcesContract, unknown> = {
  ...syntheticAwsResources,
  networkMode: "private",
  oracleHost: "ip-10-0-3-10.ec2.internal",
  oracleEndpointServiceName: "com.amazonaws.vpce.us-east-1.vpce-svc-0a1b2c3d4e5f60718",
  redshiftEndpointServiceName: "com.amazonaws.vpce.us-east-1.vpce-svc-0f1e2d3c4b5a69788",
  runnerProjectName: "fd-prod-a1b2-runner",
  runnerSourceBucket: "runner-source-0a1b2c3",
  runnerLogGroupName: "/aws/codebuild/fd-prod-a1b2/runner",
  runnerSecretArn: "arn:aws:secretsmanager:us-east-1:123456789012:secret:fd-prod-a1b2-runner-AbCdEf",
};

export const SYNTHETIC_FLINK_SECRET = "SyntheticFlinkSecret";

export const syntheticConnector: Record<keyof typeof connectorContract, unknown> = {
  cloud: "AWS",
  region: "us-east-1",
  organizationId: "00000000-0000-4000-8000-00000000f00d",
  environmentId: "env-abc123",
  environmentName: "fd-dev-a1b2",
  kafkaClusterId: "lkc-abc123",
  kafkaClusterName: "fd-dev-a1b2",
  kafkaBootstrapEndpoint: "SASL_SSL://pkc-abc12.us-east-1.aws.confluent.cloud:9092",
  kafkaRestEndpoint: "https://pkc-abc12.us-east-1.aws.confluent.cloud:443",
  kafkaRbacCrn:
    "crn://confluent.cloud/organization=00000000-0000-4000-8000-00000000f00d/environment=env-abc123/cloud-cluster=lkc-abc123",
  schemaRegistryId: "lsrc-abc123",
  schemaRegistryEndpoint: "https://psrc-abc12.us-east-1.aws.confluent.cloud",
  schemaRegistryCrn:
    "crn://confluent.cloud/organization=00000000-0000-4000-8000-00000000f00d/environment=env-abc123/schema-registry=lsrc-abc123",
  flinkComputePoolId: "lfcp-abc123",
  flinkRestEndpoint: "https://flink.us-east-1.aws.confluent.cloud",
  flinkStatementServiceAccountId: "sa-flink1",
  flinkApiKey: "FLINKKEY0000001",
  flinkApiSecret: SYNTHETIC_FLINK_SECRET,
  accessMode: "least-privilege",
  sinkServiceAccountId: "sa-sink01",
  appServiceAccountId: "sa-app001",
  appKafkaApiKey: "APPKEY000000001",
  appKafkaApiSecret: "SyntheticAppSecret",
  connectEgressCidrs: MOCK_CONNECT_EGRESS,
  cdcTopics: ["fd.SAMPLE.AUTH_USER", "fd.SAMPLE.USER_TRANSACTION"],
  authUserTable: "auth_user",
  userTransactionTable: "user_transaction",
  flinkStatements: [
    {
      key: "create-auth-user",
      name: "create-auth-user-0a1b2c3d",
      sql: "CREATE TABLE auth_user (ID BIGINT)",
      properties: {},
      after: [],
    },
  ],
  egressGatewayId: "",
  egressGatewayPrincipalArn: "",
};

/** An upstream stack (for RecordingMocks) from plain values, secret-ness taken from the contract. */
export function upstreamOf(contract: Contract, values: Record<string, unknown>): UpstreamStack {
  return { outputs: { ...values }, secretOutputNames: secretNames(contract) };
}

const SYNTHETIC: Partial<Record<StackProject, { contract: Contract; values: Record<string, unknown> }>> = {
  "aws-resources": { contract: awsResourcesContract, values: syntheticAwsResources },
  connector: { contract: connectorContract, values: syntheticConnector },
};

/** `project`'s synthetic outputs with `changes` applied (`undefined` deletes an output). */
export function syntheticUpstream(
  project: StackProject,
  changes: Readonly<Record<string, unknown>> = {},
): UpstreamStack {
  const synthetic = SYNTHETIC[project];
  if (!synthetic) throw new Error(`no stack reads the outputs of ${project}`);
  return upstreamOf(synthetic.contract, { ...synthetic.values, ...changes });
}
