import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { systemClock } from "../../lib/readiness";
import { notify, SeenKeys } from "./notify";

/**
 * The Lambda entry point: environment, SNS client and the invocation's batch. Everything else is in
 * notify.ts and alerts.ts. The SDK's own retries are off (maxAttempts 1) so one tested backoff
 * policy governs throttling.
 */

const topicArn = process.env.ALERT_TOPIC_ARN ?? "";
const dashboardUrl = process.env.DASHBOARD_URL ?? "";
const sns = new SNSClient({ maxAttempts: 1 });
// Module scope survives between invocations of a warm container: redelivered records are dropped.
const seen = new SeenKeys();

export async function handler(
  event: unknown,
): Promise<{ published: number; duplicates: number; skipped: number }> {
  if (topicArn === "") throw new Error("ALERT_TOPIC_ARN is not set");
  const entries = Array.isArray(event) ? event : [event];
  const result = await notify(entries, {
    publish: async ({ subject, body }) => {
      await sns.send(new PublishCommand({ TopicArn: topicArn, Subject: subject, Message: body }));
    },
    dashboardUrl,
    clock: systemClock,
    log: (line) => console.log(line),
    seen,
  });
  if (result.failed > 0) {
    throw new Error(`${result.failed} of ${entries.length} alerts could not be published (see the log)`);
  }
  return { published: result.published, duplicates: result.duplicates, skipped: result.skipped };
}
