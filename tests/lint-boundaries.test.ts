import assert from "node:assert/strict";
import * as path from "node:path";
import { test } from "node:test";
import { ESLint } from "eslint";

const ROOT = path.resolve(__dirname, "..");
const eslint = new ESLint({ cwd: ROOT });

/** The boundary findings ESLint reports for `code` as if it were the file at `file`. */
async function boundaryFindings(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: path.join(ROOT, file) });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === "fraud-infra/import-boundaries")
    .map((m) => m.message);
}

const forbidden: [string, string, RegExp][] = [
  [
    "stacks/processing/x.ts",
    'export { a } from "../aws-resources/oracle";',
    /stacks meet only through stack outputs/,
  ],
  [
    "stacks/processing/x.ts",
    'import { a } from "../../stacks/connector/config";\nexport { a };',
    /stacks\/connector/,
  ],
  ["stacks/connector/x.ts", 'import { a } from "../../policy/rules/util";\nexport { a };', /policy\/rules/],
  ["stacks/aws-resources/x.ts", 'import { a } from "../../tools/plan/format";\nexport { a };', /tools/],
  [
    "lib/x.ts",
    'import { a } from "../stacks/processing/config";\nexport { a };',
    /lib\/ may not import stacks\/processing/,
  ],
  [
    "policy/rules/x.ts",
    'import { a } from "../../stacks/connector/config";\nexport { a };',
    /may not import stacks/,
  ],
  [
    "policy/x.ts",
    'import type { StackRun } from "../tools/offline/run-stack";\nexport type { StackRun };',
    /policy\/ may not import tools\//,
  ],
  [
    "tools/x.ts",
    'import { a } from "../tests/helpers/resources";\nexport { a };',
    /tools\/ may not import tests/,
  ],
];

for (const [file, code, message] of forbidden) {
  test(`lint refuses ${code.split("\n")[0]} in ${file}`, async () => {
    const findings = await boundaryFindings(file, code);
    assert.equal(findings.length, 1, findings.join("\n"));
    assert.match(findings[0]!, message);
  });
}

test("lint allows a stack to import lib/ and its own files, and tests to import anything", async () => {
  assert.deepEqual(
    await boundaryFindings("stacks/processing/x.ts", 'export { a } from "../../lib/sql";'),
    [],
  );
  assert.deepEqual(await boundaryFindings("stacks/processing/x.ts", 'export { a } from "./config";'), []);
  assert.deepEqual(
    await boundaryFindings("tests/x.test.ts", 'export { a } from "../stacks/connector/config";'),
    [],
  );
});
