import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";

/**
 * Runs the engine tier's Java side (engines/src) on one request: `Main plan|run <request> <response>`.
 * `npm run test:engines` compiles it first and writes its classpath (tools/test-engines.ts).
 */

export const ENGINES_DIR = path.resolve(__dirname, "..");
const TARGET = path.join(ENGINES_DIR, "target");

/** What every answer carries, besides the command's own fields. */
export interface EngineResponse {
  readonly versions: { readonly flink: string; readonly kafka: string; readonly java: string };
  readonly error?: string;
}

// The JVM flags Flink's own distribution passes on Java 17 (its config.yaml, env.java.opts.all), so
// its serializers can reach the JDK classes they need.
const FLINK_JAVA_OPTS = [
  "java.base/java.lang",
  "java.base/java.lang.reflect",
  "java.base/java.net",
  "java.base/java.io",
  "java.base/java.nio",
  "java.base/java.text",
  "java.base/java.time",
  "java.base/java.util",
  "java.base/java.util.concurrent",
  "java.base/java.util.concurrent.atomic",
  "java.base/java.util.concurrent.locks",
  "java.base/sun.nio.ch",
].flatMap((pkg) => [`--add-opens=${pkg}=ALL-UNNAMED`]);

/** `java` from JAVA_HOME when set, else from PATH. */
export function javaCommand(): string {
  const home = process.env.JAVA_HOME;
  return home ? path.join(home, "bin", "java") : "java";
}

function classpath(): string {
  const file = path.join(TARGET, "classpath.txt");
  if (!existsSync(file)) {
    throw new Error(
      "engines/target/classpath.txt is missing: run `npm run test:engines`, which builds engines/",
    );
  }
  return [path.join(TARGET, "classes"), readFileSync(file, "utf8").trim()].join(path.delimiter);
}

/** Sends one request to the Java side and returns its answer; a process that fails says why. */
export async function runEngine<T extends EngineResponse>(
  command: "plan" | "run",
  request: unknown,
): Promise<T> {
  const dir = mkdtempSync(path.join(tmpdir(), `engines-${command}-`));
  const requestFile = path.join(dir, "request.json");
  const responseFile = path.join(dir, "response.json");
  writeFileSync(requestFile, JSON.stringify(request, null, 2));
  const args = [
    "-Xmx2g",
    "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
    ...FLINK_JAVA_OPTS,
    "-cp",
    classpath(),
    "dev.fraudinfra.engines.Main",
    command,
    requestFile,
    responseFile,
  ];
  try {
    const { code, output } = await new Promise<{ code: number; output: string }>((resolve, reject) => {
      const child = spawn(javaCommand(), args, { stdio: ["ignore", "pipe", "pipe"] });
      let output = "";
      child.stdout.on("data", (d: Buffer) => (output += d.toString()));
      child.stderr.on("data", (d: Buffer) => (output += d.toString()));
      child.on("error", reject);
      child.on("close", (c) => resolve({ code: c ?? 1, output }));
    });
    if (!existsSync(responseFile)) {
      throw new Error(`the engine process exited with ${code} and no answer:\n${output.slice(-4000)}`);
    }
    const response = JSON.parse(readFileSync(responseFile, "utf8")) as T;
    recordVersions(response.versions);
    if (response.error) throw new Error(`the engine failed: ${response.error}`);
    return response;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Where the engine tier records the versions it ran, for the closing line of `npm run test:engines`. */
export const RAN_VERSIONS = path.join(TARGET, "ran", "versions.json");

/** The versions recorded so far (none before the first engine answers). */
export function ranVersions(): Record<string, string> {
  return existsSync(RAN_VERSIONS)
    ? (JSON.parse(readFileSync(RAN_VERSIONS, "utf8")) as Record<string, string>)
    : {};
}

export function recordVersions(versions: Readonly<Record<string, string>>): void {
  mkdirSync(path.dirname(RAN_VERSIONS), { recursive: true });
  writeFileSync(RAN_VERSIONS, JSON.stringify({ ...ranVersions(), ...versions }, null, 2));
}
