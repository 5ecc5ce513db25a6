import type { CostEstimate, CostRow, Range } from "./estimate";
import { subtotals, sumRows } from "./estimate";
import type { Price } from "./prices";

/**
 * Pure renderers of a cost estimate: the rows, the subtotals and totals per hour / day / 30-day
 * month, and the one-line summary; the plan's console text, its report and the README share them.
 */

export type Table = { headers: string[]; rows: string[][] };

const HOURS_PER_DAY = 24;
const DAYS_PER_MONTH = 30;

function usd(n: number, digits = 2): string {
  return `$${n.toFixed(digits)}`;
}

export function range(r: Range, digits = 2, scale = 1): string {
  const [min, max] = [usd(r.min * scale, digits), usd(r.max * scale, digits)];
  return min === max ? min : `${min}–${max}`;
}

export function unitPrice(price: Price): string {
  const mark = price.checked ? "" : " *";
  if (price.usd === 0) return `included${mark}`;
  if (price.per === "share-of-ec2") return `${Math.round(price.usd * 100)}% of EC2${mark}`;
  return `${usd(price.usd, price.usd < 0.1 ? 4 : 3)}/${price.per}${mark}`;
}

export function costRowsTable(rows: readonly CostRow[]): Table {
  return {
    headers: [
      "Stack",
      "Provider",
      "Item",
      "Resource",
      "Size / count",
      "Unit price",
      "Per hour",
      "Assumption",
    ],
    rows: rows.map((r) => [
      r.stack,
      r.provider,
      r.item,
      r.resource,
      r.quantity,
      unitPrice(r.price),
      range({ min: r.perHour, max: r.perHourMax }, 4),
      r.assumption ?? "",
    ]),
  };
}

const perPeriod = (label: string, perHour: Range) => [
  label,
  range(perHour, 4),
  range(perHour, 2, HOURS_PER_DAY),
  range(perHour, 2, HOURS_PER_DAY * DAYS_PER_MONTH),
];

export function costTotalsTable(estimate: CostEstimate): Table {
  const { stacks, providers } = subtotals(estimate);
  return {
    headers: ["Subtotal", "Per hour", "Per day", "Per 30-day month"],
    rows: [
      ...stacks.map((s) => perPeriod(`stack ${s.label}`, s.perHour)),
      ...providers.map((p) => perPeriod(p.label, p.perHour)),
      perPeriod("Total", sumRows(estimate.rows)),
    ],
  };
}

export function costSummary(estimate: CostEstimate): string {
  const total = sumRows(estimate.rows);
  const unchecked = new Set(estimate.rows.filter((r) => !r.price.checked).map((r) => r.priceId)).size;
  return (
    `COST ESTIMATE (not a bill): about ${range(total, 2, HOURS_PER_DAY)} per day ` +
    `(${range(total, 0, HOURS_PER_DAY * DAYS_PER_MONTH)} per 30-day month) while deployed, at ${estimate.region} ` +
    `on-demand list prices dated ${estimate.retrieved} (tools/plan/cost/prices.json). Ranges run from idle ` +
    `Flink to the flinkMaxCfu cap; usage rows follow the stated assumptions (config keys cost*). ` +
    `${unchecked} price(s) marked * are the best published figures found but unconfirmed: check them. ` +
    `Data transfer, Kafka throughput and storage, and request charges are not included.`
  );
}

export function unpricedLines(estimate: CostEstimate): string[] {
  return estimate.unpriced.map(
    (u) => `✗ no price for ${u.type} (${u.stack}: ${u.name}): ${u.reason}; add it to tools/plan/cost`,
  );
}
