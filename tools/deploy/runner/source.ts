import { execFile } from "node:child_process";
import * as path from "node:path";
import type { SourceRevision } from "./runner";

const ROOT = path.resolve(__dirname, "..", "..", "..");

function git(args: readonly string[], encoding: "utf8" | "buffer"): Promise<string | Buffer> {
  return new Promise((resolve, reject) => {
    execFile("git", [...args], { cwd: ROOT, encoding, maxBuffer: 512 * 1024 * 1024 }, (err, stdout) =>
      err ? reject(new Error(`git ${args.join(" ")}: ${err.message}`)) : resolve(stdout),
    );
  });
}

/**
 * The committed revision of this repository (HEAD): what the runner builds is what the commit holds,
 * so uncommitted changes never reach it; the caller says so when the work tree has any.
 */
export async function gitRevision(): Promise<SourceRevision & { readonly dirty: boolean }> {
  const commit = String(await git(["rev-parse", "HEAD"], "utf8")).trim();
  const status = String(await git(["status", "--porcelain"], "utf8")).trim();
  return {
    commit,
    dirty: status !== "",
    archive: async () => (await git(["archive", "--format=zip", commit], "buffer")) as Buffer,
  };
}
