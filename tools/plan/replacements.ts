import { isDeepStrictEqual } from "node:util";
import type { RecordedResource } from "../offline/mocks";
import type { StackRun } from "../offline/run-stack";
import { nameFromUrn } from "./format";
import { valueAt } from "./key-settings";

/**
 * Changes that would replace (or delete) a data store, found before anything changes. One warning
 * text for both sources: the offline plan compares the inputs that force a replacement between the
 * committed config and the config it is given (`plannedDataStoreChanges`); a real preview or up
 * reads the engine's own steps against the deployed state (`stepDataStoreChange`).
 */

interface DataStore {
  /** What the warning calls it. */
  readonly kind: string;
  /**
   * Inputs whose change replaces the resource: the provider's force-new arguments
   * (https://github.com/hashicorp/terraform-provider-aws, `ForceNew` in each resource's schema).
   */
  readonly replaceOn: readonly string[];
  /** Inputs changed in place, but disruptively (a resize): worth the same warning before `up`. */
  readonly disruptOn?: readonly string[];
  /** What a replacement means for the data, when not simply that it is lost. */
  readonly replaced?: string;
}

const FLINK_STATEMENT = "confluentcloud:index/flinkStatement:FlinkStatement";

const DATA_STORES: Readonly<Record<string, DataStore>> = {
  "aws:ec2/instance:Instance": {
    kind: "Oracle host",
    replaced:
      "the database stays on its data volume, which the new host reattaches, but the host's first-boot setup runs again and the CDC connector loses its connection until it is ready",
    replaceOn: [
      "ami",
      "availabilityZone",
      "subnetId",
      "keyName",
      "privateIp",
      "tenancy",
      "rootBlockDevice.encrypted",
      "rootBlockDevice.kmsKeyId",
    ],
  },
  "aws:ebs/volume:Volume": {
    kind: "Oracle data volume",
    replaceOn: ["availabilityZone", "encrypted", "kmsKeyId", "snapshotId", "outpostArn"],
  },
  "aws:redshift/cluster:Cluster": {
    kind: "Redshift cluster",
    replaceOn: [
      "clusterIdentifier",
      "clusterSubnetGroupName",
      "masterUsername",
      "snapshotIdentifier",
      "snapshotArn",
      "snapshotClusterIdentifier",
    ],
    disruptOn: ["nodeType", "numberOfNodes", "clusterType"],
  },
  "aws:opensearch/domain:Domain": {
    kind: "OpenSearch domain",
    replaceOn: ["domainName", "encryptAtRest.kmsKeyId", "vpcOptions"],
  },
  // A statement that creates a table owns its Kafka topic: a new statement name means the table is
  // to be created again, which an existing topic never is (see the warning).
  [FLINK_STATEMENT]: { kind: "Kafka topic", replaceOn: ["statementName"] },
};

/** The Flink table a statement creates, if it is a CREATE TABLE. */
function createdTable(inputs: Readonly<Record<string, unknown>> | undefined): string | undefined {
  const m = /^\s*CREATE TABLE (?:IF NOT EXISTS )?`?([\w.$-]+)`?/i.exec(String(inputs?.statement ?? ""));
  return m?.[1];
}

/** The data store a resource is, with the name the warning gives it; undefined for anything else. */
function dataStoreOf(
  type: string,
  inputs: Readonly<Record<string, unknown>> | undefined,
): { store: DataStore; label: string } | undefined {
  const store = DATA_STORES[type];
  if (!store) return undefined;
  if (type !== FLINK_STATEMENT) return { store, label: store.kind };
  const table = createdTable(inputs);
  return table ? { store, label: `${store.kind} ${table}` } : undefined;
}

export interface DataStoreChange {
  readonly project: string;
  /** The resource's logical name. */
  readonly name: string;
  /** What it is, e.g. `Redshift cluster` or `Kafka topic flagged_user`. */
  readonly label: string;
  readonly change: "replace" | "delete" | "resize";
  /** The inputs that cause it, when known. */
  readonly keys: readonly string[];
  readonly isTopic: boolean;
  /** What a replacement means for the data. */
  readonly consequence?: string;
  /** Pulumi refuses to replace or delete a protected resource: the change fails instead. */
  readonly protect?: boolean;
}

/** The warning line, the same for the offline plan, `preview` and `up`. */
export function dataStoreWarning(c: DataStoreChange): string {
  const cause = c.keys.length > 0 ? ` (${c.keys.join(", ")} changed)` : "";
  const what = `${c.project}: the ${c.label} ${c.name}`;
  if (c.change === "resize") {
    return `${what} would be resized in place${cause}: no data is lost, but it is unavailable or read-only while it resizes.`;
  }
  if (c.isTopic) {
    return (
      `${what} would be created again${cause}: a new CREATE TABLE never changes an existing table (it fails, or ` +
      "with IF NOT EXISTS does nothing), so applying the new definition means dropping the table first, which " +
      "deletes the topic and its data (docs/operations.md, topic retention)."
    );
  }
  const guard = c.protect
    ? " It is protected, so Pulumi will refuse the change and stop;"
    : " Nothing protects it (protectData is off);";
  return (
    `${what} would be ${c.change === "delete" ? "DELETED" : "REPLACED"}${cause}: ` +
    `${(c.change === "replace" && c.consequence) || "its data does not come along"}.` +
    `${guard} see docs/operations.md before \`up\`.`
  );
}

/** The keys among `keys` whose values differ, leaving out what the resource ignores. */
function changedKeys(before: RecordedResource, after: RecordedResource, keys: readonly string[]): string[] {
  return keys.filter(
    (k) =>
      !after.ignoreChanges.some((ignored) => k === ignored || k.startsWith(`${ignored}.`)) &&
      !isDeepStrictEqual(valueAt(before.inputs, k.split(".")), valueAt(after.inputs, k.split("."))),
  );
}

/**
 * Data-store changes between two offline runs of the same stacks: `before` with the committed
 * config, `after` with the planned one. Resources are matched by URN; a data store only in
 * `before` would be deleted.
 */
export function plannedDataStoreChanges(
  before: readonly StackRun[],
  after: readonly StackRun[],
): DataStoreChange[] {
  const changes: DataStoreChange[] = [];
  for (const run of after) {
    const old = before.find((b) => b.project === run.project);
    if (!old) continue;
    const now = new Map(run.resources.map((r) => [r.urn, r]));
    for (const previous of old.resources) {
      const found = dataStoreOf(previous.type, previous.inputs);
      if (!found) continue;
      const base = {
        project: run.project,
        name: previous.name,
        label: found.label,
        isTopic: previous.type === FLINK_STATEMENT,
        ...(found.store.replaced ? { consequence: found.store.replaced } : {}),
      };
      const current = now.get(previous.urn);
      if (!current) {
        // A statement that goes away leaves its table and topic as they are.
        if (!base.isTopic) changes.push({ ...base, change: "delete", keys: [], protect: previous.protect });
        continue;
      }
      const replaced = changedKeys(previous, current, found.store.replaceOn);
      const resized = changedKeys(previous, current, found.store.disruptOn ?? []);
      if (replaced.length > 0) {
        changes.push({ ...base, change: "replace", keys: replaced, protect: current.protect });
      } else if (resized.length > 0) {
        changes.push({ ...base, change: "resize", keys: resized });
      }
    }
  }
  return changes;
}

/** One engine step of a real preview or up, as the Automation API reports it. */
export interface StepView {
  readonly op: string;
  readonly urn: string;
  readonly type: string;
  /** Inputs that force the replacement, when the engine names them. */
  readonly keys?: readonly string[];
  readonly old?: { readonly inputs?: Readonly<Record<string, unknown>>; readonly protect?: boolean };
  readonly new?: { readonly inputs?: Readonly<Record<string, unknown>> };
}

/**
 * The data-store change an engine step announces: only the `replace` step of a replacement (its
 * create-replacement and delete-replaced steps are the same change) and plain deletes.
 */
export function stepDataStoreChange(project: string, step: StepView): DataStoreChange | undefined {
  if (step.op !== "replace" && step.op !== "delete") return undefined;
  const found = dataStoreOf(step.type, step.new?.inputs ?? step.old?.inputs);
  if (!found) return undefined;
  const isTopic = step.type === FLINK_STATEMENT;
  if (isTopic && step.op === "delete") return undefined;
  return {
    project,
    name: nameFromUrn(step.urn),
    label: found.label,
    change: step.op === "delete" ? "delete" : "replace",
    keys: [...(step.keys ?? [])],
    isTopic,
    ...(found.store.replaced ? { consequence: found.store.replaced } : {}),
    ...(step.old?.protect !== undefined ? { protect: step.old.protect } : {}),
  };
}
