import { runJob } from "../../lib/job-main";
import { systemClock } from "../../lib/readiness";
import { sendFirstTransaction } from "./first-transaction";

/**
 * Entry of the first-transaction Job (bundled by lib/bundle.ts, run as `node /job/main.js`).
 * Its only output is what `kubectl logs job/<name>` shows; the exit code is the Job's result.
 */
const url = process.env.TRANSACTION_URL ?? "";
const timeoutMs = Number(process.env.TIMEOUT_SECONDS ?? "0") * 1000;

runJob(async () => {
  await sendFirstTransaction({ url, timeoutMs, fetch: (u, init) => fetch(u, init), clock: systemClock });
  return `one transaction created (POST ${url})`;
});
