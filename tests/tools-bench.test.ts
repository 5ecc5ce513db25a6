import assert from "node:assert/strict";
import { test } from "node:test";
import { median, parseCpuSeconds, parseMaxRssKib, registeredTypes } from "../tools/bench";
import { sdkModuleOf } from "../tools/bench-floor";

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

test("the floor registers what the plan's report lists: one type per resource or component row", () => {
  const report = [
    "| Type | Name | Parent | Settings |",
    "|---|---|---|---|",
    "| aws:ec2/vpc:Vpc |   network | network | cidrBlock=10.0.0.0/16 |",
    "| fraud-infra:network:Network | network |  |  |",
    "| oracleHost | ec2-… |",
  ].join("\n");
  assert.deepEqual(registeredTypes(report), ["aws:ec2/vpc:Vpc", "fraud-infra:network:Network"]);
  assert.deepEqual(sdkModuleOf("aws:ec2/vpc:Vpc"), { sdk: "aws", submodule: "ec2" });
  assert.equal(sdkModuleOf("fraud-infra:network:Network"), undefined);
});
