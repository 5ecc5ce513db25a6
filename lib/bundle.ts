import { createHash } from "node:crypto";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { buildSync } from "esbuild";

/**
 * TypeScript entries of the repo bundled into one CommonJS file for Node.js 24: the scripts the
 * in-cluster Jobs run and the alert function. Paths in a bundle are named from the repository root,
 * so the text (and the hash a Job or function is named or updated by) is the same whether
 * `pulumi up` runs in a stack's folder or the plan runs at the root.
 */
const ROOT = path.resolve(__dirname, "..");

/** How an entry is bundled: `external` names the packages the runtime provides, left as `require` calls. */
const KINDS = {
  /** A Job script runs alone in the Node.js image, from a ConfigMap: everything inside, minified. */
  job: { minify: true, external: [] },
  /** The Lambda Node.js runtime ships the AWS SDK v3; the code stays as readable as the repo's. */
  lambda: { minify: false, external: ["@aws-sdk/*"] },
} as const;
type BundleKind = keyof typeof KINDS;

/**
 * Bundles kept between runs, each with the content hash of every file it was built from: a bundle is
 * reused only while all of them are unchanged, so it is always what esbuild would build now. It saves
 * an esbuild process per bundle on every plan, test and `pulumi up`.
 */
const BUNDLE_CACHE_DIR = path.join(ROOT, "node_modules", ".cache", "fraud-infra-bundles");

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

/** The cache file of an entry (from the repository root) bundled as `kind`. */
export const cacheFile = (entryFromRoot: string, kind: BundleKind) =>
  path.join(BUNDLE_CACHE_DIR, `${kind}-${entryFromRoot.replace(/[^A-Za-z0-9.-]+/g, "_")}.json`);

/** The bundle cached in `file`, or undefined when there is none or any of its inputs changed. */
export function cachedBundle(file: string): string | undefined {
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

function bundle(entryFromRoot: string, kind: BundleKind): string {
  const file = cacheFile(entryFromRoot, kind);
  const known = bundles.get(file) ?? cachedBundle(file);
  if (known !== undefined) {
    bundles.set(file, known);
    return known;
  }
  const result = buildSync({
    absWorkingDir: ROOT,
    entryPoints: [entryFromRoot],
    bundle: true,
    platform: "node",
    target: "node24",
    format: "cjs",
    external: [...KINDS[kind].external],
    write: false,
    minify: KINDS[kind].minify,
    legalComments: "none",
    logLevel: "silent",
    metafile: true,
  });
  const text = result.outputFiles[0]?.text;
  if (!text || result.errors.length > 0) throw new Error(`bundling ${entryFromRoot} produced no output`);
  bundles.set(file, text);
  const inputs = Object.fromEntries(Object.keys(result.metafile.inputs).map((f) => [f, hashOf(f) ?? ""]));
  try {
    mkdirSync(BUNDLE_CACHE_DIR, { recursive: true });
    writeFileSync(file, JSON.stringify({ inputs, text } satisfies CachedBundle));
  } catch {
    // A read-only checkout only loses the cache.
  }
  return text;
}

/**
 * The script of an InClusterJob's ConfigMap, from a TypeScript entry such as
 * stacks/processing/opensearch-setup/job-main.ts. The entry and what it imports must not import a
 * Pulumi SDK: the Job runs the script alone.
 */
export const bundleJobScript = (entryFromRoot: string): string => bundle(entryFromRoot, "job");

/** The code of a Lambda function for the Node.js runtime, from its TypeScript handler. */
export const bundleLambdaFunction = (entryFromRoot: string): string => bundle(entryFromRoot, "lambda");
