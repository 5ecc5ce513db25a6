import assert from "node:assert/strict";
import { test } from "node:test";
import { median, parseCpuSeconds, parseMaxRssKib } from "../tools/bench";

// Only the arithmetic of the benchmark is tested; its timings are machine-dependent by nature.

test("median of odd and even samples", () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
  assert.throws(() => median([]), /median of nothing/);
});

test("peak memory and CPU time from GNU time or the plan's own report", () => {
  const gnu =
    "\tUser time (seconds): 3.71\n\tSystem time (seconds): 0.55\n\tMaximum resident set size (kbytes): 571964\n";
  assert.equal(parseMaxRssKib(gnu), 571964);
  assert.equal(parseCpuSeconds(gnu), 3.71 + 0.55);
  assert.equal(parseMaxRssKib("warning\nfraud-infra:maxrss-kib=512000\n"), 512000);
  assert.equal(parseMaxRssKib("nothing here"), undefined);
  assert.equal(parseCpuSeconds("nothing here"), undefined);
});
