import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { buildSync } from "esbuild";

/** The repository root: bundles name their sources relative to it, so the text (and the Job's hash) is
 * the same whether `pulumi up` runs in a stack's folder or the plan runs at the root. */
const ROOT = path.resolve(__dirname, "..");

/**
 * Bundles kept between runs, each with the content hash of every file it was built from: a bundle is
 * reused only while all of them are unchanged, so it is always what esbuild would build now. It saves
 * an esbuild process per bundle on every plan, test and `pulumi up`.
 */
export const BUNDLE_CACHE_DIR = path.join(ROOT, "node_modules", ".cache", "fraud-infra-job-scripts");

interface CachedBundle {
  readonly inputs: Readonly<Record<string, string>>;
  readonly text: string;
}

const bundles = new Map<string, string>();

const hashOf = (file: string): string | undefined => {
  try {
    return createHash("sha256")
      .update(readFileSync(path.join(ROOT, file)))
      .digest("hex");
  } catch {
    return undefined;
  }
};

const cacheFile = (entryFromRoot: string) =>
  path.join(BUNDLE_CACHE_DIR, `${entryFromRoot.replace(/[^A-Za-z0-9.-]+/g, "_")}.json`);

/** The cached bundle of `entryFromRoot`, or undefined when there is none or any input changed. */
export function cachedBundle(entryFromRoot: string, file = cacheFile(entryFromRoot)): string | undefined {
  let cached: CachedBundle;
  try {
    cached = JSON.parse(readFileSync(file, "utf8")) as CachedBundle;
  } catch {
    return undefined;
  }
  const inputs = Object.entries(cached.inputs ?? {});
  if (inputs.length === 0 || typeof cached.text !== "string") return undefined;
  return inputs.every(([input, hash]) => hashOf(input) === hash) ? cached.text : undefined;
}

/**
 * One self-contained CommonJS file for Node.js 24 from a TypeScript entry (e.g.
 * stacks/processing/opensearch-setup-main.ts), for an InClusterJob's ConfigMap. The entry and what it
 * imports must not import a Pulumi SDK: the Job runs the script alone.
 */
export function bundleJobScript(entryFromRoot: string): string {
  const known = bundles.get(entryFromRoot) ?? cachedBundle(entryFromRoot);
  if (known !== undefined) {
    bundles.set(entryFromRoot, known);
    return known;
  }
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
    metafile: true,
  });
  const text = result.outputFiles[0]?.text;
  if (!text) throw new Error(`bundling ${entryFromRoot} produced no output`);
  bundles.set(entryFromRoot, text);
  const inputs = Object.fromEntries(Object.keys(result.metafile.inputs).map((f) => [f, hashOf(f) ?? ""]));
  try {
    mkdirSync(BUNDLE_CACHE_DIR, { recursive: true });
    writeFileSync(cacheFile(entryFromRoot), JSON.stringify({ inputs, text } satisfies CachedBundle));
  } catch {
    // A read-only checkout only loses the cache.
  }
  return text;
}
