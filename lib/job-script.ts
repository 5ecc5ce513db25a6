import * as path from "node:path";
import { buildSync } from "esbuild";

/** The repository root: bundles name their sources relative to it, so the text (and the Job's hash) is
 * the same whether `pulumi up` runs in a stack's folder or the plan runs at the root. */
const ROOT = path.resolve(__dirname, "..");

const bundles = new Map<string, string>();

/**
 * One self-contained CommonJS file for Node.js 24 from a TypeScript entry (e.g.
 * stacks/processing/opensearch-setup-main.ts), for an InClusterJob's ConfigMap. The entry and what it
 * imports must not import a Pulumi SDK: the Job runs the script alone.
 */
export function bundleJobScript(entryFromRoot: string): string {
  const cached = bundles.get(entryFromRoot);
  if (cached !== undefined) return cached;
  const result = buildSync({
    absWorkingDir: ROOT,
    entryPoints: [entryFromRoot],
    bundle: true,
    platform: "node",
    target: "node24",
    format: "cjs",
    write: false,
    minify: true,
    legalComments: "none",
    logLevel: "silent",
  });
  const text = result.outputFiles[0]?.text;
  if (!text) throw new Error(`bundling ${entryFromRoot} produced no output`);
  bundles.set(entryFromRoot, text);
  return text;
}
