import type * as confluentcloud from "@pulumi/confluentcloud";
import type * as pulumi from "@pulumi/pulumi";
import type { FlinkStatementSpec, FlinkTarget } from "../../lib/flink";
import { registerFlinkStatements } from "../../lib/flink";
import type { ScopeCrns } from "../../lib/role-bindings";
import { bindStackGrants, flinkTableGrants } from "./grants";

export interface FlinkTableAndJobArgs {
  readonly flink: FlinkTarget;
  /** Where to grant the statements' principal its rights on the table; absent in environment-admin mode. */
  readonly crns: ScopeCrns | undefined;
  /** Name of the table (and its topic). */
  readonly table: string;
  readonly createTable: { readonly name: string; readonly sql: string };
  readonly job: {
    readonly name: string;
    readonly sql: string;
    readonly properties?: Readonly<Record<string, string>>;
  };
  /** Create the statements here (public mode), or leave them to the data-plane stack (private mode). */
  readonly register: boolean;
  /** What the job waits for besides its table. */
  readonly jobAfter?: readonly pulumi.Resource[];
}

/**
 * A Flink table and the long-running job that writes it, as the rules and the alerts each have: the
 * statements' principal gets its rights on the table first; the two statements are returned as data
 * (keys `table` and `job`) and, when `register` is set, created as `<name>-table` and `<name>-job`.
 */
export function flinkTableAndJob(
  name: string,
  args: FlinkTableAndJobArgs,
  parent: pulumi.ComponentResource,
): {
  readonly specs: FlinkStatementSpec[];
  readonly statements: Partial<Record<"table" | "job", confluentcloud.FlinkStatement>>;
} {
  const bindings = bindStackGrants(
    name,
    flinkTableGrants(args.table),
    { accountId: args.flink.principalId, crns: args.crns, deployedAs: "flinkTable" },
    parent,
  );
  const specs: FlinkStatementSpec[] = [
    { key: "table", name: args.createTable.name, sql: args.createTable.sql, properties: {}, after: [] },
    {
      key: "job",
      name: args.job.name,
      sql: args.job.sql,
      properties: args.job.properties ?? {},
      after: ["table"],
    },
  ];
  const statements = args.register
    ? registerFlinkStatements(name, args.flink, specs, {
        parent,
        dependsOn: (spec) => [...bindings, ...(spec.key === "job" ? (args.jobAfter ?? []) : [])],
      })
    : {};
  return { specs, statements };
}
