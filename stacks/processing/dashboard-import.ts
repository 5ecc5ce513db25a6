import * as pulumi from "@pulumi/pulumi";
import type { OpenSearchClient, SavedObjectRef } from "../../lib/opensearch-api";
import { createOpenSearchClient } from "../../lib/opensearch-api";

/**
 * `DashboardImport`: a dynamic resource that puts the flagged-user index template into OpenSearch
 * and imports the dashboards' saved objects, so nothing is imported by hand. Create and update
 * overwrite (idempotent); update also removes objects no longer shipped; delete removes the saved
 * objects and the template. The HTTP logic lives in
 * lib/opensearch-api.ts (unit-tested); only a real `pulumi up` exercises this provider's calls.
 */

export interface DashboardImportState {
  /** Domain endpoint host name, without scheme. */
  readonly endpoint: string;
  readonly username: string;
  readonly password: string;
  readonly templateName: string;
  /** Composable index template body, JSON text. */
  readonly template: string;
  /** Saved objects, ndjson text. */
  readonly savedObjects: string;
  /** The saved objects' type and id, for deletes. */
  readonly objects: readonly SavedObjectRef[];
}

export type DashboardImportArgs = {
  readonly [K in keyof DashboardImportState]: pulumi.Input<DashboardImportState[K]>;
};

/** Everything but the credentials decides whether OpenSearch content must be written again. */
const CONTENT_KEYS = ["endpoint", "templateName", "template", "savedObjects"] as const;

/** The plan of one update: what to write and what the new content no longer has. */
export function staleContent(
  olds: DashboardImportState,
  news: DashboardImportState,
): { objects: SavedObjectRef[]; template?: string } {
  const keep = new Set(news.objects.map((o) => `${o.type}/${o.id}`));
  const sameDomain = olds.endpoint === news.endpoint;
  return {
    objects: sameDomain ? olds.objects.filter((o) => !keep.has(`${o.type}/${o.id}`)) : [],
    template: sameDomain && olds.templateName !== news.templateName ? olds.templateName : undefined,
  };
}

function client(s: DashboardImportState): OpenSearchClient {
  // Timers are unref'd: a pending request timeout must not keep the provider process alive.
  const clock = {
    now: () => Date.now(),
    sleep: (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms).unref()),
  };
  return createOpenSearchClient({
    endpoint: s.endpoint,
    username: s.username,
    password: s.password,
    fetch: (url, init) => fetch(url, init),
    clock,
  });
}

/** The template first, so an index the sink creates meanwhile gets the mapping; then the objects. */
async function write(s: DashboardImportState): Promise<void> {
  const os = client(s);
  await os.putIndexTemplate(s.templateName, JSON.parse(s.template));
  await os.importSavedObjects(s.savedObjects);
}

async function remove(s: DashboardImportState, what: ReturnType<typeof staleContent>): Promise<void> {
  const os = client(s);
  for (const ref of what.objects) await os.deleteSavedObject(ref);
  if (what.template) await os.deleteIndexTemplate(what.template);
}

const provider: pulumi.dynamic.ResourceProvider<DashboardImportState, DashboardImportState> = {
  async diff(_id, olds, news) {
    const changed = CONTENT_KEYS.filter((k) => olds[k] !== news[k]);
    const credentials = olds.username !== news.username || olds.password !== news.password;
    return {
      changes: changed.length > 0 || credentials,
      // A different domain is a different resource: write there, then clean up the old one.
      replaces: changed.includes("endpoint") ? ["endpoint"] : [],
    };
  },
  async create(inputs) {
    await write(inputs);
    return { id: `${inputs.endpoint}/${inputs.templateName}`, outs: inputs };
  },
  async update(_id, olds, news) {
    await write(news);
    await remove(news, staleContent(olds, news));
    return { outs: news };
  },
  async delete(_id, props) {
    await remove(props, { objects: [...props.objects], template: props.templateName });
  },
};

export class DashboardImport extends pulumi.dynamic.Resource {
  constructor(name: string, args: DashboardImportArgs, opts?: pulumi.CustomResourceOptions) {
    super(
      provider,
      name,
      args,
      // Kept in state for delete; the password must stay encrypted there.
      { ...opts, additionalSecretOutputs: ["password"] },
      "opensearch",
      "DashboardImport",
    );
  }
}
