import type { EngineEventLike, StackHandle, StackOutput, Workspace } from "../../tools/deploy/orchestrate";
import type { StackProject } from "../../tools/stacks";

/** A fake Automation API workspace: records every call, fails where told. */
export class FakeWorkspace implements Workspace {
  readonly calls: string[] = [];
  constructor(
    private readonly opts: {
      failOn?: StackProject;
      missing?: StackProject[];
      config?: Record<string, string>;
      events?: EngineEventLike[];
      /** A stack's outputs instead of the default two. */
      outputs?: Partial<Record<StackProject, Record<string, StackOutput>>>;
    } = {},
  ) {}

  async select(project: StackProject, stack: string, create: boolean): Promise<StackHandle | undefined> {
    this.calls.push(`select ${project}/${stack}${create ? " (create)" : ""}`);
    if (this.opts.missing?.includes(project) && !create) return undefined;
    return {
      run: async (op, callbacks) => {
        this.calls.push(`${op} ${project}`);
        for (const e of this.opts.events ?? []) callbacks.onEvent(e);
        if (this.opts.failOn === project) {
          callbacks.onEvent({ diagnosticEvent: { severity: "error", message: `boom in ${project}` } });
          throw new Error(`${op} failed: exit status 255`);
        }
      },
      outputs: async () =>
        this.opts.outputs?.[project] ?? {
          url: { value: `https://${project}`, secret: false },
          pw: { value: "hunter2", secret: true },
        },
      // The stacks these tests deploy are public unless a test says otherwise (private runs the runner).
      getConfig: async (key) => ({ "aws-resources:networkMode": "public", ...this.opts.config })[key],
    };
  }
}
