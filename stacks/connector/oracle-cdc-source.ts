import type * as aws from "@pulumi/aws";
import * as confluentcloud from "@pulumi/confluentcloud";
import * as pulumi from "@pulumi/pulumi";
import { spreadCidrIngressRules } from "../../lib/cidr-rules";
import { SsmParameterGate } from "../../lib/readiness-gates";
import type { CidrGroup } from "../../lib/security-group-quota";
import type { OracleCdcSettings, OracleEndpoint } from "./oracle-cdc-config";
import { oracleCdcConfig } from "./oracle-cdc-config";

export interface OracleCdcSourceArgs {
  /** Oracle connection details from the aws-resources stack (password as a secret). */
  readonly endpoint: OracleEndpoint;
  /** Connector name, topic prefix, snapshot mode, licences and the service account it runs as. */
  readonly settings: OracleCdcSettings;
  readonly environmentId: pulumi.Input<string>;
  readonly kafkaClusterId: pulumi.Input<string>;
  /** Role bindings of the connector's service account; the connector starts only after them. */
  readonly accessBindings: readonly pulumi.Resource[];
  /**
   * Confluent Cloud CONNECT egress CIDRs of the region, already spread over the Oracle host's connector
   * ingress groups (`spreadCidrs`); this component adds one 1521 rule per CIDR to its group.
   */
  readonly oracleIngress: readonly CidrGroup[];
  /** Private mode: the egress access point and DNS record the connector reaches Oracle through. */
  readonly privatePath: readonly pulumi.Resource[];
  /** AWS provider pinned to the aws-resources stack's region. */
  readonly awsProvider: aws.Provider;
  /** Where the Oracle host signals readiness, and how long to wait for it. */
  readonly readiness: {
    readonly region: string;
    readonly parameterName: string;
    readonly instanceId: string;
    /** @default 45 */
    readonly timeoutMinutes: number;
  };
}

/**
 * The Oracle XStream CDC source connector together with what it needs to start: a network path from
 * Confluent's egress addresses to the listener, its service account's role bindings, and the
 * Oracle host's ready signal (a readiness gate, not a sleep).
 */
export class OracleCdcSource extends pulumi.ComponentResource {
  readonly connector: confluentcloud.Connector;
  readonly ingressRules: readonly aws.vpc.SecurityGroupIngressRule[];
  readonly oracleReady: SsmParameterGate;

  constructor(name: string, args: OracleCdcSourceArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-infra:cdc:OracleCdcSource", name, {}, opts);
    const port = args.endpoint.oraclePort;

    // One rule per CIDR with a stable name, so a changed egress list adds/removes only what changed.
    this.ingressRules = spreadCidrIngressRules(
      `${name}-oracle-from`,
      args.oracleIngress,
      {
        port,
        description: (cidr) => `Oracle listener from Confluent Cloud CONNECT egress ${cidr} (CDC connector)`,
      },
      { parent: this, provider: args.awsProvider },
    );

    // Only a real run exercises the SSM call inside this gate; under mocks it just registers.
    this.oracleReady = new SsmParameterGate(
      `${name}-oracle-ready`,
      {
        region: args.readiness.region,
        parameterName: args.readiness.parameterName,
        instanceId: args.readiness.instanceId,
        timeoutMinutes: args.readiness.timeoutMinutes,
      },
      { parent: this },
    );

    const config = oracleCdcConfig(args.endpoint, args.settings);
    this.connector = new confluentcloud.Connector(
      `${name}-connector`,
      {
        environment: { id: args.environmentId },
        kafkaCluster: { id: args.kafkaClusterId },
        configNonsensitive: config.nonsensitive,
        configSensitive: pulumi.secret(config.sensitive),
      },
      {
        parent: this,
        dependsOn: [...args.accessBindings, ...this.ingressRules, ...args.privatePath, this.oracleReady],
      },
    );

    this.registerOutputs({
      connectorId: this.connector.id,
      ingressRuleIds: this.ingressRules.map((r) => r.id),
    });
  }
}
