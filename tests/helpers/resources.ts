import type { RecordedResource } from "../../tools/offline/mocks";
import type { StackRun } from "../../tools/offline/run-stack";

/** Resources of one type token (e.g. `aws:ec2/instance:Instance`), in registration order. */
export function ofType(run: StackRun, type: string): RecordedResource[] {
  return run.resources.filter((r) => r.type === type);
}

/** The one item of `found`, or an error naming `what` was sought and what was found instead. */
export function theOnly<T>(found: readonly T[], nameOf: (item: T) => string, what: string): T {
  const [first, ...more] = found;
  if (first === undefined || more.length > 0) {
    throw new Error(`expected one ${what}, found ${found.map(nameOf).join(", ") || "none"}`);
  }
  return first;
}

const resourceName = (r: RecordedResource) => r.name;

/** The one resource of `type` (whose name ends with `suffix`, when given); fails naming what it found. */
export function one(run: StackRun, type: string, suffix = ""): RecordedResource {
  return theOnly(
    ofType(run, type).filter((r) => r.name.endsWith(suffix)),
    resourceName,
    suffix ? `${type} named *${suffix}` : type,
  );
}

/** The one resource named `name` (of `type`, when given); fails naming what it found. */
export function byName(run: StackRun, name: string, type?: string): RecordedResource {
  return theOnly(
    run.resources.filter((r) => r.name === name && (type === undefined || r.type === type)),
    resourceName,
    `resource named ${name}${type ? ` of ${type}` : ""}`,
  );
}
