/**
 * `npm run test:unit`: every `tests/**\/*.test.ts` file, in one shard per core (at most two), each
 * shard a single process (`--test-isolation=none`), so the provider SDKs, PGlite and the SQL grammar
 * load once per shard instead of once per file. Each shard's report is printed whole when it ends,
 * then one closing line for the whole suite.
 *   node tools/test-unit.ts [node --test options, e.g. --test-name-pattern=…]
 */
import { spawn } from "node:child_process";
import { availableParallelism } from "node:os";
import * as path from "node:path";

const ROOT = path.resolve(__dirname, "..");

export interface ShardResult {
  readonly code: number;
  readonly output: string;
}

/** The counts of node's spec reporter summary (`ℹ pass 12`), or undefined when it printed none. */
export function summaryCounts(output: string): { pass: number; fail: number } | undefined {
  const count = (name: string) => new RegExp(`^ℹ ${name} (\\d+)$`, "m").exec(output);
  const pass = count("pass");
  const fail = count("fail");
  return pass && fail ? { pass: Number(pass[1]), fail: Number(fail[1]) } : undefined;
}

/** The whole suite's result: every shard must have run and passed. */
export function combine(results: readonly ShardResult[]): { code: number; line: string } {
  let pass = 0;
  let fail = 0;
  let code = 0;
  for (const r of results) {
    const counts = summaryCounts(r.output);
    if (!counts || r.code !== 0) code = 1;
    pass += counts?.pass ?? 0;
    fail += counts?.fail ?? 0;
  }
  return { code, line: `${pass} passed, ${fail} failed` };
}

function runShard(index: number, total: number, extra: readonly string[]): Promise<ShardResult> {
  const args = [
    "--import",
    "tsx",
    "--test",
    "--test-isolation=none",
    "--test-reporter=spec",
    `--test-shard=${index}/${total}`,
    ...extra,
    "tests/**/*.test.ts",
  ];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("close", (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

async function main(): Promise<number> {
  const total = Math.max(1, Math.min(2, availableParallelism()));
  const shards = Array.from({ length: total }, (_, i) => runShard(i + 1, total, process.argv.slice(2)));
  const results: ShardResult[] = [];
  for (const [i, shard] of shards.entries()) {
    const result = await shard;
    process.stdout.write(`\n── shard ${i + 1}/${total} ──\n${result.output}`);
    results.push(result);
  }
  const { code, line } = combine(results);
  process.stdout.write(`\n${line}\n`);
  return code;
}

if (require.main === module) {
  main().then((code) => (process.exitCode = code));
}
