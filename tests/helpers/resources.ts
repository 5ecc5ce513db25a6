import type { RecordedResource } from "../../tools/offline/mocks";
import type { StackRun } from "../../tools/offline/run-stack";

/** Resources of one type token (e.g. `aws:ec2/instance:Instance`), in registration order. */
export function ofType(run: StackRun, type: string): RecordedResource[] {
  return run.resources.filter((r) => r.type === type);
}

function theOnly(found: readonly RecordedResource[], what: string): RecordedResource {
  const [first, ...more] = found;
  if (!first || more.length > 0) {
    throw new Error(`expected one ${what}, found ${found.map((r) => r.name).join(", ") || "none"}`);
  }
  return first;
}

/** The one resource of `type` (whose name ends with `suffix`, when given); fails naming what it found. */
export function one(run: StackRun, type: string, suffix = ""): RecordedResource {
  return theOnly(
    ofType(run, type).filter((r) => r.name.endsWith(suffix)),
    suffix ? `${type} named *${suffix}` : type,
  );
}

/** The one resource named `name` (of `type`, when given); fails naming what it found. */
export function byName(run: StackRun, name: string, type?: string): RecordedResource {
  return theOnly(
    run.resources.filter((r) => r.name === name && (type === undefined || r.type === type)),
    `resource named ${name}${type ? ` of ${type}` : ""}`,
  );
}
