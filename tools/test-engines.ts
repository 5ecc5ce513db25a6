/**
 * `npm run test:engines`: the engine tier. The product's own artifacts run on the real engines: the
 * Flink statements on Apache Flink with a Kafka broker, the OpenSearch setup against OpenSearch with
 * its security plugin (engines/driver/*.test.ts, one file at a time: each starts its own engines).
 * Maven builds engines/ first; the first run downloads the engines into the local Maven repository.
 *   node --import tsx tools/test-engines.ts [node --test options, e.g. --test-name-pattern=…]
 */
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import * as path from "node:path";
import { prepareEngines } from "../engines/driver/build";
import { RAN_VERSIONS, ranVersions } from "../engines/driver/java-engine";

const ROOT = path.resolve(__dirname, "..");
const ENGINE_NAMES: Readonly<Record<string, string>> = {
  flink: "Apache Flink",
  kafka: "Apache Kafka",
  opensearch: "OpenSearch",
  "opensearch-security": "its security plugin",
  java: "Java",
};

function main(): number {
  const started = performance.now();
  rmSync(RAN_VERSIONS, { force: true });
  const problem = prepareEngines((line) => console.log(`test:engines: ${line}`));
  if (problem) {
    console.error(`test:engines: ${problem}`);
    return 2;
  }
  const tests = spawnSync(
    process.execPath,
    [
      "--import",
      "tsx",
      "--test",
      "--test-concurrency=1",
      "--test-reporter=spec",
      ...process.argv.slice(2),
      "engines/driver/*.test.ts",
    ],
    { cwd: ROOT, stdio: "inherit" },
  );
  const seconds = Math.round((performance.now() - started) / 1000);
  const versions = Object.entries(ranVersions())
    .map(([engine, version]) => `${ENGINE_NAMES[engine] ?? engine} ${version}`)
    .join(", ");
  console.log(
    `test:engines: ${tests.status === 0 ? "passed" : "FAILED"} in ${seconds} s on ${versions || "no engine"}`,
  );
  return tests.status ?? 1;
}

if (require.main === module) process.exit(main());
