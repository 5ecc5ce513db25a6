import * as confluentcloud from "@pulumi/confluentcloud";
import * as pulumi from "@pulumi/pulumi";
import type { ScopeCrns } from "../../../lib/role-bindings";
import { bindStackGrants, sinkReadGrants } from "../grants";
import type { SinkConfig } from "./sink-configs";

/**
 * The managed sink connectors. Their configs come from the pure builders in sink-configs.ts; this
 * component only wires them: secrets into `configSensitive`, and each connector after what it
 * needs (its network path, its topic, the OpenSearch index template and dashboards).
 */

export interface SinkSpec {
  readonly config: SinkConfig<pulumi.Input<string>>;
  /** Resources that must exist before the connector starts writing. */
  readonly dependsOn: pulumi.Input<pulumi.Resource>[];
}

export interface SinkConnectorsArgs {
  readonly environmentId: string;
  readonly kafkaClusterId: string;
  /** Service account of the sinks (connector contract). */
  readonly serviceAccountId: string;
  /** Absent in the connector stack's environment-admin mode (see grants.ts). */
  readonly crns?: ScopeCrns;
  /** The table this stack creates; the connector stack grants the sink account the others. */
  readonly flaggedTopic: string;
  /** The OpenSearch sink (public mode; private mode writes OpenSearch through OpenSearch Ingestion). */
  readonly opensearch?: SinkSpec;
  readonly redshift: SinkSpec;
  /** Present only when Snowflake is enabled. */
  readonly snowflake?: SinkSpec;
  /**
   * Create the connectors here (public mode), or hand their configurations to the data-plane stack,
   * which creates them after the Flink tables they read (private mode: Confluent refuses a sink whose
   * topic does not exist yet).
   */
  readonly register: boolean;
}

/** A connector as data, for the data-plane stack. */
export interface ConnectorSpec {
  readonly key: string;
  readonly config: SinkConfig<pulumi.Input<string>>;
}

export class SinkConnectors extends pulumi.ComponentResource {
  readonly connectorNames: string[];
  readonly opensearch?: confluentcloud.Connector;
  readonly redshift?: confluentcloud.Connector;
  readonly snowflake?: confluentcloud.Connector;
  /** What the data-plane stack creates (private mode); empty in public mode. */
  readonly dataPlane: ConnectorSpec[];

  constructor(name: string, args: SinkConnectorsArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-infra:sinks:SinkConnectors", name, {}, opts);
    const parent = { parent: this };

    // Read flagged_user and its schemas. The sink account's consumer groups (connect-lcc-*) and
    // its dead-letter/success/error topics (dlq-lcc-*, success-lcc-*, error-lcc-*) are granted by
    // the connector stack, as are auth_user and user_transaction.
    const flaggedReads = bindStackGrants(
      name,
      sinkReadGrants("sink-connectors", args.flaggedTopic),
      { accountId: args.serviceAccountId, crns: args.crns, deployedAs: "flaggedRead" },
      this,
    );

    const connector = (suffix: string, spec: SinkSpec, extra: pulumi.Resource[] = []) =>
      new confluentcloud.Connector(
        `${name}-${suffix}`,
        {
          environment: { id: args.environmentId },
          kafkaCluster: { id: args.kafkaClusterId },
          configNonsensitive: spec.config.nonsensitive,
          configSensitive: pulumi.secret(spec.config.sensitive),
        },
        { ...parent, dependsOn: [...spec.dependsOn, ...extra] },
      );

    const specs = { opensearch: args.opensearch, redshift: args.redshift, snowflake: args.snowflake };
    if (args.register) {
      this.opensearch = args.opensearch && connector("opensearch", args.opensearch, flaggedReads);
      this.redshift = connector("redshift", args.redshift);
      this.snowflake = args.snowflake ? connector("snowflake", args.snowflake, flaggedReads) : undefined;
    }
    this.dataPlane = args.register
      ? []
      : Object.entries(specs).flatMap(([key, spec]) => (spec ? [{ key, config: spec.config }] : []));

    this.connectorNames = Object.values(specs).flatMap((s) => (s ? [s.config.nonsensitive.name] : []));
    this.registerOutputs({ connectorNames: this.connectorNames });
  }
}
