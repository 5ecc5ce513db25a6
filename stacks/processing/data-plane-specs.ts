import * as pulumi from "@pulumi/pulumi";
import type { FlinkStatementSpec } from "../../lib/flink";
import type { SinkConfig } from "./sinks/sink-configs";
import type { ConnectorSpec } from "./sinks/sink-connectors";

/**
 * What this stack hands the data-plane stack (docs/design-decisions.md#the-inner-phase): its Flink
 * statements, keyed by component (`fraud-rules-table`, `fraud-alerts-job`, …) as the resources are
 * named, the alerts job after the rules' table as here, and the connectors that read their tables.
 */

export interface DataPlaneConnector {
  readonly key: string;
  readonly nonsensitive: Record<string, string>;
  /** Secret values, resolved (the contract keeps the whole list secret). */
  readonly sensitive: Record<string, string>;
}

/** `specs` with every key (and every key they wait for) prefixed by `component-`. */
export function prefixedSpecs(component: string, specs: readonly FlinkStatementSpec[]): FlinkStatementSpec[] {
  return specs.map((s) => ({
    ...s,
    key: `${component}-${s.key}`,
    after: s.after.map((key) => `${component}-${key}`),
  }));
}

export function dataPlaneSpecs(parts: {
  readonly rules: readonly FlinkStatementSpec[];
  readonly alerts?: {
    readonly specs: readonly FlinkStatementSpec[];
    readonly connector: pulumi.Output<SinkConfig>;
  };
  readonly sinks: readonly ConnectorSpec[];
}): { statements: FlinkStatementSpec[]; connectors: pulumi.Output<DataPlaneConnector[]> } {
  const rules = prefixedSpecs("fraud-rules", parts.rules);
  const alerts = prefixedSpecs("fraud-alerts", parts.alerts?.specs ?? []).map((s) =>
    s.key === "fraud-alerts-job" ? { ...s, after: [...s.after, "fraud-rules-table"] } : s,
  );
  const sinks = parts.sinks.map((c) => pulumi.output({ key: c.key, ...c.config }));
  const alertsConnector = parts.alerts
    ? [parts.alerts.connector.apply((c) => ({ key: "alerts", ...c }))]
    : [];
  return {
    statements: [...rules, ...alerts],
    connectors: pulumi.all([...sinks, ...alertsConnector]) as unknown as pulumi.Output<DataPlaneConnector[]>,
  };
}
