import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { test } from "node:test";

const ROOT = path.resolve(__dirname, "..");

/** Text a tracked file must not hold: the product speaks only of itself, by repo path or public URL. */
const FORBIDDEN: readonly [RegExp, string][] = [
  [new RegExp(["", "tmp", ""].join("/")), "a temporary-directory path"],
  [new RegExp(["issue", "#\\d+"].join(" "), "i"), "a reference to an issue of this project by number"],
  [new RegExp(["\\.\\.", "shared", ""].join("/")), "a path outside the repository"],
];

test("no tracked file cites a temporary path, an issue number or a file outside the repository", () => {
  const files = execFileSync("git", ["ls-files", "-z"], { cwd: ROOT, encoding: "utf8" })
    .split("\0")
    .filter((f) => f && !f.endsWith("package-lock.json"));
  const hits: string[] = [];
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(path.join(ROOT, file), "utf8");
    } catch {
      continue; // listed but not checked out (e.g. deleted in the work tree)
    }
    for (const [pattern, what] of FORBIDDEN) {
      const line = text.split("\n").findIndex((l) => pattern.test(l));
      if (line >= 0) hits.push(`${file}:${line + 1}: ${what}`);
    }
  }
  assert.deepEqual(hits, []);
});
