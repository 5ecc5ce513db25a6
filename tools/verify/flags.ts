import type { OpenSearchClient } from "../../lib/opensearch-api";
import { textTable } from "../plan/format";

/**
 * What verify waits for: each account the web app named appears in the flagged-accounts index
 * with its fraud kind among the `reasons` the rules job writes (a comma-separated list of the
 * kinds, e.g. `too_many_amount,too_large`). Pure apart from the one search call.
 */

export interface Probe {
  readonly kind: string;
  readonly account: string;
  /** Clock time of the POST that committed the fraud. */
  readonly postedAt: number;
}

export interface ProbeState extends Probe {
  /** Every reason seen on the account's document so far. */
  readonly reasons: ReadonlySet<string>;
  /** Clock time the account was first seen with its kind. */
  readonly flaggedAt?: number;
}

/** `user_name` → the reasons of its document, from a `_search` answer (empty when none). */
export function reasonsByAccount(answer: unknown): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const hits = (answer as { hits?: { hits?: unknown } } | undefined)?.hits?.hits;
  if (!Array.isArray(hits)) return out;
  for (const hit of hits) {
    const src = (hit as { _source?: { user_name?: unknown; reasons?: unknown } } | null)?._source;
    if (typeof src?.user_name !== "string") continue;
    const reasons = typeof src.reasons === "string" ? src.reasons.split(",").map((r) => r.trim()) : [];
    out.set(src.user_name, [...(out.get(src.user_name) ?? []), ...reasons.filter(Boolean)]);
  }
  return out;
}

/** The probes after one search answer seen at `now`: reasons accumulate, the first hit is kept. */
export function advance(states: readonly ProbeState[], answer: unknown, now: number): ProbeState[] {
  const found = reasonsByAccount(answer);
  return states.map((s) => {
    const reasons = new Set([...s.reasons, ...(found.get(s.account) ?? [])]);
    const flaggedAt = s.flaggedAt ?? (reasons.has(s.kind) ? now : undefined);
    return { ...s, reasons, ...(flaggedAt !== undefined ? { flaggedAt } : {}) };
  });
}

export const isFlagged = (s: ProbeState) => s.flaggedAt !== undefined;

/** The query for the verify accounts (`user_name` is a keyword field in the index template). */
function searchBody(accounts: readonly string[]) {
  return {
    size: Math.max(10, accounts.length * 2),
    query: { terms: { user_name: [...accounts] } },
    _source: ["user_name", "reasons"],
  };
}

export async function searchFlags(
  client: OpenSearchClient,
  index: string,
  states: readonly ProbeState[],
  now: () => number,
): Promise<ProbeState[]> {
  const answer = await client.search(index, searchBody([...new Set(states.map((s) => s.account))]));
  return advance(states, answer, now());
}

/** One progress line: how many are flagged and which kinds are still awaited. */
export function progressLine(states: readonly ProbeState[], elapsedMs: number): string {
  const done = states.filter(isFlagged).map((s) => s.kind);
  const waiting = states.filter((s) => !isFlagged(s)).map((s) => s.kind);
  const t = `${Math.floor(elapsedMs / 1000)} s`;
  return (
    `[verify ${t}] flagged ${done.length}/${states.length}` +
    (done.length > 0 ? `: ${done.join(", ")}` : "") +
    (waiting.length > 0 ? `; waiting for ${waiting.join(", ")}` : "")
  );
}

/** The final table: kind, account, flagged, reasons seen, seconds from POST to flag. */
export function resultTable(states: readonly ProbeState[]): string {
  return textTable(
    ["Kind", "Account", "Flagged", "Reasons seen", "Seconds to flag"],
    states.map((s) => [
      s.kind,
      s.account,
      isFlagged(s) ? "yes" : "no",
      s.reasons.size > 0 ? [...s.reasons].join(",") : "-",
      s.flaggedAt !== undefined ? String(Math.round((s.flaggedAt - s.postedAt) / 1000)) : "-",
    ]),
  );
}

/** The closing verdict and exit code: 0 only when every kind was flagged with its reason. */
export function verdict(
  states: readonly ProbeState[],
  timeoutSeconds: number,
): { code: 0 | 1; line: string } {
  const missing = states.filter((s) => !isFlagged(s));
  if (missing.length === 0) return { code: 0, line: `✓ all ${states.length} kinds of fraud were flagged.` };
  const which = missing.map((s) => `${s.kind} (account ${s.account})`).join(", ");
  return {
    code: 1,
    line:
      `✗ not flagged within ${timeoutSeconds} s: ${which}. ` +
      'See docs/verify.md ("A kind is not flagged") for what to check.',
  };
}
