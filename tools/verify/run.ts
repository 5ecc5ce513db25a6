import type { FetchLike, OpenSearchClient } from "../../lib/opensearch-api";
import { createOpenSearchClient, isOpenSearchApiError } from "../../lib/opensearch-api";
import type { Clock } from "../../lib/readiness";
import type { ProbeState } from "./flags";
import { isFlagged, progressLine, resultTable, searchFlags, verdict } from "./flags";
import type { WebappClient } from "./webapp";
import { WebappError } from "./webapp";

/**
 * The verify run: web app health, OpenSearch reachable, one fraud of each kind, then ordinary
 * traffic every few seconds (event-time windows close only when later transactions move the
 * watermark) while polling the flagged-accounts index until each account carries its kind or the
 * time is up. Everything outside is injected: the clock (tests never wait), the clients, the
 * follow-up checks.
 */

export interface VerifyRunArgs {
  readonly kinds: readonly string[];
  readonly webapp: WebappClient;
  readonly opensearch: OpenSearchClient;
  readonly opensearchEndpoint: string;
  readonly opensearchUser: string;
  readonly index: string;
  readonly clock: Clock;
  readonly write: (line: string) => void;
  readonly timeoutSeconds: number;
  /** @default 10000 */
  readonly pollIntervalMs?: number;
  /** @default 3000 */
  readonly trafficIntervalMs?: number;
  /** Follow-up checks (Redshift, alerts); each returns the lines to print and never throws. */
  readonly followUps?: readonly ((accounts: readonly string[]) => Promise<string[]>)[];
}

/**
 * The domain the aws-resources outputs name, as its master user, over `fetch` (the real network by
 * default). Request timeouts run on `clock`, which must be real time whatever clock paces the run.
 */
export function outputsOpenSearchClient(
  aws: {
    readonly opensearchEndpoint: string;
    readonly opensearchMasterUser: string;
    readonly opensearchMasterPassword: string;
  },
  opts: { readonly fetch?: FetchLike; readonly clock: Clock; readonly maxAttempts: number },
): OpenSearchClient {
  return createOpenSearchClient({
    endpoint: aws.opensearchEndpoint,
    username: aws.opensearchMasterUser,
    password: aws.opensearchMasterPassword,
    fetch: opts.fetch ?? (fetch as unknown as FetchLike),
    clock: opts.clock,
    timeoutMs: 15_000,
    maxAttempts: opts.maxAttempts,
  });
}

/** A clear message for an OpenSearch failure: who was refused, where, and what to change. */
export function openSearchProblem(err: unknown, user: string, endpoint: string, index: string): string {
  const status = isOpenSearchApiError(err) ? err.status : undefined;
  const where = `https://${endpoint}`;
  if (status === 401) {
    return (
      `OpenSearch at ${where} rejected the credentials of user "${user}" (HTTP 401): check the ` +
      "aws-resources outputs opensearchMasterUser / opensearchMasterPassword (an --outputs file written " +
      "without --show-secrets holds no password)"
    );
  }
  if (status === 403) {
    return (
      `OpenSearch at ${where} refused user "${user}" (HTTP 403): the domain admits only the addresses in ` +
      "aws-resources:allowedCidrs (and Confluent's egress), so add this machine's public IP as a /32 there " +
      `and run \`fraud-infra up\`; or the user may not read index ${index}`
    );
  }
  const why = err instanceof Error ? err.message : String(err);
  return `cannot query OpenSearch at ${where} as user "${user}": ${why}`;
}

class Fatal extends Error {}

export async function runVerify(a: VerifyRunArgs): Promise<number> {
  const { clock, write } = a;
  const pollEvery = a.pollIntervalMs ?? 10_000;
  const trafficEvery = a.trafficIntervalMs ?? 3_000;
  const osProblem = (err: unknown) => openSearchProblem(err, a.opensearchUser, a.opensearchEndpoint, a.index);
  try {
    write("Checking the web app…");
    await a.webapp.health();
    write(`Checking OpenSearch (index ${a.index}) as user "${a.opensearchUser}"…`);
    try {
      await a.opensearch.count(a.index);
    } catch (err) {
      throw new Fatal(osProblem(err));
    }
    let states: ProbeState[] = [];
    for (const kind of a.kinds) {
      const account = await a.webapp.commitFraud(kind);
      states.push({ kind, account, postedAt: clock.now(), reasons: new Set() });
      write(`Committed ${kind} on account ${account}`);
    }
    const start = clock.now();
    const deadline = start + a.timeoutSeconds * 1000;
    let nextTraffic = start;
    let nextPoll = start + Math.min(pollEvery, trafficEvery);
    let trafficFailures = 0;
    let lastLine = "";
    write(
      `Waiting up to ${a.timeoutSeconds} s for the flags, with ordinary traffic every ${trafficEvery / 1000} s…`,
    );
    for (;;) {
      const now = clock.now();
      if (now >= nextTraffic && now < deadline) {
        nextTraffic = now + trafficEvery;
        try {
          await a.webapp.realTransaction();
        } catch (err) {
          if (trafficFailures++ === 0) write(`warning: ordinary traffic failed: ${(err as Error).message}`);
        }
      }
      if (now >= nextPoll || now >= deadline) {
        nextPoll = now + pollEvery;
        try {
          states = await searchFlags(a.opensearch, a.index, states, () => clock.now());
        } catch (err) {
          const status = isOpenSearchApiError(err) ? err.status : undefined;
          if (status === 401 || status === 403) throw new Fatal(osProblem(err));
          write(`warning: ${osProblem(err)} (retrying)`);
        }
        const line = progressLine(states, clock.now() - start);
        if (line !== lastLine) write((lastLine = line));
        if (states.every(isFlagged) || now >= deadline) break;
      }
      await clock.sleep(Math.max(1, Math.min(nextTraffic, nextPoll, deadline) - clock.now()));
    }
    write("");
    write(resultTable(states));
    if (trafficFailures > 1) write(`(${trafficFailures} ordinary transactions failed)`);
    const accounts = [...new Set(states.map((s) => s.account))];
    for (const check of a.followUps ?? []) for (const line of await check(accounts)) write(line);
    const v = verdict(states, a.timeoutSeconds);
    write(v.line);
    return v.code;
  } catch (err) {
    if (err instanceof Fatal || err instanceof WebappError) {
      write(`✗ ${err.message}`);
      return 1;
    }
    write(`✗ verify stopped: ${err instanceof Error ? err.message : String(err)}`);
    return 1;
  }
}
