import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { ENGINES_DIR, javaCommand } from "./java-engine";

/** The major version in `java -version`'s first line, e.g. 17 for `openjdk version "17.0.15"`. */
export function javaMajor(versionOutput: string): number | undefined {
  const m = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!m) return undefined;
  return m[1] === "1" ? Number(m[2]) : Number(m[1]);
}

/** What is missing to run the engines, as one message, or undefined. */
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

/**
 * Checks the JDK and Maven, then builds engines/ (`mvn compile`, which also writes the classpath and
 * fetches the OpenSearch artifacts). Returns the problem, or undefined when the engines are ready.
 */
export function prepareEngines(log: (line: string) => void): string | undefined {
  const missing = missingPrerequisites();
  if (missing) return missing;
  log("building engines/ with Maven (the first run downloads Flink, Kafka and OpenSearch)");
  const build = spawnSync("mvn", ["-B", "-q", "-ntp", "-f", path.join(ENGINES_DIR, "pom.xml"), "compile"], {
    stdio: "inherit",
  });
  return build.status === 0
    ? undefined
    : `the Maven build of engines/ failed (exit ${build.status ?? build.signal})`;
}
