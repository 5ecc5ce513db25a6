import type { CostEstimate } from "../plan/cost/estimate";
import type { PriceTable } from "../plan/cost/prices";
import { costSummary, costTotalsTable, unitPrice } from "../plan/cost/table";
import { markdownTable } from "../plan/format";

/**
 * The README's generated Costs section: the dev deployment's estimate (subtotals and totals) and
 * the price list it uses, each price with its source page, from the same table `npm run plan` reads.
 */
export function costsSection(estimate: CostEstimate, table: PriceTable): string {
  const totals = costTotalsTable(estimate);
  const prices = Object.entries(table.regions[estimate.region] ?? {}).map(([id, price]) => [
    `\`${id}\``,
    unitPrice(price),
    price.checked ? "yes" : "no",
    price.source,
  ]);
  return [
    `Estimate for the \`dev\` stacks (\`npm run plan\` prints it for any config, row by row, and writes it to ` +
      `\`out/plan/report.md\`). Prices: ${estimate.region} on-demand list prices, dated **${table.retrieved}**.`,
    "",
    costSummary(estimate),
    "",
    markdownTable(totals.headers, totals.rows),
    "",
    `Prices used (\`tools/plan/cost/prices.json\`; * = not confirmed on the source page when dated):`,
    "",
    markdownTable(["Price", "Unit price", "Confirmed", "Source"], prices),
    "",
    "The optional AWS budget alarm, what it does not cover (Confluent Cloud) and how to change the " +
      "assumptions: [docs/costs.md](docs/costs.md).",
  ].join("\n");
}
