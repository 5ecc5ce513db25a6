import { readFileSync } from "node:fs";
import * as path from "node:path";
import { z } from "zod";
import { typeMatches } from "../estimate";

/**
 * The checked-in price table (prices.json): dated list prices per region, each with the public
 * page it comes from, plus the resource types that cost nothing. Validated at load, so a malformed
 * file is an error naming the entry, never a silently wrong estimate.
 */

export const PRICES_FILE = path.join(__dirname, "prices.json");

const PRICE_UNITS = [
  "node-hour",
  "cluster-hour",
  "instance-hour",
  "gateway-hour",
  "address-hour",
  "load-balancer-hour",
  "LCU-hour",
  "eCKU-hour",
  "task-hour",
  "CFU-hour",
  "environment-hour",
  "GB",
  "GB-month",
  "secret-month",
  "key-month",
  "alarm-month",
  "metric-month",
  "share-of-ec2",
  "endpoint-zone-hour",
  "hosted-zone-month",
  "OCU-hour",
  "build-minute",
] as const;
export type PriceUnit = (typeof PRICE_UNITS)[number];

const zPrice = z.strictObject({
  usd: z.number().min(0),
  per: z.enum(PRICE_UNITS),
  source: z.url({
    protocol: /^https$/,
    error: "must be the https URL of the public page the price comes from",
  }),
  checked: z.boolean(),
  note: z.string().min(1).optional(),
});
export type Price = z.output<typeof zPrice>;

const zNoCost = z.strictObject({
  type: z.string().regex(/^[a-z][\w-]*:[^\s]*$/, {
    error: "must be a Pulumi type token, `*` at the end matches by prefix",
  }),
  why: z.string().min(1),
});
export type NoCostType = z.output<typeof zNoCost>;

const zPriceTable = z.strictObject({
  $comment: z.string().optional(),
  currency: z.literal("USD"),
  retrieved: z.iso.date({ error: "must be the date the prices were looked up, YYYY-MM-DD" }),
  hoursPerMonth: z.number().positive(),
  regions: z.record(z.string().regex(/^[a-z]{2}(-[a-z]+)+-\d$/), z.record(z.string(), zPrice)),
  noCost: z.array(zNoCost),
});
export type PriceTable = z.output<typeof zPriceTable>;

/** Parses a price table; the error names every bad entry by its path in the file. */
export function parsePriceTable(raw: unknown, file = "prices.json"): PriceTable {
  const result = zPriceTable.safeParse(raw);
  if (result.success) return result.data;
  const problems = result.error.issues.map((i) => `  - ${i.path.join(".") || "(root)"}: ${i.message}`);
  throw new Error(`${file} is not a valid price table:\n${problems.join("\n")}`);
}

export function loadPriceTable(file = PRICES_FILE): PriceTable {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (err) {
    throw new Error(`${path.basename(file)} cannot be read as JSON: ${(err as Error).message}`, {
      cause: err,
    });
  }
  return parsePriceTable(raw, path.basename(file));
}

/** The prices of one region; an error lists the regions the table has. */
export function regionPrices(table: PriceTable, region: string): Readonly<Record<string, Price>> {
  const prices = table.regions[region];
  if (!prices) {
    throw new Error(
      `the price table has no prices for region ${region}; it has: ${Object.keys(table.regions).join(", ")}`,
    );
  }
  return prices;
}

export function noCostReason(table: PriceTable, type: string): string | undefined {
  return table.noCost.find((n) => typeMatches(n.type, type))?.why;
}

/** `t3.xlarge` from the `t3.large` price: each size step up doubles it (large=1, xlarge=2, Nxlarge=2N). */
export function sizeFactor(size: string): number | undefined {
  if (size === "large") return 1;
  if (size === "xlarge") return 2;
  const m = /^(\d+)xlarge$/.exec(size);
  return m ? 2 * Number(m[1]) : undefined;
}
