import { z } from "zod";
import { NETWORK_MODES, REDSHIFT_PATHS } from "./network-mode";
import { plain, secret } from "./stack-outputs";
import { K8S_NAMESPACE_NAME, zRestrictedCidr } from "./validators";

/**
 * The stack-output contracts. Each stack's `index.ts` exports exactly its contract (through
 * `exportContract`), and downstream stacks read upstream outputs only through `readUpstream`.
 * Changing a field here is a breaking change for every consumer: the type checker shows where.
 */

const nonEmpty = z.string().min(1);
const port = z.number().int().min(1).max(65535);
const stringList = z.array(nonEmpty);
/**
 * CIDRs a downstream stack opens a network path to (security-group rules, the OpenSearch policy):
 * checked on the way in like the config they came from, so a tampered or broken upstream can never
 * open Redshift or OpenSearch to the world.
 */
const restrictedCidrList = z.array(zRestrictedCidr());
const k8sNamespace = () =>
  z.string().regex(K8S_NAMESPACE_NAME, { error: "must be a Kubernetes namespace name" });
/**
 * A DNS host name, no scheme, port, path or user info: downstream stacks put it into URLs
 * (`https://<host>`) and connection settings as is, so `attacker.example#@real-host` must not pass.
 */
const DNS_LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
const hostName = z.string().regex(new RegExp(`^(?=.{1,253}$)${DNS_LABEL}(?:\\.${DNS_LABEL})*$`), {
  error: "must be a DNS host name without scheme, port or path",
});
/** An Oracle unquoted identifier: the CDC connector puts it into comma-separated table filters. */
const oracleIdentifier = z.string().regex(/^[A-Za-z][A-Za-z0-9_$#]{0,127}$/, {
  error: "must be an Oracle identifier (a letter, then letters, digits, _, $ or #)",
});

export const PROJECTS = {
  awsResources: "aws-resources",
  connector: "connector",
  processing: "processing",
  dataPlane: "data-plane",
} as const;

/** Empty in public mode, where the field has nothing to name. */
const orEmpty = <T extends z.ZodType>(schema: T) => z.union([z.literal(""), schema]);
/** A VPC endpoint service name, `com.amazonaws.vpce.<region>.vpce-svc-<id>`. */
const endpointServiceName = z.string().regex(/^com\.amazonaws\.vpce\.[a-z0-9-]+\.vpce-svc-[0-9a-f]+$/, {
  error: "must be a VPC endpoint service name (com.amazonaws.vpce.<region>.vpce-svc-<id>)",
});
/** A Flink statement as data (lib/flink.ts FlinkStatementSpec). */
const flinkStatementSpecs = z
  .array(
    z.object({
      key: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
      name: nonEmpty,
      sql: nonEmpty,
      properties: z.record(z.string(), z.string()).readonly(),
      after: z.array(nonEmpty).readonly(),
    }),
  )
  .readonly();

export const awsResourcesContract = {
  awsRegion: plain(nonEmpty, "AWS region every resource lives in"),
  namePrefix: plain(nonEmpty, "base of physical names, <prefix>-<stack>-<suffix>"),
  vpcId: plain(nonEmpty, "VPC id"),
  allowedCidrs: plain(
    restrictedCidrList,
    "admin CIDRs allowed into Oracle, Redshift and OpenSearch (kept by downstream rules)",
  ),
  natPublicIps: plain(
    z.array(zRestrictedCidr().regex(/\/32$/, { error: "must be a /32 CIDR" })).min(1),
    "public addresses of the NAT gateways as /32 CIDRs: in-cluster deploy Jobs reach OpenSearch from them",
  ),
  networkMode: plain(
    z.enum(NETWORK_MODES),
    "public (stores admit Confluent's egress addresses) or private (PrivateLink, nothing public); the other stacks follow it",
  ),
  redshiftPath: plain(
    z.enum(REDSHIFT_PATHS),
    "private mode's Redshift hop: privatelink (unverified) or public-allowlist (the fallback to public mode's path)",
  ),
  vpcCidr: plain(zRestrictedCidr(), "IPv4 range of the VPC"),
  privateSubnets: plain(
    z.array(z.object({ id: nonEmpty, zoneName: nonEmpty, zoneId: nonEmpty })).min(1),
    "the private subnets with their zone name and id (PrivateLink endpoints, the OSI pipeline, the runner)",
  ),

  oracleHost: plain(
    hostName,
    "DNS name the CDC connector connects to: the Elastic IP's public name (public), or the host's private name that Confluent resolves to the egress access point (private)",
  ),
  oracleEndpointServiceName: plain(
    orEmpty(endpointServiceName),
    'VPC endpoint service in front of the Oracle listener (private mode; "" in public mode)',
  ),
  oraclePort: plain(port, "Oracle listener port"),
  oracleServiceName: plain(nonEmpty, "CDB service name (XE)"),
  oraclePdbName: plain(nonEmpty, "pluggable database holding the app schema (XEPDB1)"),
  oracleSchema: plain(oracleIdentifier, "schema of the captured tables (SAMPLE)"),
  oracleOutboundServer: plain(nonEmpty, "XStream outbound server name"),
  oracleXstreamUser: plain(nonEmpty, "XStream connect user the CDC connector logs in as"),
  oracleXstreamPassword: secret(nonEmpty, "password of the XStream connect user"),
  oracleSecurityGroupId: plain(
    nonEmpty,
    "own security group of the Oracle host (1521 from allowedCidrs and the EKS nodes)",
  ),
  oracleIngressSecurityGroupIds: plain(
    stringList.min(1),
    "extra security groups of the Oracle host, empty at first: the connector stack spreads its 1521 rules over them",
  ),
  oracleInstanceId: plain(nonEmpty, "EC2 instance id of the Oracle host"),
  oracleReadyParameter: plain(
    nonEmpty,
    "SSM parameter the host sets to ready:<instance-id> once XStream is configured (failed:<instance-id>: <step> on error)",
  ),
  oracleSecretArn: plain(nonEmpty, "Secrets Manager secret holding the Oracle passwords"),

  redshiftHost: plain(hostName, "Redshift leader-node host name, without port"),
  redshiftPort: plain(port, "Redshift port"),
  redshiftDatabase: plain(nonEmpty, "Redshift database name"),
  redshiftAdminUser: plain(nonEmpty, "Redshift admin user"),
  redshiftAdminPassword: secret(nonEmpty, "Redshift admin password"),
  redshiftClusterIdentifier: plain(nonEmpty, "Redshift cluster identifier"),
  redshiftSecurityGroupId: plain(nonEmpty, "own security group of Redshift (5439 from allowedCidrs)"),
  redshiftIngressSecurityGroupIds: plain(
    stringList.min(1),
    "extra security groups of Redshift, empty at first: the processing stack spreads its 5439 rules over them",
  ),
  redshiftEndpointServiceName: plain(
    orEmpty(endpointServiceName),
    'VPC endpoint service in front of Redshift (private mode with redshiftPath privatelink; "" otherwise)',
  ),
  securityGroupRuleQuota: plain(
    z.number().int().min(1),
    "inbound rules one security group may hold (config securityGroupRuleQuota); downstream stacks spread their rules by it",
  ),

  opensearchDomainName: plain(
    nonEmpty,
    "OpenSearch domain name (the processing stack extends its access policy)",
  ),
  opensearchDomainArn: plain(nonEmpty, "OpenSearch domain ARN"),
  opensearchEndpoint: plain(hostName, "OpenSearch HTTPS endpoint host name, without scheme"),
  opensearchDashboardsUrl: plain(nonEmpty, "OpenSearch Dashboards URL"),
  opensearchMasterUser: plain(nonEmpty, "OpenSearch fine-grained-access-control master user"),
  opensearchMasterPassword: secret(nonEmpty, "OpenSearch master user password"),

  eksClusterName: plain(nonEmpty, "EKS cluster name"),
  kubeconfig: secret(nonEmpty, "kubeconfig for the EKS cluster"),
  webappUrl: plain(nonEmpty, "URL of the fraud web app UI"),
  kmsKeyArn: plain(
    z.string().regex(/^(arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+)?$/, {
      error: "must be a KMS key ARN, or empty when the stack uses AWS-managed keys",
    }),
    "the stack's customer-managed KMS key (secrets, volumes, Redshift, OpenSearch, logs), or empty when AWS-managed keys are used",
  ),
  logRetentionDays: plain(
    z.number().int().min(1),
    "days the deployment's log groups keep their events (config logRetentionDays); downstream log groups follow it",
  ),
  webappNamespace: plain(k8sNamespace(), "Kubernetes namespace of the web app"),
  jobsNamespace: plain(
    k8sNamespace(),
    "Kubernetes namespace of the deploy-time Jobs (their Secrets), apart from the web app's",
  ),
  capacityAlarmTopicArn: plain(
    z.string().regex(/^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/, {
      error: "must be an SNS topic ARN",
    }),
    "SNS topic the Oracle host's capacity alarms notify; the processing stack subscribes its alert emails to it",
  ),
  webappServiceUrl: plain(
    z.string().regex(/^http:\/\/[a-z0-9-]+\.[a-z0-9-]+\.svc\.cluster\.local\/$/, {
      error: "must be http://<service>.<namespace>.svc.cluster.local/",
    }),
    "the web app's in-cluster URL (its Service), for Jobs in the cluster",
  ),
  runnerProjectName: plain(
    z.string().regex(/^([A-Za-z0-9][A-Za-z0-9_-]{1,254})?$/),
    'CodeBuild project that runs the inner phase inside the VPC (private mode; "" in public mode)',
  ),
  runnerSourceBucket: plain(
    z.string().regex(/^([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])?$/),
    'S3 bucket the source revision is uploaded to for the runner ("" in public mode)',
  ),
  runnerLogGroupName: plain(z.string(), 'log group of the runner\'s builds ("" in public mode)'),
  runnerSecretArn: plain(
    orEmpty(z.string().regex(/^arn:aws[a-z-]*:secretsmanager:/)),
    'Secrets Manager secret the runner reads its credentials from ("" in public mode)',
  ),
} as const;

const topicName = z.string().regex(/^[a-zA-Z0-9._-]+$/);

export const connectorContract = {
  cloud: plain(z.literal("AWS"), "Confluent cloud provider"),
  region: plain(nonEmpty, "Confluent / AWS region"),
  organizationId: plain(nonEmpty, "Confluent organization id"),
  environmentId: plain(nonEmpty, "Confluent environment id"),
  environmentName: plain(nonEmpty, "environment display name (the Flink catalog)"),
  kafkaClusterId: plain(nonEmpty, "Kafka cluster id"),
  kafkaClusterName: plain(nonEmpty, "Kafka cluster display name (the Flink database)"),
  kafkaBootstrapEndpoint: plain(
    nonEmpty,
    "Kafka bootstrap endpoint (in private mode the ingress access point's, reachable from the VPC only)",
  ),
  kafkaRestEndpoint: plain(nonEmpty, "Kafka REST endpoint (private mode: the ingress access point's)"),
  kafkaRbacCrn: plain(nonEmpty, "Kafka cluster RBAC CRN (for topic/group role bindings)"),
  schemaRegistryId: plain(nonEmpty, "Schema Registry cluster id"),
  schemaRegistryEndpoint: plain(nonEmpty, "Schema Registry REST endpoint"),
  schemaRegistryCrn: plain(nonEmpty, "Schema Registry resource name (for subject role bindings)"),
  flinkComputePoolId: plain(nonEmpty, "Flink compute pool id"),
  flinkRestEndpoint: plain(
    nonEmpty,
    "Flink REST endpoint statements are created through: the region's public one, or its private one in private mode",
  ),
  flinkStatementServiceAccountId: plain(nonEmpty, "service account Flink statements run as"),
  flinkApiKey: plain(nonEmpty, "Flink API key id (owned by the Flink deployer service account)"),
  flinkApiSecret: secret(nonEmpty, "Flink API key secret"),
  // docs/design-decisions.md#accessmode-in-the-connector-contract
  accessMode: plain(
    z.enum(["least-privilege", "environment-admin"]),
    "how Confluent access was granted; downstream stacks add fine-grained role bindings only for least-privilege",
  ),
  sinkServiceAccountId: plain(nonEmpty, "service account the processing stack's sink connectors run as"),
  appServiceAccountId: plain(nonEmpty, "service account for operators/apps (read-only on fd topics)"),
  appKafkaApiKey: plain(nonEmpty, "Kafka API key id of the app service account"),
  appKafkaApiSecret: secret(nonEmpty, "Kafka API key secret of the app service account"),
  connectEgressCidrs: plain(restrictedCidrList, "Confluent Cloud CONNECT egress CIDRs of the region"),
  cdcTopics: plain(z.array(topicName).min(1), "CDC topics written by the Oracle XStream connector"),
  authUserTable: plain(topicName, "Flink table (and topic) of users"),
  userTransactionTable: plain(topicName, "Flink table (and topic) of transactions"),
  flinkStatements: plain(
    flinkStatementSpecs,
    "the source tables' Flink statements as data; the data-plane stack registers them in private mode",
  ),
  egressGatewayId: plain(
    z.string(),
    'egress PrivateLink gateway of the environment ("" in public mode); the processing stack adds its access points',
  ),
  egressGatewayPrincipalArn: plain(
    z.string(),
    'IAM principal of the egress gateway that endpoint services must allow ("" in public mode)',
  ),
} as const;

export const processingContract = {
  flaggedUserTable: plain(topicName, "Flink upsert table of flagged accounts"),
  fraudStatementNames: plain(stringList, "names of the Flink statements that implement the fraud rules"),
  opensearchIndex: plain(nonEmpty, "OpenSearch index the flagged accounts are written to"),
  dashboardsUrl: plain(nonEmpty, "URL of the fraud dashboard"),
  sinkConnectorNames: plain(stringList, "names of the sink connectors"),
  alertFunctionName: plain(
    z.string().regex(/^([A-Za-z0-9_-]{1,64})?$/),
    'Lambda function that sends the fraud alerts ("" when processing:alertEmails is empty)',
  ),
  alertsTopic: plain(
    z.union([z.literal(""), topicName]),
    'Kafka topic of the alert feed the Lambda Sink reads ("" when alerts are off)',
  ),
  flinkStatements: plain(
    flinkStatementSpecs,
    "the fraud rules' (and alerts') Flink statements as data; the data-plane stack registers them in private mode",
  ),
  dataPlaneConnectors: plain(
    z.array(
      z.object({
        key: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
        nonsensitive: z.record(z.string(), z.string()),
      }),
    ),
    "private mode: the sink connectors that read Flink tables, registered by the data-plane stack after the statements ([] in public mode)",
  ),
  dataPlaneConnectorSecrets: secret(
    z.record(z.string(), z.record(z.string(), z.string())),
    "each data-plane connector's configSensitive, by key ({} in public mode)",
  ),
} as const;

export const dataPlaneContract = {
  statementNames: plain(z.array(nonEmpty), "Flink statements this stack registered (none in public mode)"),
  connectorNames: plain(z.array(nonEmpty), "connectors this stack registered (none in public mode)"),
} as const;
