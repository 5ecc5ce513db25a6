import type { RecordedResource } from "../../tools/offline/mocks";
import type { StackRun } from "../../tools/offline/run-stack";

/** Resources of one type token (e.g. `aws:ec2/instance:Instance`), in registration order. */
export function ofType(run: StackRun, type: string): RecordedResource[] {
  return run.resources.filter((r) => r.type === type);
}

/** The single resource of a type (fails when there is none or more than one). */
export function onlyOfType(run: StackRun, type: string): RecordedResource {
  const found = ofType(run, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0]!;
}
