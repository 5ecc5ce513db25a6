import { parseArgs } from "node:util";
import type { StackProject } from "./stacks";
import { DEFAULT_STACK, STACK_ORDER, isStackProject } from "./stacks";

/** Argument parsing of the `fraud-infra` command, pure so every rule is tested. */

export const COMMANDS = ["plan", "preview", "up", "destroy", "outputs"] as const;
export type Command = (typeof COMMANDS)[number];

export const EXIT = { ok: 0, failed: 1, usage: 2, blockingFindings: 3 } as const;

export const USAGE = `Usage: fraud-infra <command> [options]

Commands:
  plan      Offline plan of all three stacks under Pulumi mocks: resources, outputs, policy
            findings, estimated deployment time; writes out/plan/deployment.mmd and report.md.
            Needs no Pulumi CLI and no cloud credentials.
  preview   pulumi preview of each stack, in order (Pulumi Automation API).
  up        pulumi up: aws-resources → connector → processing; stops at the first failed stack.
  destroy   pulumi destroy in reverse: processing → connector → aws-resources.
  outputs   The outputs of each deployed stack (secrets masked).

Options:
  --stack <name>          Pulumi stack name (config from Pulumi.<name>.yaml). Default: ${DEFAULT_STACK}
  --only <project>        preview/up/destroy/outputs: just one of ${STACK_ORDER.join(", ")}
  -y, --yes               up/destroy: proceed without asking (required when not on a terminal)
  --config <key=value>    plan: override a config value, key qualified as in \`pulumi config set\`
                          (e.g. connector:flinkMaxCfu=5, aws:region=eu-west-1); repeatable
  --out <dir>             plan: output directory. Default: out/plan
  --skip-credential-check preview/up/destroy: do not look for AWS / Confluent credentials
                          (e.g. when an instance or CI role provides them)
  -h, --help              Show this help

Exit codes: 0 success · 1 a stack failed, invalid config, or missing CLI/credentials ·
            2 usage error, or up/destroy refused without --yes · 3 plan: mandatory policy findings`;

export interface CliOptions {
  readonly stack: string;
  readonly only?: StackProject;
  readonly yes: boolean;
  readonly overrides: Readonly<Record<string, string>>;
  readonly outDir?: string;
  readonly skipCredentialCheck: boolean;
}

export type ParsedCli =
  | { readonly kind: "help" }
  | { readonly kind: "error"; readonly message: string }
  | { readonly kind: "run"; readonly command: Command; readonly options: CliOptions };

const STACK_NAME = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+){0,2}$/;

export function parseCli(argv: readonly string[]): ParsedCli {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      strict: true,
      options: {
        stack: { type: "string" },
        only: { type: "string" },
        yes: { type: "boolean", short: "y" },
        config: { type: "string", multiple: true },
        out: { type: "string" },
        "skip-credential-check": { type: "boolean" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (err) {
    return { kind: "error", message: (err as Error).message };
  }
  const { values, positionals } = parsed;
  if (values.help || positionals[0] === "help") return { kind: "help" };
  const [command, ...extra] = positionals;
  if (command === undefined) return { kind: "error", message: "missing command" };
  if (!(COMMANDS as readonly string[]).includes(command)) {
    return { kind: "error", message: `unknown command '${command}'; commands: ${COMMANDS.join(", ")}` };
  }
  if (extra.length > 0) return { kind: "error", message: `unexpected argument '${extra[0]}'` };
  const stack = values.stack ?? DEFAULT_STACK;
  if (!STACK_NAME.test(stack))
    return { kind: "error", message: `--stack '${stack}' is not a valid stack name` };
  const isPlan = command === "plan";
  if (values.only !== undefined) {
    if (isPlan)
      return { kind: "error", message: "--only does not apply to plan: each stack needs the ones before it" };
    if (!isStackProject(values.only)) {
      return {
        kind: "error",
        message: `--only must be one of ${STACK_ORDER.join(", ")}, not '${values.only}'`,
      };
    }
  }
  if (!isPlan && (values.config !== undefined || values.out !== undefined)) {
    return {
      kind: "error",
      message: "--config and --out apply to plan only (real runs use the stack's config)",
    };
  }
  const overrides: Record<string, string> = {};
  for (const item of values.config ?? []) {
    const eq = item.indexOf("=");
    const key = eq < 0 ? item : item.slice(0, eq);
    if (eq < 0 || !/^[A-Za-z0-9_-]+:[A-Za-z0-9_.-]+$/.test(key)) {
      return {
        kind: "error",
        message: `--config '${item}': expected <namespace:key>=<value>, e.g. connector:flinkMaxCfu=5`,
      };
    }
    overrides[key] = item.slice(eq + 1);
  }
  return {
    kind: "run",
    command: command as Command,
    options: {
      stack,
      ...(values.only !== undefined ? { only: values.only as StackProject } : {}),
      yes: values.yes ?? false,
      overrides,
      ...(values.out !== undefined ? { outDir: values.out } : {}),
      skipCredentialCheck: values["skip-credential-check"] ?? false,
    },
  };
}
