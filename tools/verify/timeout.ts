import { PROJECTS } from "../../lib/contracts";
import { readProject, stackConfig } from "../offline/project-config";
import { hopSlideSeconds } from "../../stacks/processing/fraud-rules/sql";

/**
 * How long `verify` waits for the flags by default. A window closes once ordinary traffic moves
 * the watermark (5 s behind the newest transaction) past its end, which is at most one hop after
 * the fraud; a burst that straddles a hop boundary is whole only in the next window, hence two
 * hops. The margin covers CDC capture (Oracle → Kafka, seconds), the Flink job's emit and the
 * OpenSearch sink's batch flush (up to about a minute each), with room to spare.
 */
export const VERIFY_LATENCY_MARGIN_SECONDS = 180;

export function defaultTimeoutSeconds(windowMinutes: number): number {
  return 2 * hopSlideSeconds(windowMinutes) + VERIFY_LATENCY_MARGIN_SECONDS;
}

const FALLBACK_WINDOW_MINUTES = 10;

/**
 * The window length the stack runs with: `Pulumi.<stack>.yaml`, else the declared default. A
 * project file that cannot be read falls back to the default length (`up` would refuse it anyway).
 */
export function stackWindowMinutes(stack: string): number {
  let minutes: number;
  try {
    const project = readProject(PROJECTS.processing);
    minutes = Number(stackConfig(project, stack).config[`${project.name}:windowMinutes`]);
  } catch {
    return FALLBACK_WINDOW_MINUTES;
  }
  return Number.isInteger(minutes) && minutes > 0 ? minutes : FALLBACK_WINDOW_MINUTES;
}
