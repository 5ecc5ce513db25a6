import { ConfigError } from "../../lib/config";
import { UpstreamError } from "../../lib/stack-outputs";
import { StackRunError } from "../offline/run-stack";
import type { PlanError } from "./run-plan";

/**
 * What the user reads when a stack fails offline: the stack, what kind of failure, the message
 * of the error (config errors already name key, value and allowed values), and where to fix it.
 */
export function describePlanError(err: PlanError, stack: string): string {
  const cause = err.cause instanceof StackRunError ? err.cause.cause : err.cause;
  const where = `stacks/${err.stackProject}`;
  const done = err.completed.map((s) => s.run.project);
  const lines: string[] = [];
  if (cause instanceof ConfigError) {
    lines.push(`✗ ${err.stackProject} (stack ${stack}): invalid configuration, no resource was created.`);
    for (const p of cause.problems) {
      const key = p.key.includes(":") ? p.key : `${cause.project}:${p.key}`;
      lines.push(`  - ${key} = ${JSON.stringify(p.value ?? null)}: ${p.message}`);
    }
    lines.push(
      `  Fix it in ${where}/Pulumi.${stack}.yaml (or \`pulumi config set <key> <value>\` there);`,
      `  every key, its type and default is declared in ${where}/Pulumi.yaml.`,
    );
  } else if (cause instanceof UpstreamError) {
    lines.push(
      `✗ ${err.stackProject} (stack ${stack}): an upstream stack does not satisfy its output contract.`,
    );
    lines.push(...cause.message.split("\n").map((l) => `  ${l}`));
    lines.push("  The producing stack must export every field of its contract in lib/contracts.ts.");
  } else {
    const message = cause instanceof Error ? cause.message : String(cause);
    lines.push(`✗ ${err.stackProject} (stack ${stack}) failed:`);
    lines.push(...message.split("\n").map((l) => `  ${l}`));
  }
  if (done.length > 0) lines.push(`  Stacks planned before the failure: ${done.join(", ")}.`);
  return lines.join("\n");
}
