import type { Rule } from "./rules";
import { obj } from "./rules";

/** Cost rules of the Confluent Cloud resource types (see rules.ts for the contract). */

/** Statements that run until stopped (DDL statements finish and stop using CFUs). */
const CONTINUOUS_STATEMENT = /^\s*(INSERT\s|EXECUTE\s+STATEMENT\s+SET)/i;

export const CONFLUENT_RULES: Readonly<Record<string, Rule>> = {
  "confluentcloud:index/kafkaCluster:KafkaCluster": (r) => {
    const kind = ["standard", "enterprise"].find((k) => r.inputs[k] !== undefined);
    if (!kind) {
      const given = ["basic", "dedicated", "freight"].find((k) => r.inputs[k] !== undefined) ?? "unknown";
      throw new Error(`no price for a ${given} Kafka cluster (the table prices standard and enterprise)`);
    }
    return [
      {
        item: `Kafka ${kind} cluster`,
        quantity: "1 eCKU",
        priceId: `confluent.kafka.${kind}`,
        units: 1,
        assumption: "idle minimum of 1 eCKU",
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
