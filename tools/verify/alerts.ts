import { FilterLogEventsCommand } from "@aws-sdk/client-cloudwatch-logs";

/**
 * Whether the alert function ran for the verify accounts, read from its CloudWatch Logs group
 * (`/aws/lambda/<name>`): an account counts as alerted when a log event since verify started
 * names it. This relies on the function logging the account of each alert it publishes; only a
 * real run confirms the calls.
 */

export type LogsSend = (command: FilterLogEventsCommand) => Promise<unknown>;

export const logGroupOf = (functionName: string) => `/aws/lambda/${functionName}`;

/** True when the function logged a line naming `account` since `startTime` (epoch ms). */
export async function alertLogged(
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
        // A quoted term matches the exact text anywhere in the message.
        filterPattern: `"${account.replace(/"/g, "")}"`,
        limit: 1,
      }),
    )) as { events?: unknown[] };
    return (answer.events?.length ?? 0) > 0;
  } catch (err) {
    // The group appears with the function's first invocation.
    if ((err as { name?: string }).name === "ResourceNotFoundException") return false;
    throw err;
  }
}

/** Why the alert check did not run, or undefined when it can. */
export function alertsSkipReason(
  functionName: string | undefined,
  awsCredentials: boolean,
): string | undefined {
  if (!functionName)
    return "alerts are off in this deployment (processing:alertFunctionName is empty or absent)";
  if (!awsCredentials) return "no AWS credentials to read the function's CloudWatch Logs";
  return undefined;
}
