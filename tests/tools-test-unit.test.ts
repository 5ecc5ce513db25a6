import assert from "node:assert/strict";
import { test } from "node:test";
import { combine, summaryCounts } from "../tools/test-unit";

const report = (pass: number, fail: number) =>
  `✔ a\nℹ tests ${pass + fail}\nℹ pass ${pass}\nℹ fail ${fail}\n`;

test("the shards' summaries add up to one closing line", () => {
  assert.deepEqual(summaryCounts(report(400, 0)), { pass: 400, fail: 0 });
  assert.deepEqual(
    combine([
      { code: 0, output: report(400, 0) },
      { code: 0, output: report(348, 0) },
    ]),
    { code: 0, line: "748 passed, 0 failed" },
  );
});

test("a failing shard, or one that printed no summary (it crashed), fails the suite", () => {
  assert.deepEqual(
    combine([
      { code: 0, output: report(10, 0) },
      { code: 1, output: report(9, 1) },
    ]),
    { code: 1, line: "19 passed, 1 failed" },
  );
  assert.equal(summaryCounts("Error: Cannot find module"), undefined);
  assert.equal(combine([{ code: 0, output: "killed" }]).code, 1);
});
