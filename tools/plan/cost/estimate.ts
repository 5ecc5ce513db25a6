import type { RecordedResource } from "../../offline/mocks";
import type { StackRun } from "../../offline/run-stack";
import type { CostAssumptions } from "./assumptions";
import { CONFLUENT_RULES } from "./confluent-rules";
import type { Price, PriceTable } from "./prices";
import { noCostReason, regionPrices } from "./prices";
import type { Rule, RowSpec } from "./rules";
import { AWS_RULES } from "./rules";

/**
 * ESTIMATED running cost of a planned deployment: one row per billable item of the resources the
 * plan registered, priced from the checked-in table, with subtotals per stack and provider.
 */

const PROVIDERS = ["AWS", "Confluent Cloud"] as const;
export type Provider = (typeof PROVIDERS)[number];

export interface CostRow extends RowSpec {
  readonly stack: string;
  readonly provider: Provider;
  readonly resource: string;
  readonly price: Price;
  /** Low end (or the only value) per hour, and the high end of a range. */
  readonly perHour: number;
  readonly perHourMax: number;
}

/** A resource type with no price and no no-cost entry, or a size the table cannot price. */
export interface Unpriced {
  readonly stack: string;
  readonly type: string;
  readonly name: string;
  readonly reason: string;
}

export interface Range {
  readonly min: number;
  readonly max: number;
}

export interface CostEstimate {
  readonly region: string;
  readonly retrieved: string;
  readonly hoursPerMonth: number;
  readonly rows: readonly CostRow[];
  readonly unpriced: readonly Unpriced[];
}

const RULES: Readonly<Record<string, Rule>> = { ...AWS_RULES, ...CONFLUENT_RULES };

function providerOf(type: string): Provider {
  return type.startsWith("confluentcloud:") ? "Confluent Cloud" : "AWS";
}

/** Hourly cost of `units` at `price` (see RowSpec for what units mean per price unit). */
export function hourly(units: number, price: Price, hoursPerMonth: number): number {
  // Per-GB and per-build-minute prices take units per day.
  if (price.per === "GB" || price.per === "build-minute") return (units / 24) * price.usd;
  if (price.per.endsWith("-month")) return (units * price.usd) / hoursPerMonth;
  return units * price.usd;
}

/** Resource types the plan registered that have neither a rule nor a no-cost entry. */
export function unpricedTypes(types: Iterable<string>, table: PriceTable, rules = RULES): string[] {
  return [...new Set(types)].filter((t) => !rules[t] && noCostReason(table, t) === undefined).sort();
}

/** Throws naming every resource the estimate could not price (the suite runs it on the real plan). */
export function requireAllPriced(estimate: CostEstimate): void {
  if (estimate.unpriced.length === 0) return;
  const lines = estimate.unpriced.map((u) => `  - ${u.type} (${u.stack}: ${u.name}): ${u.reason}`);
  throw new Error(
    `resources without a price; add a rule in tools/plan/cost or a noCost entry in prices.json:\n${lines.join("\n")}`,
  );
}

export function estimateCost(
  runs: readonly StackRun[],
  table: PriceTable,
  region: string,
  assumptions: CostAssumptions,
  rules: Readonly<Record<string, Rule>> = RULES,
): CostEstimate {
  const prices = regionPrices(table, region);
  const rows: CostRow[] = [];
  const unpriced: Unpriced[] = [];
  for (const run of runs) {
    for (const r of run.resources) {
      if (!r.custom) continue;
      const rule = rules[r.type];
      const miss = (reason: string) =>
        unpriced.push({ stack: run.project, type: r.type, name: r.name, reason });
      if (!rule) {
        if (noCostReason(table, r.type) === undefined)
          miss("no cost rule and no no-cost entry for this type");
        continue;
      }
      try {
        for (const spec of rule(r, { prices, assumptions, run, runs }))
          rows.push(priced(spec, r, run, prices, table));
      } catch (err) {
        miss((err as Error).message);
      }
    }
  }
  return { region, retrieved: table.retrieved, hoursPerMonth: table.hoursPerMonth, rows, unpriced };
}

function priced(
  spec: RowSpec,
  r: RecordedResource,
  run: StackRun,
  prices: Readonly<Record<string, Price>>,
  table: PriceTable,
): CostRow {
  const price = prices[spec.priceId];
  if (!price) throw new Error(`the price table has no price ${spec.priceId}`);
  const perHour = hourly(spec.units, price, table.hoursPerMonth);
  const perHourMax = hourly(spec.unitsMax ?? spec.units, price, table.hoursPerMonth);
  return {
    ...spec,
    stack: run.project,
    provider: providerOf(r.type),
    resource: r.name,
    price,
    perHour,
    perHourMax,
  };
}

export function sumRows(rows: readonly CostRow[]): Range {
  return rows.reduce((t, r) => ({ min: t.min + r.perHour, max: t.max + r.perHourMax }), { min: 0, max: 0 });
}

export interface Subtotal {
  readonly label: string;
  readonly perHour: Range;
}

/** Subtotals per stack (in deployment order) and per provider. */
export function subtotals(estimate: CostEstimate): { stacks: Subtotal[]; providers: Subtotal[] } {
  const stackNames = [...new Set(estimate.rows.map((r) => r.stack))];
  return {
    stacks: stackNames.map((s) => ({
      label: s,
      perHour: sumRows(estimate.rows.filter((r) => r.stack === s)),
    })),
    providers: PROVIDERS.map((p) => ({
      label: p,
      perHour: sumRows(estimate.rows.filter((r) => r.provider === p)),
    })),
  };
}
