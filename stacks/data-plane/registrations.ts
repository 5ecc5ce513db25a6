import * as confluentcloud from "@pulumi/confluentcloud";
import * as pulumi from "@pulumi/pulumi";
import type { FlinkStatementSpec, FlinkTarget } from "../../lib/flink";
import { isPrivateConfluentEndpoint } from "../../lib/network-mode";
import { prefixedSpecs, registerFlinkStatements } from "../../lib/flink";

/**
 * Pure: the statements of both stacks in one registry. The source tables' statements are prefixed
 * `connector-`, the rules' `processing-`, and every processing statement waits for every connector
 * statement, as the processing stack waits for the connector stack in public mode.
 */
export function combinedSpecs(
  connector: readonly FlinkStatementSpec[],
  processing: readonly FlinkStatementSpec[],
): FlinkStatementSpec[] {
  const first = prefixedSpecs("connector", connector);
  const firstKeys = first.map((s) => s.key);
  return [
    ...first,
    ...prefixedSpecs("processing", processing).map((s) => ({ ...s, after: [...firstKeys, ...s.after] })),
  ];
}

/** The statements must go through a private endpoint: the cluster has no public one in private mode. */
export function checkPrivateEndpoint(restEndpoint: string): void {
  if (!isPrivateConfluentEndpoint(restEndpoint)) {
    throw new Error(
      `output 'flinkRestEndpoint' of the connector stack is ${restEndpoint}, not a private endpoint ` +
        "(https://flink.<region>.aws.private.confluent.cloud): in private mode the connector stack exports the " +
        "region's private Flink endpoint; run `fraud-infra up` so it does",
    );
  }
}

export interface DataPlaneArgs {
  readonly flink: FlinkTarget;
  readonly connectorStatements: readonly FlinkStatementSpec[];
  readonly processingStatements: readonly FlinkStatementSpec[];
  readonly environmentId: string;
  readonly kafkaClusterId: string;
  readonly connectors: readonly { readonly key: string; readonly nonsensitive: Record<string, string> }[];
  readonly connectorSecrets: pulumi.Output<Record<string, Record<string, string>>>;
}

/**
 * What a private deployment creates from inside the VPC: every Flink statement through the private
 * Flink endpoint, then the sink connectors that read the tables those statements create.
 */
export class DataPlane extends pulumi.ComponentResource {
  readonly statementNames: string[];
  readonly connectorNames: string[];

  constructor(name: string, args: DataPlaneArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-infra:data-plane:DataPlane", name, {}, opts);
    const specs = combinedSpecs(args.connectorStatements, args.processingStatements);
    const statements = registerFlinkStatements(`${name}-statement`, args.flink, specs, { parent: this });
    for (const c of args.connectors) {
      new confluentcloud.Connector(
        `${name}-connector-${c.key}`,
        {
          environment: { id: args.environmentId },
          kafkaCluster: { id: args.kafkaClusterId },
          configNonsensitive: c.nonsensitive,
          configSensitive: pulumi.secret(args.connectorSecrets.apply((all) => all[c.key] ?? {})),
        },
        { parent: this, dependsOn: Object.values(statements) },
      );
    }
    this.statementNames = specs.map((s) => s.name);
    this.connectorNames = args.connectors.map((c) => c.nonsensitive.name ?? c.key);
    this.registerOutputs({ statementNames: this.statementNames, connectorNames: this.connectorNames });
  }
}
