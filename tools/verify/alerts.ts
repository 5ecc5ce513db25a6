import { FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";
import { alertLogFilterPattern, parseAlertLogLine } from "../../lib/alert-log";
import type { Clock } from "../../lib/readiness";
import { pollUntil } from "../../lib/readiness";

/**
 * Whether the alert function published an alert for the verify accounts, read from its CloudWatch Logs
 * group (`/aws/lambda/<name>`): an account counts as alerted when, since verify started, the function
 * logged its published-alert line (lib/alert-log.ts) for that user name. Only a real run confirms the
 * calls.
 */

export type LogsSend = (command: FilterLogEventsCommand) => Promise<unknown>;

const logGroupOf = (functionName: string) => `/aws/lambda/${functionName}`;

/** True when the function logged a published alert for user `account` since `startTime` (epoch ms). */
async function alertLogged(
  send: LogsSend,
  functionName: string,
  account: string,
  startTime: number,
): Promise<boolean> {
  try {
    const answer = (await send(
      new FilterLogEventsCommand({
        logGroupName: logGroupOf(functionName),
        startTime,
        // Quoted terms narrow the search; the line itself is then read to match the user name exactly.
        filterPattern: alertLogFilterPattern(account),
        limit: 50,
      }),
    )) as { events?: { message?: unknown }[] };
    return (answer.events ?? []).some(
      (e) => typeof e.message === "string" && parseAlertLogLine(e.message)?.user === account,
    );
  } catch (err) {
    // The group appears with the function's first invocation.
    if ((err as { name?: string }).name === "ResourceNotFoundException") return false;
    throw err;
  }
}

/** Why the alert check did not run, or undefined when it can. */
function alertsSkipReason(functionName: string | undefined, awsCredentials: boolean): string | undefined {
  if (!functionName)
    return "alerts are off in this deployment (processing:alertFunctionName is empty or absent)";
  if (!awsCredentials) return "no AWS credentials to read the function's CloudWatch Logs";
  return undefined;
}

export interface AlertsInvokedArgs {
  readonly send: LogsSend;
  readonly functionName: string | undefined;
  readonly awsCredentials: boolean;
  readonly accounts: readonly string[];
  /** Epoch ms verify started: earlier log lines are not about this run. */
  readonly since: number;
  readonly clock: Clock;
  /** How long the alerts get to arrive, asked every 10 s. */
  readonly waitMs: number;
}

/** verify's alert line: invoked yes/no per account, or that it did not check and why. */
export async function alertsInvoked(a: AlertsInvokedArgs): Promise<string[]> {
  const fn = a.functionName;
  const skip = alertsSkipReason(fn, a.awsCredentials);
  if (skip || !fn) return [`alerts: not checked — ${skip}`];
  const seen = new Set<string>();
  try {
    await pollUntil({
      description: `alert function ${fn} invocations`,
      timeoutMs: a.waitMs,
      initialDelayMs: 10_000,
      maxDelayMs: 10_000,
      clock: a.clock,
      check: async () => {
        for (const acc of a.accounts) {
          if (!seen.has(acc) && (await alertLogged(a.send, fn, acc, a.since))) seen.add(acc);
        }
        return seen.size === a.accounts.length
          ? { state: "ready" }
          : { state: "waiting", status: `${seen.size} of ${a.accounts.length} seen` };
      },
    });
  } catch (err) {
    if ((err as Error).name !== "ReadinessTimeoutError") {
      return [`alerts: not checked — reading ${fn}'s logs failed: ${(err as Error).message}`];
    }
  }
  const per = a.accounts.map((acc) => `${acc} ${seen.has(acc) ? "yes" : "no"}`).join(", ");
  return [`Alert function ${fn} invoked for: ${per}`];
}
