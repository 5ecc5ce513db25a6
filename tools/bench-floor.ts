/**
 * The offline plan's floor, for `npm run bench`: one process that loads the four provider SDKs (and
 * the modules of each resource type the plan registers) and registers the same resource types under
 * trivial mocks, doing nothing else: no config, no validation, no recording, no policy, no report.
 * A provider is registered as that SDK's provider, a dynamic resource with a trivial provider of its
 * own (the SDK serializes every dynamic provider, which is SDK cost, not the plan's).
 * It runs with the same cheap stack traces as the plan's harness (tools/offline/run-stack.ts), so the
 * ratio measures only what the plan adds.
 *   node --import tsx tools/bench-floor.ts <types.json>
 */
import { readFileSync } from "node:fs";
import { setSourceMapsSupport } from "node:module";
import * as pulumi from "@pulumi/pulumi";

/** The SDK submodule a type token lives in (`aws:ec2/vpc:Vpc` → `aws`, `ec2`); components have none. */
export function sdkModuleOf(type: string): { sdk: string; submodule: string } | undefined {
  const [sdk, mod] = type.split(":");
  if (!sdk || !mod || !["aws", "confluentcloud", "kubernetes", "random"].includes(sdk)) return undefined;
  return { sdk, submodule: mod.split("/")[0] ?? "index" };
}

class Mocked extends pulumi.CustomResource {}
class Dynamic extends pulumi.dynamic.Resource {}

type ProviderClass = new (name: string, args: object) => pulumi.Resource;

const TRIVIAL: pulumi.dynamic.ResourceProvider = { create: async () => ({ id: "floor" }) };

async function main(): Promise<void> {
  const types = JSON.parse(readFileSync(process.argv[2] ?? "", "utf8")) as string[];
  setSourceMapsSupport(false);
  Error.stackTraceLimit = 0;
  await pulumi.runtime.setMocks(
    {
      newResource: (a) => ({ id: `${a.name}-id`, state: a.inputs as Record<string, unknown> }),
      call: (a) => a.inputs as Record<string, unknown>,
    },
    "floor",
    "dev",
    false,
  );
  const sdks: Record<string, Record<string, unknown>> = {
    aws: await import("@pulumi/aws"),
    confluentcloud: await import("@pulumi/confluentcloud"),
    kubernetes: await import("@pulumi/kubernetes"),
    random: await import("@pulumi/random"),
  };
  const registered = types.map((type, i): pulumi.Resource => {
    const name = `r${i}`;
    const provider = /^pulumi:providers:(\w+)$/.exec(type)?.[1];
    const Provider = provider ? (sdks[provider]?.Provider as ProviderClass | undefined) : undefined;
    if (Provider) return new Provider(name, {});
    const dynamic = /^pulumi-nodejs:dynamic\/([^:]+):(.+)$/.exec(type);
    if (dynamic) return new Dynamic(TRIVIAL, name, {}, undefined, dynamic[1], dynamic[2]);
    const where = sdkModuleOf(type);
    // Touching the submodule loads it, as a program's `new aws.ec2.Vpc(…)` does.
    if (where && where.submodule !== "index") void sdks[where.sdk]?.[where.submodule];
    return where ? new Mocked(type, name, {}) : new pulumi.ComponentResource(type, name);
  });
  await Promise.all(registered.map((r) => new Promise((resolve) => r.urn.apply(resolve))));
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`bench-floor: ${(err as Error).message}\n`);
    process.exitCode = 1;
  });
}
