import { MASK } from "../offline/secrets";
import { formatValue, nameFromUrn, textTable } from "../plan/format";
import type { StackProject } from "../stacks";
import type { EngineEventLike, Operation, Reporter, StackOutput, StackResult } from "./orchestrate";

/**
 * Live progress of real runs, one line per resource change (CI logs and terminals alike), built
 * from Automation API engine events. Pure apart from the injected clock and writer.
 */

const PAST: Readonly<Record<string, string>> = {
  create: "created",
  update: "updated",
  delete: "deleted",
  replace: "replaced",
  "create-replacement": "created replacement",
  "delete-replaced": "deleted replaced",
  read: "read",
  refresh: "refreshed",
  import: "imported",
};

export function elapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${String(Math.floor(s / 60)).padStart(2, "0")}:${String(s % 60).padStart(2, "0")}`;
}

export class StackProgress {
  private readonly started: number;
  private readonly inFlight = new Set<string>();
  readonly counts = new Map<string, number>();
  readonly errors: string[] = [];
  failedResources = 0;

  constructor(
    readonly project: StackProject,
    readonly op: Operation,
    private readonly now: () => number,
  ) {
    this.started = now();
  }

  get done(): number {
    return [...this.counts.values()].reduce((a, b) => a + b, 0);
  }

  private prefix(): string {
    return `[${this.project} ${elapsed(this.now() - this.started)}]`;
  }

  /** Updates the counters; returns a line worth printing, if any. */
  handle(e: EngineEventLike): string | undefined {
    if (e.resourcePreEvent) {
      this.inFlight.add(e.resourcePreEvent.metadata.urn);
      return undefined;
    }
    if (e.resOutputsEvent) {
      const { op, urn, type } = e.resOutputsEvent.metadata;
      this.inFlight.delete(urn);
      this.counts.set(op, (this.counts.get(op) ?? 0) + 1);
      if (op === "same" || type === "pulumi:pulumi:Stack") return undefined;
      const verb = this.op === "preview" ? `will ${op}` : (PAST[op] ?? op);
      return `${this.prefix()} ${verb} ${type} ${nameFromUrn(urn)} (${this.done} done, ${this.inFlight.size} in progress)`;
    }
    if (e.resOpFailedEvent) {
      const { op, urn, type } = e.resOpFailedEvent.metadata;
      this.inFlight.delete(urn);
      this.failedResources++;
      return `${this.prefix()} ✗ ${op} failed: ${type} ${nameFromUrn(urn)}`;
    }
    if (e.diagnosticEvent) {
      const { severity, message, urn } = e.diagnosticEvent;
      const text = message.trim();
      if (severity === "error") {
        this.errors.push(urn ? `${nameFromUrn(urn)}: ${text}` : text);
        return `${this.prefix()} error: ${text}`;
      }
      if (severity === "warning") return `${this.prefix()} warning: ${text}`;
    }
    return undefined;
  }

  /** A still-alive line for long waits (an OpenSearch domain is silent for a quarter of an hour). */
  heartbeat(): string {
    const waiting = [...this.inFlight].map(nameFromUrn);
    const shown = waiting.slice(0, 3).join(", ") + (waiting.length > 3 ? `, +${waiting.length - 3}` : "");
    return `${this.prefix()} ${this.done} done, ${waiting.length} in progress${waiting.length > 0 ? `: ${shown}` : ""}`;
  }

  summary(result: StackResult): string {
    const took = elapsed(this.now() - this.started);
    const changes = [...this.counts]
      .filter(([op]) => op !== "same")
      .map(([op, n]) => `${n} ${PAST[op] ?? op}`)
      .concat(this.counts.get("same") ? [`${this.counts.get("same")} unchanged`] : []);
    const detail = changes.length > 0 ? ` — ${changes.join(", ")}` : "";
    if (result.status === "succeeded") return `✓ ${this.project}: ${this.op} succeeded in ${took}${detail}`;
    const why = this.errors[0] ?? result.error ?? "unknown error";
    return `✗ ${this.project}: ${this.op} FAILED after ${took}${detail}\n  ${why.split("\n").join("\n  ")}`;
  }
}

/** Renders stack outputs with secret values masked (unless `showSecrets`). */
export function outputsText(
  project: string,
  outputs: Record<string, StackOutput>,
  showSecrets = false,
): string {
  const rows = Object.keys(outputs)
    .sort()
    .map((k) => [k, outputs[k]!.secret && !showSecrets ? MASK : formatValue(outputs[k]!.value, 100)]);
  return `${project}:\n${rows.length > 0 ? textTable(["Output", "Value"], rows) : "(no outputs)"}\n`;
}

/** Starts a repeating callback; returns its stop function (injected in tests). */
export type Ticker = (every: number, tick: () => void) => () => void;

const realTicker: Ticker = (every, tick) => {
  const timer = setInterval(tick, every);
  timer.unref();
  return () => clearInterval(timer);
};

const HEARTBEAT_MS = 60_000;

export class ConsoleReporter implements Reporter {
  private readonly progress = new Map<StackProject, StackProgress>();
  private stopHeartbeat: (() => void) | undefined;

  constructor(
    private readonly write: (line: string) => void,
    private readonly now: () => number = Date.now,
    private readonly ticker: Ticker = realTicker,
  ) {}

  stackStarted(project: StackProject, op: Operation): void {
    const p = new StackProgress(project, op, this.now);
    this.progress.set(project, p);
    if (op === "outputs") return;
    this.write(`▶ ${project}: ${op}…`);
    this.stopHeartbeat = this.ticker(HEARTBEAT_MS, () => this.write(p.heartbeat()));
  }

  event(project: StackProject, event: EngineEventLike): void {
    const line = this.progress.get(project)?.handle(event);
    if (line) this.write(line);
  }

  // Raw CLI text duplicates the events; it is kept out of the log on purpose.
  output(): void {}

  stackFinished(project: StackProject, result: StackResult): void {
    this.stopHeartbeat?.();
    this.stopHeartbeat = undefined;
    const p = this.progress.get(project);
    if (p && p.op !== "outputs") this.write(p.summary(result));
    else if (result.status === "failed") this.write(`✗ ${project}: ${result.error ?? "failed"}`);
  }

  warning(_project: StackProject, line: string): void {
    this.write(`⚠ ${line}`);
  }

  outputs(project: StackProject, outputs: Record<string, StackOutput>): void {
    this.write(outputsText(project, outputs));
  }
}
