import assert from "node:assert/strict";
import { test } from "node:test";
import { javaMajor } from "../engines/driver/build";

test("the JDK's major version from `java -version`, old and new numbering", () => {
  assert.equal(javaMajor('openjdk version "17.0.15" 2025-04-15'), 17);
  assert.equal(javaMajor('openjdk version "25" 2025-09-16'), 25);
  assert.equal(javaMajor('java version "1.8.0_352"'), 8);
  assert.equal(javaMajor("command not found"), undefined);
});
