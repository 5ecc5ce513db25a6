/**
 * `npm run test:engines`: the engine tier. The product's own artifacts run on the real engines: the
 * Flink statements on Apache Flink with a Kafka broker, the OpenSearch setup against OpenSearch with
 * its security plugin (engines/driver/*.test.ts, one file at a time: each starts its own engines).
 * Maven builds engines/ first; the first run downloads the engines into the local Maven repository.
 *   node --import tsx tools/test-engines.ts [node --test options, e.g. --test-name-pattern=…]
 */
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync } from "node:fs";
import * as path from "node:path";
import { ENGINES_DIR, javaCommand } from "../engines/driver/java-engine";

const ROOT = path.resolve(__dirname, "..");
const VERSIONS = path.join(ENGINES_DIR, "target", "ran", "versions.json");
const ENGINE_NAMES: Readonly<Record<string, string>> = {
  flink: "Apache Flink",
  kafka: "Apache Kafka",
  opensearch: "OpenSearch",
  "opensearch-security": "its security plugin",
  java: "Java",
};

/** The major version in `java -version`'s first line, e.g. 17 for `openjdk version "17.0.15"`. */
export function javaMajor(versionOutput: string): number | undefined {
  const m = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!m) return undefined;
  return m[1] === "1" ? Number(m[2]) : Number(m[1]);
}

/** What is missing to run the engine tier, as one message, or undefined. */
function missingPrerequisites(): string | undefined {
  const java = spawnSync(javaCommand(), ["-version"], { encoding: "utf8" });
  const major = java.error ? undefined : javaMajor(`${java.stderr}${java.stdout}`);
  const mvn = spawnSync("mvn", ["-v"], { encoding: "utf8" });
  const problems = [
    ...(major === undefined ? ["a JDK (java on PATH or JAVA_HOME)"] : []),
    ...(major !== undefined && major < 17 ? [`JDK 17 or newer (found ${major})`] : []),
    ...(mvn.error || mvn.status !== 0 ? ["Maven (mvn on PATH)"] : []),
  ];
  return problems.length > 0 ? `the engine tier needs ${problems.join(" and ")}` : undefined;
}

function main(): number {
  const missing = missingPrerequisites();
  if (missing) {
    console.error(`test:engines: ${missing}`);
    return 2;
  }
  const started = performance.now();
  rmSync(VERSIONS, { force: true });
  console.log(
    "test:engines: building engines/ with Maven (the first run downloads Flink, Kafka and OpenSearch)",
  );
  const build = spawnSync("mvn", ["-B", "-q", "-ntp", "-f", path.join(ENGINES_DIR, "pom.xml"), "compile"], {
    cwd: ROOT,
    stdio: "inherit",
  });
  if (build.status !== 0) {
    console.error(`test:engines: the Maven build of engines/ failed (exit ${build.status ?? build.signal})`);
    return 1;
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
  const ran = existsSync(VERSIONS)
    ? (JSON.parse(readFileSync(VERSIONS, "utf8")) as Record<string, string>)
    : {};
  const versions = Object.entries(ran)
    .map(([engine, version]) => `${ENGINE_NAMES[engine] ?? engine} ${version}`)
    .join(", ");
  console.log(
    `test:engines: ${tests.status === 0 ? "passed" : "FAILED"} in ${seconds} s on ${versions || "no engine"}`,
  );
  return tests.status ?? 1;
}

if (require.main === module) process.exit(main());
