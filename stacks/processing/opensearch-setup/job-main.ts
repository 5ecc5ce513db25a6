import * as path from "node:path";
import { runJob } from "../../../lib/job-main";
import { systemClock } from "../../../lib/readiness";
import { readSetupEnv, readSetupFiles, runOpenSearchSetup, setupClient } from "./setup-steps";

/**
 * Entry of the OpenSearch setup Job (bundled by lib/bundle.ts, run as `node /job/main.js` with the
 * ConfigMap's files next to it). `kubectl logs job/<name>` shows its progress or the client's error.
 */
runJob(async () => {
  const env = readSetupEnv(process.env);
  const { spec, savedObjects } = readSetupFiles(path.dirname(process.argv[1] ?? "."));
  const os = setupClient(env, (url, init) => fetch(url, init), systemClock);
  await runOpenSearchSetup(os, spec, savedObjects, env.sinkPassword, (line) => console.log(line));
  return "OpenSearch setup done";
});
