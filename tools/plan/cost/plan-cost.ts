import type { StackRun } from "../../offline/run-stack";
import { assumptionsFrom } from "./assumptions";
import type { CostEstimate } from "./estimate";
import { estimateCost } from "./estimate";
import type { PriceTable } from "./prices";
import { loadPriceTable } from "./prices";

/** The cost estimate of a finished plan: its stacks' runs, merged config and the first stack's region. */
export function planCost(
  stacks: readonly { run: StackRun; config: Readonly<Record<string, string>>; region: string }[],
  table: PriceTable = loadPriceTable(),
): CostEstimate {
  const config = Object.assign({}, ...stacks.map((s) => s.config)) as Record<string, string>;
  const region = stacks[0]?.region ?? "us-east-1";
  return estimateCost(
    stacks.map((s) => s.run),
    table,
    region,
    assumptionsFrom(config),
  );
}
