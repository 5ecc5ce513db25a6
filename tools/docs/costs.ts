import type { CostEstimate } from "../plan/cost/estimate";
import type { PriceTable } from "../plan/cost/prices";
import { costSummary, costTotalsTable, unitPrice } from "../plan/cost/table";
import { markdownTable } from "../plan/format";

/**
 * The README's generated Costs section: the dev deployment's estimate (subtotals and totals), from
 * the same price table `npm run plan` reads.
 */
export function costsSection(estimate: CostEstimate, table: PriceTable): string {
  const totals = costTotalsTable(estimate);
  return [
    `Estimate for the \`dev\` stacks (\`npm run plan\` prints it for any config, row by row, and writes it to ` +
      `\`out/plan/report.md\`). Prices: ${estimate.region} on-demand list prices, dated **${table.retrieved}**.`,
    "",
    costSummary(estimate),
    "",
    markdownTable(totals.headers, totals.rows),
    "",
    "Every price with its source, the usage assumptions, the optional AWS budget alarm and what it does " +
      "not cover (Confluent Cloud): [docs/costs.md](docs/costs.md).",
  ].join("\n");
}

/** docs/costs.md's generated price list: each price of the estimate's region with its source page. */
export function pricesSection(region: string, table: PriceTable): string {
  const prices = Object.entries(table.regions[region] ?? {}).map(([id, price]) => [
    `\`${id}\``,
    unitPrice(price),
    price.checked ? "yes" : "no",
    price.source,
  ]);
  return [
    `Prices used (\`tools/plan/cost/prices.json\`, ${region}, dated **${table.retrieved}**; * = not confirmed on the source page when dated):`,
    "",
    markdownTable(["Price", "Unit price", "Confirmed", "Source"], prices),
  ].join("\n");
}
