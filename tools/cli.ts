import { parseArgs } from "node:util";
import type { StackProject } from "./stacks";
import { DEFAULT_STACK, STACK_ORDER, isStackProject } from "./stacks";
import { VERIFY_LATENCY_MARGIN_SECONDS } from "./verify/timeout";
import type { InnerCommand } from "./deploy/runner/runner";
import { INNER_COMMANDS } from "./deploy/runner/runner";

/** Argument parsing of the `fraud-infra` command, pure so every rule is tested. */

const COMMANDS = ["plan", "preview", "up", "destroy", "outputs", "verify", "status", "inner"] as const;
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
  outputs   The outputs of each deployed stack (secrets masked); --json prints one object keyed
            by project, each value what \`pulumi stack output --json\` prints for that stack.
  verify    End-to-end check of a deployed stack: commits each of the four kinds of fraud in the
            web app and waits until OpenSearch shows each account flagged with its reason
            (Redshift and alert checks when AWS credentials are available). See docs/verify.md.
  status    Read-only health in one table: Oracle ready signal, connectors, Flink statements,
            web app, OpenSearch document count, Redshift row counts.
  inner <up|preview|destroy|verify|status>
            What the runner runs inside the VPC of a private deployment (aws-resources:networkMode
            private): the data-plane stack, or verify/status from inside. preview/up/destroy/verify/
            status start it for you and stream its log; run it yourself only from inside the VPC.

Options:
  --stack <name>          Pulumi stack name (config from Pulumi.<name>.yaml). Default: ${DEFAULT_STACK}
  --only <project>        preview/up/destroy/outputs: just one of ${STACK_ORDER.join(", ")}
  -y, --yes               up/destroy: proceed without asking (required when not on a terminal)
  --config <key=value>    plan: override a config value, key qualified as in \`pulumi config set\`
                          (e.g. connector:flinkMaxCfu=5, aws:region=eu-west-1); repeatable
  --out <dir>             plan: output directory. Default: out/plan
  --skip-credential-check preview/up/destroy: do not look for AWS / Confluent credentials
                          (e.g. when an instance or CI role provides them)
  --json                  outputs: print JSON (the shape \`verify --outputs\` reads)
  --show-secrets          outputs: print secret values instead of [secret]
  --outputs <file>        verify/status: read the stacks' outputs from this file (written by
                          \`outputs --json --show-secrets\`) instead of Pulumi; needs no Pulumi CLI
  --timeout <seconds>     verify: how long to wait for the flags. Default: two window hops of the
                          stack's processing:windowMinutes plus ${VERIFY_LATENCY_MARGIN_SECONDS} s (300 s for 10-minute windows)
  -h, --help              Show this help

Exit codes: 0 success · 1 a stack failed, invalid config, or missing CLI/credentials; verify: a
            kind was not flagged or a check could not run; status: something is unhealthy ·
            2 usage error, or up/destroy refused without --yes · 3 plan: mandatory policy findings`;

export interface CliOptions {
  readonly stack: string;
  readonly only?: StackProject;
  readonly yes: boolean;
  readonly overrides: Readonly<Record<string, string>>;
  readonly outDir?: string;
  readonly skipCredentialCheck: boolean;
  /** outputs: JSON instead of tables. */
  readonly json?: boolean;
  /** outputs: secret values in clear. */
  readonly showSecrets?: boolean;
  /** verify/status: the outputs file instead of the Automation API. */
  readonly outputsFile?: string;
  /** verify: how long to wait for the flags. */
  readonly timeoutSeconds?: number;
  /** inner: what to run inside the VPC. */
  readonly inner?: InnerCommand;
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
        json: { type: "boolean" },
        "show-secrets": { type: "boolean" },
        outputs: { type: "string" },
        timeout: { type: "string" },
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
  let inner: InnerCommand | undefined;
  if (command === "inner") {
    const [sub, ...rest] = extra;
    if (!(INNER_COMMANDS as readonly (string | undefined)[]).includes(sub)) {
      return {
        kind: "error",
        message: `inner needs one of ${INNER_COMMANDS.join(", ")}, not '${sub ?? ""}'`,
      };
    }
    if (rest.length > 0) return { kind: "error", message: `unexpected argument '${rest[0]}'` };
    if (values.only !== undefined) return { kind: "error", message: "--only does not apply to inner" };
    inner = sub as InnerCommand;
  } else if (extra.length > 0) return { kind: "error", message: `unexpected argument '${extra[0]}'` };
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
  const checks = command === "verify" || command === "status";
  if (checks && values.only !== undefined) {
    return { kind: "error", message: `--only does not apply to ${command}: it checks all three stacks` };
  }
  if (command !== "outputs" && (values.json !== undefined || values["show-secrets"] !== undefined)) {
    return { kind: "error", message: "--json and --show-secrets apply to outputs only" };
  }
  // As do `inner verify|status`, run inside the VPC.
  if (!checks && command !== "inner" && values.outputs !== undefined) {
    return { kind: "error", message: "--outputs <file> applies to verify and status only" };
  }
  if (values.outputs === "") return { kind: "error", message: "--outputs needs a file name" };
  let timeoutSeconds: number | undefined;
  if (values.timeout !== undefined) {
    if (command !== "verify") return { kind: "error", message: "--timeout applies to verify only" };
    timeoutSeconds = Number(values.timeout);
    if (!/^\d+$/.test(values.timeout) || timeoutSeconds < 1 || timeoutSeconds > 86_400) {
      return {
        kind: "error",
        message: `--timeout '${values.timeout}': expected whole seconds from 1 to 86400`,
      };
    }
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
      ...(values.json ? { json: true } : {}),
      ...(values["show-secrets"] ? { showSecrets: true } : {}),
      ...(values.outputs !== undefined ? { outputsFile: values.outputs } : {}),
      ...(timeoutSeconds !== undefined ? { timeoutSeconds } : {}),
      ...(inner ? { inner } : {}),
    },
  };
}
