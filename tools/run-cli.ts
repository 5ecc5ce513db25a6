/** The `fraud-infra` command behind its entry point (`tools/fraud-infra.ts`). */
import { createInterface } from "node:readline/promises";
import { EXIT, USAGE, parseCli } from "./cli";
import type { Command, CliOptions } from "./cli";

// Each command's module is loaded only when it runs: `plan` then skips the Automation API and the
// AWS SDK clients of verify/status, and `--help` loads none of them.
async function run(command: Command, options: CliOptions): Promise<number> {
  if (command === "plan") {
    const { planCommand } = await import("./plan/command.js");
    return planCommand({
      stack: options.stack,
      overrides: options.overrides,
      ...(options.outDir ? { outDir: options.outDir } : {}),
    });
  }
  // Inside the runner (private mode): the same commands, run here and never delegated again.
  const inside = command === "inner";
  const effective = inside ? options.inner! : command;
  if (effective === "verify" || effective === "status") {
    const common = {
      stack: options.stack,
      inside,
      ...(options.outputsFile !== undefined ? { outputsFile: options.outputsFile } : {}),
    };
    if (effective === "status") {
      const { statusCommand } = await import("./status/command.js");
      return statusCommand(common);
    }
    const { verifyCommand } = await import("./verify/command.js");
    return verifyCommand({
      ...common,
      ...(options.timeoutSeconds !== undefined ? { timeoutSeconds: options.timeoutSeconds } : {}),
    });
  }
  const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
  const { deployCommand } = await import("./deploy/command.js");
  return deployCommand({
    op: effective,
    stack: options.stack,
    ...(options.only ? { only: options.only } : {}),
    yes: options.yes,
    ...(inside ? { inner: true } : {}),
    skipCredentialCheck: options.skipCredentialCheck,
    ...(options.json ? { json: true } : {}),
    ...(options.showSecrets ? { showSecrets: true } : {}),
    interactive,
    ask: async (question: string) => {
      const rl = createInterface({ input: process.stdin, output: process.stdout });
      try {
        return await rl.question(question);
      } finally {
        rl.close();
      }
    },
  });
}

export async function main(argv: readonly string[]): Promise<number> {
  const parsed = parseCli(argv);
  if (parsed.kind === "help") {
    process.stdout.write(USAGE + "\n");
    return EXIT.ok;
  }
  if (parsed.kind === "error") {
    process.stderr.write(`fraud-infra: ${parsed.message}\n\n${USAGE}\n`);
    return EXIT.usage;
  }
  return run(parsed.command, parsed.options);
}

/** Runs the command with the process's arguments and sets the exit code. */
export function runCli(): void {
  // The benchmark reads the peak memory of this process from here when /usr/bin/time is missing.
  if (process.env.FRAUD_INFRA_REPORT_MAXRSS) {
    process.on("exit", () =>
      process.stderr.write(`fraud-infra:maxrss-kib=${process.resourceUsage().maxRSS}\n`),
    );
  }
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(
        `fraud-infra: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
      process.exitCode = EXIT.failed;
    },
  );
}
