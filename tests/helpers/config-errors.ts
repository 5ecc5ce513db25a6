import assert from "node:assert/strict";
import { ConfigError } from "../../lib/config";
import type { StackRun } from "../../tools/offline/run-stack";
import { StackRunError } from "../../tools/offline/run-stack";

/**
 * Asserts that a stack run fails on its config before it registers any resource: a ConfigError
 * naming `<project>:<key>` whose message matches `message`.
 */
export async function assertConfigRefused(
  run: Promise<StackRun>,
  project: string,
  key: string,
  message: RegExp,
): Promise<void> {
  await assert.rejects(run, (err: unknown) => {
    assert.ok(err instanceof StackRunError, String(err));
    assert.ok(err.cause instanceof ConfigError, String(err.cause));
    assert.ok(
      err.message.includes(`${project}:${key} = `),
      `message names ${project}:${key}: ${err.message}`,
    );
    assert.match(err.message, message);
    assert.deepEqual(
      err.resources.map((r) => r.type),
      [],
      "registered before the error",
    );
    return true;
  });
}
