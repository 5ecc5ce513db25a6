import * as confluentcloud from "@pulumi/confluentcloud";
import * as pulumi from "@pulumi/pulumi";
import type { AVAILABILITIES, CLUSTER_TYPES, FLINK_MAX_CFUS, GOVERNANCE_PACKAGES } from "./config";

export type ClusterType = (typeof CLUSTER_TYPES)[number];
export type Availability = (typeof AVAILABILITIES)[number];

/**
 * The cluster-type block and availability value of a KafkaCluster. Enterprise clusters take the
 * newer LOW/HIGH availability names (the provider's own enterprise example uses HIGH); Standard
 * clusters take SINGLE_ZONE/MULTI_ZONE.
 */
function kafkaClusterShape(
  clusterType: ClusterType,
  availability: Availability,
): Pick<confluentcloud.KafkaClusterArgs, "availability" | "standard" | "enterprises"> {
  if (clusterType === "enterprise") {
    return { availability: availability === "MULTI_ZONE" ? "HIGH" : "LOW", enterprises: [{}] };
  }
  return { availability, standard: {} };
}

export interface ConfluentPlatformArgs {
  /** Base of every display name, e.g. `fd-dev-a1b2` (the aws-resources stack's name prefix). */
  readonly namePrefix: string;
  /** AWS region of the cluster and the Flink pool (the aws-resources stack's region). */
  readonly region: string;
  /** Kafka cluster type. @default "standard" */
  readonly clusterType: ClusterType;
  /** Kafka cluster availability. @default "SINGLE_ZONE" */
  readonly availability: Availability;
  /** Stream Governance package; it brings the environment's Schema Registry. @default "ESSENTIALS" */
  readonly governancePackage: (typeof GOVERNANCE_PACKAGES)[number];
  /** Maximum CFUs of the Flink compute pool. @default 10 */
  readonly flinkMaxCfu: (typeof FLINK_MAX_CFUS)[number];
}

/**
 * The Confluent Cloud platform: organization (data source), an environment with Stream Governance,
 * a Kafka cluster in the AWS stack's region, the environment's Schema Registry (data source), the
 * Flink region (data source) and a Flink compute pool.
 */
export class ConfluentPlatform extends pulumi.ComponentResource {
  readonly organization: pulumi.Output<confluentcloud.GetOrganizationResult>;
  readonly environment: confluentcloud.Environment;
  readonly kafkaCluster: confluentcloud.KafkaCluster;
  readonly schemaRegistry: pulumi.Output<confluentcloud.GetSchemaRegistryClusterResult>;
  readonly flinkRegion: pulumi.Output<confluentcloud.GetFlinkRegionResult>;
  readonly computePool: confluentcloud.FlinkComputePool;

  constructor(name: string, args: ConfluentPlatformArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-infra:confluent:ConfluentPlatform", name, {}, opts);
    const parent = { parent: this };

    this.organization = confluentcloud.getOrganizationOutput(parent);

    this.environment = new confluentcloud.Environment(
      `${name}-environment`,
      { displayName: args.namePrefix, streamGovernance: { package: args.governancePackage } },
      parent,
    );

    this.kafkaCluster = new confluentcloud.KafkaCluster(
      `${name}-kafka`,
      {
        displayName: `${args.namePrefix}-kafka`,
        cloud: "AWS",
        region: args.region,
        environment: { id: this.environment.id },
        ...kafkaClusterShape(args.clusterType, args.availability),
      },
      parent,
    );

    // Schema Registry is created by Confluent with the governed environment; it can be read only once
    // the environment (and, in practice, its first cluster) exists.
    this.schemaRegistry = confluentcloud.getSchemaRegistryClusterOutput(
      { environment: { id: this.environment.id } },
      { parent: this, dependsOn: [this.environment, this.kafkaCluster] },
    );

    this.flinkRegion = confluentcloud.getFlinkRegionOutput({ cloud: "AWS", region: args.region }, parent);

    this.computePool = new confluentcloud.FlinkComputePool(
      `${name}-flink-pool`,
      {
        displayName: `${args.namePrefix}-flink`,
        cloud: "AWS",
        region: args.region,
        maxCfu: args.flinkMaxCfu,
        environment: { id: this.environment.id },
      },
      parent,
    );

    this.registerOutputs({
      environmentId: this.environment.id,
      kafkaClusterId: this.kafkaCluster.id,
      schemaRegistryId: this.schemaRegistry.id,
      computePoolId: this.computePool.id,
    });
  }
}
