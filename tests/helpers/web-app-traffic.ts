import type { FraudKind } from "../../stacks/processing/fraud-rules/sql";
import type { Row, SourceRows } from "./sql-engine";

/**
 * What the fraud web app writes to AUTH_USER and USER_TRANSACTION, as rows of the connector's
 * `auth_user` and `user_transaction` tables: ordinary traffic (one transaction of 0.25–50 from an
 * allowed address, for a random user) and its four "Commit Fraud" kinds, each account with the
 * reasons the rules must flag it with. One request's transactions are saved a few milliseconds
 * apart, so a fraud is a burst within a second.
 */

/** The web app's blocked and allowed source addresses. */
export const APP_BLOCKED_IPS = [
  "1.1.1.1",
  "1.0.0.1",
  "62.210.16.6",
  "145.239.32.25",
  "195.2.240.4",
  "80.80.80.80",
  "81.169.160.101",
  "91.121.0.0",
  "114.114.114.114",
  "223.5.5.5",
  "1.12.12.12",
  "202.54.1.1",
  "110.44.116.100",
  "116.203.0.1",
  "103.224.182.207",
  "203.2.75.123",
  "203.97.78.43",
  "165.227.56.83",
  "102.130.121.2",
  "41.79.129.2",
  "186.202.6.44",
  "200.40.30.245",
];
export const APP_ALLOWED_IPS = [
  "8.8.8.8",
  "8.8.4.4",
  "34.192.0.0",
  "52.0.0.0",
  "104.16.0.0",
  "172.217.0.0",
  "23.0.0.0",
  "192.0.2.0",
  "198.51.100.0",
  "203.0.113.0",
];

export interface TrafficAccount {
  readonly id: number;
  readonly what: string;
  /**
   * The reasons the account's latest flag must carry (its last fraudulent transaction, judged with
   * its 10-minute trailing window), in the rules' order; none: never flagged.
   */
  readonly expected: readonly FraudKind[];
  /** How many of its transactions break a rule when judged with their trailing window. @default 1 */
  readonly flaggedTransactions?: number;
  /** The reasons of its first flagged transaction, when they differ from `expected` (its alert). */
  readonly firstReasons?: readonly FraudKind[];
  /** The account's user row is never written. */
  readonly noUser?: true;
}

export interface WebAppTraffic extends SourceRows {
  readonly accounts: readonly TrafficAccount[];
}

/** Monday 2 March 2026, 09:00 UTC. */
export const T0 = Date.UTC(2026, 2, 2, 9, 0, 0);
const at = (minutes: number, seconds = 0) => T0 + Math.round((minutes * 60 + seconds) * 1000);

type Tx = readonly [atMs: number, amount: string, ip: string];
const burst = (start: number, amounts: readonly string[], ip: string): Tx[] =>
  amounts.map((a, i) => [start + i * 90, a, ip] as const);
const blocked = (i: number) => APP_BLOCKED_IPS[i % APP_BLOCKED_IPS.length] as string;
const allowed = (i: number) => APP_ALLOWED_IPS[i % APP_ALLOWED_IPS.length] as string;

const ELEVEN = [
  "12.10",
  "48.99",
  "0.25",
  "33.33",
  "7.50",
  "50.00",
  "21.40",
  "9.99",
  "44.01",
  "18.75",
  "26.00",
];

/** Deterministic ordinary traffic: ≥ 61 s apart, so at most 10 per 10-minute window. */
function ordinary(account: number): Tx[] {
  let seed = account * 7919;
  const next = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
  let t = at(0, account * 7);
  return Array.from({ length: 12 }, () => {
    t += (61 + next(600)) * 1000;
    return [t, (0.25 + next(4976) / 100).toFixed(2), allowed(next(100))] as const;
  });
}

const SCENARIOS: readonly (TrafficAccount & { readonly txs: readonly Tx[] })[] = [
  ...[1, 2, 3, 4, 5, 6].map((id) => ({ id, what: "ordinary traffic", expected: [], txs: ordinary(id) })),
  {
    id: 7,
    what: "busy but ordinary: 10 of 50.00 in 10 minutes",
    expected: [],
    txs: Array.from({ length: 10 }, (_, i) => [at(50, i * 61), "50.00", "8.8.8.8"] as const),
  },
  {
    id: 8,
    what: "ordinary, around midnight",
    expected: [],
    txs: [
      [Date.UTC(2026, 2, 2, 23, 55), "20.00", "23.0.0.0"],
      [Date.UTC(2026, 2, 3, 0, 5), "20.00", "23.0.0.0"],
    ],
  },
  {
    id: 9,
    what: "ordinary, from every allowed address",
    expected: [],
    txs: APP_ALLOWED_IPS.map((ip, i) => [at(130, i * 61), "0.25", ip] as const),
  },
  {
    id: 101,
    what: "too_many_count: 11 normal amounts from one allowed IP",
    expected: ["too_many_count"],
    txs: burst(at(20, 30), ELEVEN, "8.8.4.4"),
  },
  {
    id: 102,
    what: "too_many_count across a minute and a 10-minute boundary",
    expected: ["too_many_count"],
    txs: burst(at(39, 59.6), ELEVEN, "104.16.0.0"),
  },
  {
    id: 103,
    what: "too_many_amount: 50–1000 each until the total reaches 1000",
    expected: ["too_many_amount"],
    txs: burst(at(60, 10), ["612.40", "455.10"], "34.192.0.0"),
  },
  {
    id: 104,
    what: "too_large: one of 1000–1050 (also a window total above 1000)",
    expected: ["too_many_amount", "too_large"],
    txs: [[at(70, 5), "1023.45", "52.0.0.0"]],
  },
  {
    id: 105,
    what: "too_large at its lower edge, 1000.00",
    expected: ["too_large"],
    txs: [[at(71, 5), "1000.00", "172.217.0.0"]],
  },
  ...APP_BLOCKED_IPS.map((ip, i) => ({
    id: 110 + i,
    what: `too_far: a normal amount from ${ip}`,
    expected: ["too_far" as const],
    txs: [[at(80 + i, 15), "17.80", ip] as const],
  })),
  {
    id: 140,
    what: "all four at once: 11 of 100.00, then 1000.00 from a blocked IP",
    expected: ["too_many_count", "too_many_amount", "too_large", "too_far"],
    flaggedTransactions: 2,
    firstReasons: ["too_many_count", "too_many_amount"],
    txs: [...burst(at(110, 10), Array(11).fill("100.00"), "8.8.8.8"), [at(110, 12), "1000.00", blocked(9)]],
  },
  {
    id: 150,
    what: "10 transactions: not above the count",
    expected: [],
    txs: burst(at(120, 5), Array(10).fill("1.00"), "8.8.8.8"),
  },
  {
    id: 151,
    what: "a total of exactly 1000.00",
    expected: [],
    txs: burst(at(121, 5), ["500.00", "500.00"], "8.8.8.8"),
  },
  { id: 152, what: "999.99: just below too_large", expected: [], txs: [[at(122, 5), "999.99", "8.8.8.8"]] },
  {
    id: 160,
    what: "too_large from an account without a user row",
    expected: ["too_many_amount", "too_large"],
    noUser: true,
    txs: [[at(123, 5), "1020.00", "8.8.8.8"]],
  },
];

const micros = (ms: number) => ms * 1000;

/** The traffic as source rows (`$rowtime`: the Kafka append time, here the transaction's own time). */
export function webAppTraffic(): WebAppTraffic {
  let txId = 5000;
  const joined = T0 - 86_400_000;
  const users = SCENARIOS.filter((s) => !s.noUser).map((s) => ({
    ID: s.id,
    LAST_LOGIN: null,
    IS_SUPERUSER: false,
    USERNAME: `user${s.id}`,
    FIRST_NAME: "First",
    LAST_NAME: `Last${s.id}`,
    EMAIL: `user${s.id}@example.com`,
    IS_STAFF: false,
    IS_ACTIVE: true,
    DATE_JOINED: micros(joined),
    $rowtime: new Date(joined),
  }));
  const transactions: Row[] = SCENARIOS.flatMap((s) =>
    s.txs.map(([ms, amount, ip]) => ({
      ID: txId++,
      AMOUNT: amount,
      RECEIVED_AT: micros(ms),
      IP_ADDRESS: ip,
      ACCOUNT_ID: s.id,
      $rowtime: new Date(ms),
    })),
  );
  const accounts = SCENARIOS.map(({ txs: _txs, ...account }) => account);
  return { auth_user: users, user_transaction: transactions, accounts };
}

/** One flag of an account: a flagged_user upsert, or one flagged transaction. */
export interface FlaggedRow {
  readonly account_id: number;
  readonly reasons: string;
}

/**
 * What differs between the flags emitted and each account's expected verdict: an account's last
 * flag (in the order given) carries exactly its expected reasons, an account expected clean has no
 * flag, and no other account appears. `withUsers`: accounts without a user row cannot be flagged
 * (the rules job joins users). Empty: the rules catch what the app generates, and nothing else.
 */
export function verdictMismatches(
  traffic: WebAppTraffic,
  rows: readonly FlaggedRow[],
  opts: { readonly withUsers: boolean },
): string[] {
  const problems: string[] = [];
  for (const a of traffic.accounts) {
    const mine = rows.filter((r) => Number(r.account_id) === a.id);
    const want = opts.withUsers && a.noUser ? "" : a.expected.join(",");
    const last = mine.at(-1)?.reasons;
    if (want === "" && mine.length > 0) problems.push(`${a.id} (${a.what}) flagged: ${last}`);
    else if (want !== "" && last === undefined)
      problems.push(`${a.id} (${a.what}) not flagged, expected ${want}`);
    else if (want !== "" && last !== want)
      problems.push(`${a.id} (${a.what}) flagged ${last}, expected ${want}`);
  }
  const known = new Set(traffic.accounts.map((a) => a.id));
  for (const r of rows)
    if (!known.has(Number(r.account_id))) problems.push(`unknown account ${r.account_id}`);
  return problems;
}
