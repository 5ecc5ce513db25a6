import { systemClock } from "../../lib/readiness";
import { sendFirstTransaction } from "./first-transaction";

/**
 * Entry of the first-transaction Job (bundled by lib/bundle.ts, run as `node /job/main.js`).
 * Its only output is what `kubectl logs job/<name>` shows; the exit code is the Job's result.
 */
const url = process.env.TRANSACTION_URL ?? "";
const timeoutMs = Number(process.env.TIMEOUT_SECONDS ?? "0") * 1000;

sendFirstTransaction({ url, timeoutMs, fetch: (u, init) => fetch(u, init), clock: systemClock }).then(
  () => {
    console.log(`one transaction created (POST ${url})`);
    process.exit(0);
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exit(1);
  },
);
