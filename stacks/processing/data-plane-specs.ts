import * as pulumi from "@pulumi/pulumi";
import type { FlinkStatementSpec } from "../../lib/flink";
import { prefixedSpecs } from "../../lib/flink";
import type { SinkConfig } from "./sinks/sink-configs";
import type { ConnectorSpec } from "./sinks/sink-connectors";

/**
 * What this stack hands the data-plane stack (docs/design-decisions.md#the-inner-phase): its Flink
 * statements, keyed by component (`fraud-rules-table`, `fraud-alerts-job`, …) as the resources are
 * named here, the alerts job after the rules' table as here, and the connectors that read their tables,
 * whose secret settings travel apart from the rest (a secret output cannot name resources).
 */
export interface HandedOver {
  readonly statements: FlinkStatementSpec[];
  readonly connectors: { readonly key: string; readonly nonsensitive: Record<string, string> }[];
  readonly connectorSecrets: pulumi.Output<Record<string, Record<string, string>>>;
}

export function dataPlaneSpecs(parts: {
  readonly rules: readonly FlinkStatementSpec[];
  readonly alerts?: {
    readonly specs: readonly FlinkStatementSpec[];
    /** Absent when the processing stack registers the connector itself (public mode). */
    readonly connector?: pulumi.Output<SinkConfig>;
  };
  readonly sinks: readonly ConnectorSpec[];
}): {
  statements: FlinkStatementSpec[];
  connectors: pulumi.Output<HandedOver["connectors"]>;
  connectorSecrets: HandedOver["connectorSecrets"];
} {
  const rules = prefixedSpecs("fraud-rules", parts.rules);
  const alerts = prefixedSpecs("fraud-alerts", parts.alerts?.specs ?? []).map((s) =>
    s.key === "fraud-alerts-job" ? { ...s, after: [...s.after, "fraud-rules-table"] } : s,
  );
  const configs: { key: string; config: pulumi.Input<SinkConfig<pulumi.Input<string>>> }[] = [
    ...parts.sinks.map((c) => ({ key: c.key, config: c.config })),
    ...(parts.alerts?.connector ? [{ key: "alerts", config: parts.alerts.connector }] : []),
  ];
  const resolved = pulumi.all(configs.map((c) => pulumi.output(c.config)));
  return {
    statements: [...rules, ...alerts],
    // The plain halves only: secrecy taints the whole of `resolved`, and these hold no secret
    // (checkedConnectorConfig refuses one in a nonsensitive map).
    connectors: pulumi.unsecret(
      resolved.apply((all) =>
        all.map((config, i) => ({ key: configs[i]!.key, nonsensitive: { ...config.nonsensitive } })),
      ),
    ),
    connectorSecrets: pulumi.secret(
      resolved.apply((all) =>
        Object.fromEntries(
          all.map((config, i) => [configs[i]!.key, config.sensitive as Record<string, string>]),
        ),
      ),
    ),
  };
}
