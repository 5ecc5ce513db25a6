import * as path from "node:path";
import * as auto from "@pulumi/pulumi/automation";
import type { StackProject } from "../stacks";
import { stackDir } from "../stacks";
import type { StackHandle, StackOutput, Workspace } from "./orchestrate";
import { policyPackOptions } from "./policy-options";

/**
 * The thin adapter from the orchestration's `Workspace` to the Pulumi Automation API
 * (`LocalWorkspace` over each `stacks/<project>` directory, the program on disk as the CLI runs it),
 * with the policy pack on every preview and up.
 *
 * UNVERIFIED OFFLINE: the tests run without a Pulumi CLI, so only a real run confirms this file
 * (stack selection, event shapes, config decryption). Everything around it —
 * ordering, failure handling, checks, progress — is unit-tested against a fake workspace.
 */
export function automationWorkspace(): Workspace {
  // The language host starts `node` from PATH; put the Node running this tool (≥ 22) first so a
  // system Node 20 is never picked for the stacks.
  const envVars = { PATH: [path.dirname(process.execPath), process.env.PATH ?? ""].join(path.delimiter) };
  return {
    async select(project: StackProject, stackName: string, create: boolean) {
      const args = { workDir: stackDir(project), stackName };
      let stack: auto.Stack;
      try {
        stack = create
          ? await auto.LocalWorkspace.createOrSelectStack(args, { envVars })
          : await auto.LocalWorkspace.selectStack(args, { envVars });
      } catch (err) {
        if (err instanceof auto.StackNotFoundError) return undefined;
        throw err;
      }
      let config: Promise<auto.ConfigMap> | undefined;
      const handle: StackHandle = {
        async run(op, callbacks) {
          const useEnvironmentAdmin = (await handle.getConfig("connector:useEnvironmentAdmin")) === "true";
          const opts = {
            onEvent: callbacks.onEvent,
            onOutput: callbacks.onOutput,
            color: "never" as const,
            ...policyPackOptions(op, useEnvironmentAdmin, stackName),
          };
          if (op === "up") await stack.up(opts);
          else if (op === "preview") await stack.preview(opts);
          else await stack.destroy(opts);
        },
        async outputs() {
          const out = await stack.outputs();
          return Object.fromEntries(
            Object.entries(out).map(([k, v]): [string, StackOutput] => [
              k,
              { value: v.value, secret: v.secret },
            ]),
          );
        },
        async getConfig(key) {
          config ??= stack.getAllConfig();
          return (await config)[key]?.value;
        },
      };
      return handle;
    },
  };
}
