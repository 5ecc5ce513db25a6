import { flaggedUserSchema } from "../../stacks/processing/opensearch-setup/dashboard-content";

/**
 * The bulk requests the OpenSearch sink connector makes for `flagged_user` records, from the connector
 * config the processing stack renders: the target index, UPSERT as an `update` with `doc_as_upsert`
 * keyed by the record key (the account id), and a tombstone as a `delete` of that document. The
 * document carries every column of the table (`value.fields-include` = all), timestamps as epoch
 * milliseconds (the Avro `timestamp-millis` of a `TIMESTAMP_LTZ(3)`).
 */

export type FlaggedUserRow = Readonly<Record<string, string | number | null>>;

export interface SinkRecord {
  readonly key: { readonly account_id: number };
  /** null: a tombstone (the account's row was deleted from the upsert table). */
  readonly value: FlaggedUserRow | null;
}

export interface SinkWrites {
  readonly index: string;
  readonly upsert: boolean;
  readonly onNull: "DELETE" | "IGNORE" | "FAIL";
}

/** The write settings of a one-index OpenSearch sink config; anything else is refused. */
export function sinkWritesOf(config: Readonly<Record<string, string>>): SinkWrites {
  if (config["indexes.num"] !== "1") throw new Error(`expected indexes.num 1, got ${config["indexes.num"]}`);
  const index = config["index1.name"];
  if (!index) throw new Error("the sink config names no index1.name");
  const method = config["index1.write.method"] ?? "INSERT";
  if (method !== "UPSERT" && method !== "INSERT") throw new Error(`unknown index1.write.method ${method}`);
  const onNull = config["index1.behavior.on.null.values"] ?? "IGNORE";
  if (onNull !== "DELETE" && onNull !== "IGNORE" && onNull !== "FAIL") {
    throw new Error(`unknown index1.behavior.on.null.values ${onNull}`);
  }
  return { index, upsert: method === "UPSERT", onNull };
}

/** The table's columns, read from its rendered CREATE TABLE once per process. */
let columns: ReturnType<typeof flaggedUserSchema> | undefined;

/** One row as the connector's document: exactly the table's columns, timestamps as epoch milliseconds. */
export function sinkDocument(row: FlaggedUserRow): Record<string, string | number | null> {
  columns ??= flaggedUserSchema();
  const names = new Set(columns.map((c) => c.name));
  const unknown = Object.keys(row).filter((k) => !names.has(k));
  const missing = columns.filter((c) => !(c.name in row)).map((c) => c.name);
  const problems = [
    ...(missing.length > 0 ? [`missing ${missing.join(", ")}`] : []),
    ...(unknown.length > 0 ? [`unknown ${unknown.join(", ")}`] : []),
  ];
  if (problems.length > 0) {
    throw new Error(`a flagged_user row needs exactly the table's columns: ${problems.join("; ")}`);
  }
  return Object.fromEntries(
    columns.map(({ name, type }) => {
      const value = row[name] ?? null;
      if (value === null || !type.startsWith("TIMESTAMP")) return [name, value];
      const millis = typeof value === "number" ? value : Date.parse(value);
      if (!Number.isFinite(millis)) throw new Error(`${name} is not a time: ${value}`);
      return [name, millis];
    }),
  );
}

/** The `_bulk` body (ndjson) for `records`, in order. */
export function sinkBulkBody(writes: SinkWrites, records: readonly SinkRecord[]): string {
  const lines = records.flatMap((r): object[] => {
    const target = { _index: writes.index, _id: String(r.key.account_id) };
    if (r.value === null) {
      if (writes.onNull === "FAIL") throw new Error(`a tombstone for ${target._id} with on.null.values FAIL`);
      return writes.onNull === "DELETE" ? [{ delete: target }] : [];
    }
    const doc = sinkDocument(r.value);
    return writes.upsert ? [{ update: target }, { doc, doc_as_upsert: true }] : [{ index: target }, doc];
  });
  if (lines.length === 0) throw new Error("nothing to write");
  return lines.map((l) => JSON.stringify(l)).join("\n") + "\n";
}
