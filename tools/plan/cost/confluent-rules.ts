import type { Rule } from "./rules";
import { obj } from "./rules";

/** Cost rules of the Confluent Cloud resource types (see rules.ts for the contract). */

/** Statements that run until stopped (DDL statements finish and stop using CFUs). */
const CONTINUOUS_STATEMENT = /^\s*(INSERT\s|EXECUTE\s+STATEMENT\s+SET)/i;

export const CONFLUENT_RULES: Readonly<Record<string, Rule>> = {
  "confluentcloud:index/kafkaCluster:KafkaCluster": (r) => {
    // The provider takes the Enterprise block as a list (`enterprises: [{}]`).
    const kind = ["standard", "enterprise"].find(
      (k) => r.inputs[k] !== undefined || r.inputs[`${k}s`] !== undefined,
    );
    if (!kind) {
      const given = ["basic", "dedicated", "freight"].find((k) => r.inputs[k] !== undefined) ?? "unknown";
      throw new Error(`no price for a ${given} Kafka cluster (the table prices standard and enterprise)`);
    }
    // An Enterprise cluster of HIGH availability runs at least two eCKUs.
    const ecku = kind === "enterprise" && r.inputs.availability === "HIGH" ? 2 : 1;
    return [
      {
        item: `Kafka ${kind} cluster`,
        quantity: `${ecku} eCKU`,
        priceId: `confluent.kafka.${kind}`,
        units: ecku,
        assumption: ecku === 1 ? "idle minimum of 1 eCKU" : "idle minimum of 2 eCKUs (HIGH availability)",
      },
    ];
  },
  "confluentcloud:index/gateway:Gateway": () => [
    { item: "PrivateLink gateway", quantity: "1 gateway", priceId: "confluent.network.gateway", units: 1 },
  ],
  "confluentcloud:index/accessPoint:AccessPoint": (r) => {
    // An ingress access point registers our own VPC endpoint, priced on the AWS side.
    if (obj(r.inputs.awsEgressPrivateLinkEndpoint).vpcEndpointServiceName === undefined) return [];
    const zones = obj(r.inputs.awsEgressPrivateLinkEndpoint).enableHighAvailability === true ? 3 : 1;
    return [
      {
        item: "Egress PrivateLink endpoint",
        quantity: `${zones} zone${zones === 1 ? "" : "s"}`,
        priceId: "confluent.network.egressEndpoint",
        units: zones,
      },
    ];
  },
  "confluentcloud:index/connector:Connector": (r, ctx) => {
    const config = obj(r.inputs.configNonsensitive);
    const tasks = Number(config["tasks.max"] ?? 1);
    const connectorClass = String(config["connector.class"] ?? "connector");
    const oracle = connectorClass === "OracleXStreamSource";
    const gb = ctx.assumptions.connectorGbPerDay;
    return [
      {
        item: `${connectorClass} tasks`,
        quantity: `${tasks} task${tasks === 1 ? "" : "s"}`,
        priceId: oracle ? "confluent.connect.oracleXStreamTask" : "confluent.connect.task",
        units: tasks,
      },
      {
        item: `${connectorClass} throughput`,
        quantity: `${gb} GB/day`,
        priceId: "confluent.connect.throughput",
        units: gb,
        assumption: `${gb} GB/day per connector`,
      },
    ];
  },
  "confluentcloud:index/flinkComputePool:FlinkComputePool": (r, ctx) => {
    const maxCfu = Number(r.inputs.maxCfu);
    const running = ctx.runs
      .flatMap((run) => run.resources)
      .filter(
        (s) =>
          s.type === "confluentcloud:index/flinkStatement:FlinkStatement" &&
          CONTINUOUS_STATEMENT.test(String(s.inputs.statement ?? "")),
      ).length;
    const idle = Math.min(running, maxCfu);
    return [
      {
        item: "Flink compute pool",
        quantity: `${idle}–${maxCfu} CFU`,
        priceId: "confluent.flink.cfu",
        units: idle,
        unitsMax: maxCfu,
        assumption: `from ${idle} CFU (1 per running statement) to the flinkMaxCfu cap`,
      },
    ];
  },
  "confluentcloud:index/environment:Environment": (r) => {
    const pkg = obj(r.inputs.streamGovernance).package;
    if (pkg === undefined) return [];
    const name = String(pkg).toLowerCase();
    return [
      {
        item: `Stream Governance ${name} (Schema Registry)`,
        quantity: "1 environment",
        priceId: `confluent.governance.${name}`,
        units: 1,
      },
    ];
  },
};
