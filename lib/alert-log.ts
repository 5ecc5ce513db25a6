/**
 * The one line the alert function logs per alert it published, and how `fraud-infra verify` reads it back
 * from the function's log group: a marker, then JSON with the account, its user name and the window. The
 * email address is left out: the log group is read more widely than the alert's recipients.
 */

const ALERT_LOG_MARKER = "FRAUD_ALERT_PUBLISHED";

export interface AlertLogEntry {
  readonly account: number;
  readonly user: string | null;
  /** Epoch milliseconds (UTC). */
  readonly windowStart: number;
  readonly windowEnd: number;
}

export function alertLogLine(a: {
  readonly accountId: number;
  readonly userName: string | null;
  readonly windowStart: number;
  readonly windowEnd: number;
}): string {
  const entry: AlertLogEntry = {
    account: a.accountId,
    user: a.userName,
    windowStart: a.windowStart,
    windowEnd: a.windowEnd,
  };
  return `${ALERT_LOG_MARKER} ${JSON.stringify(entry)}`;
}

/**
 * The entry of a log event's message, wherever the runtime put the line (Lambda's text format prefixes
 * time, request id and level), or undefined for any other message.
 */
export function parseAlertLogLine(message: string): AlertLogEntry | undefined {
  const at = message.indexOf(`${ALERT_LOG_MARKER} {`);
  if (at < 0) return undefined;
  try {
    const v = JSON.parse(message.slice(at + ALERT_LOG_MARKER.length + 1).trim()) as Record<string, unknown>;
    if (
      typeof v.account !== "number" ||
      typeof v.windowStart !== "number" ||
      typeof v.windowEnd !== "number"
    ) {
      return undefined;
    }
    const user = typeof v.user === "string" ? v.user : null;
    return { account: v.account, user, windowStart: v.windowStart, windowEnd: v.windowEnd };
  } catch {
    return undefined;
  }
}

/** A CloudWatch Logs filter pattern that finds the published-alert lines naming `userName`. */
export function alertLogFilterPattern(userName: string): string {
  return `"${ALERT_LOG_MARKER}" "${userName.replace(/["\\\\]/g, "")}"`;
}
