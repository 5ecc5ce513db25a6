import * as path from "node:path";
import { buildSync } from "esbuild";

const REPO_ROOT = path.resolve(__dirname, "..", "..");
export const ALERT_HANDLER = "functions/alert-notifier/handler.ts";

/**
 * The alert function as one CommonJS file for the Lambda Node.js runtime, bundled at deploy time
 * from the TypeScript in the repo. The AWS SDK v3 ships with the runtime, so `@aws-sdk/*` stays
 * external. Paths in the output are relative to the repository root, so the bundle (and the
 * function's code hash) is the same on every machine.
 */
export function bundleAlertFunction(entry = ALERT_HANDLER): string {
  const result = buildSync({
    absWorkingDir: REPO_ROOT,
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    target: "node24",
    format: "cjs",
    external: ["@aws-sdk/*"],
    write: false,
    legalComments: "none",
    logLevel: "silent",
  });
  const out = result.outputFiles[0];
  if (!out || result.errors.length > 0) throw new Error(`bundling ${entry} failed`);
  return out.text;
}
