import ipaddr from "ipaddr.js";
import type * as pulumi from "@pulumi/pulumi";
import { checkedConnectorConfig } from "../../lib/connector-config";
import type { SNAPSHOT_MODES } from "./config";

/**
 * Pure builders for the Oracle XStream CDC source: topic names, the connector configuration and the
 * Confluent egress addresses that must reach Oracle. Key names and values follow the settled facts in
 * Confluent's connector documentation (the Cloud plugin's own config definitions).
 */

/** The web app's tables the connector captures (Oracle upper-case names). */
export const CDC_TABLES = ["AUTH_USER", "USER_TRANSACTION"] as const;
export type CdcTable = (typeof CDC_TABLES)[number];

/**
 * Columns that never leave Oracle. AUTH_USER.PASSWORD is Django's password hash: nothing downstream
 * (fraud rules, Redshift, dashboards) needs it, and every copy of it would be one more place to leak it.
 */
const EXCLUDED_COLUMNS: Readonly<Partial<Record<CdcTable, readonly string[]>>> = {
  AUTH_USER: ["PASSWORD"],
};

/** `fd` + `SAMPLE` + `AUTH_USER` → `fd.SAMPLE.AUTH_USER` (characters invalid in a topic name become `_`). */
export function cdcTopic(topicPrefix: string, schema: string, table: string): string {
  return [topicPrefix, schema, table].map((part) => part.replace(/[^A-Za-z0-9._-]/g, "_")).join(".");
}

const escapeRegex = (s: string) => s.replace(/[.*+?^${}()|[\]\\#]/g, (c) => (c === "." ? "[.]" : `\\${c}`));

/**
 * `table.include.list`: comma-separated regexes, each anchored by the connector to a whole
 * `SCHEMA.TABLE` id. (`table.inclusion.regex` belongs to the older LogMiner connector.)
 */
export function tableIncludeList(schema: string, tables: readonly string[]): string {
  return tables.map((t) => `${escapeRegex(schema)}[.]${escapeRegex(t)}`).join(",");
}

/**
 * `column.exclude.list`: anchored regexes on `SCHEMA.TABLE.COLUMN`
 * (docs/design-decisions.md#the-password-hash-stays-in-oracle).
 */
export function columnExcludeList(schema: string): string {
  return Object.entries(EXCLUDED_COLUMNS)
    .flatMap(([table, columns]) =>
      (columns ?? []).map((c) => `${escapeRegex(schema)}[.]${escapeRegex(table)}[.]${escapeRegex(c)}`),
    )
    .join(",");
}

/** What the connector needs from the aws-resources stack. */
export interface OracleEndpoint {
  readonly oracleHost: string;
  readonly oraclePort: number;
  readonly oracleServiceName: string;
  readonly oraclePdbName: string;
  readonly oracleSchema: string;
  readonly oracleOutboundServer: string;
  readonly oracleXstreamUser: string;
  /** A Pulumi secret in programs. */
  readonly oracleXstreamPassword: pulumi.Input<string>;
}

export interface OracleCdcSettings {
  /** Connector name, unique in the cluster. */
  readonly connectorName: string;
  /** topic.prefix; never change it on a running connector (its schema-history topic is lost). */
  readonly topicPrefix: string;
  readonly snapshotMode: (typeof SNAPSHOT_MODES)[number];
  /** database.processor.licenses (required on Confluent Cloud). */
  readonly processorLicenses: number;
  /** The cdc-source service account the connector authenticates as. */
  readonly serviceAccountId: pulumi.Input<string>;
}

export interface OracleCdcConfig {
  readonly nonsensitive: Readonly<Record<string, pulumi.Input<string>>>;
  readonly sensitive: Readonly<Record<string, pulumi.Input<string>>>;
}

/**
 * The OracleXStreamSource configuration. Nothing secret is in `nonsensitive` (stored in plain text
 * in state); the database password is the only sensitive key, and Kafka access needs no secret at
 * all because the connector runs as its service account.
 */
export function oracleCdcConfig(db: OracleEndpoint, s: OracleCdcSettings): OracleCdcConfig {
  return checkedConnectorConfig(s.connectorName, {
    nonsensitive: {
      "connector.class": "OracleXStreamSource",
      name: s.connectorName,
      "kafka.auth.mode": "SERVICE_ACCOUNT",
      "kafka.service.account.id": s.serviceAccountId,
      "database.hostname": db.oracleHost,
      "database.port": String(db.oraclePort),
      "database.user": db.oracleXstreamUser,
      // XE is a single-instance CDB whose database name is its service name.
      "database.dbname": db.oracleServiceName,
      "database.service.name": db.oracleServiceName,
      "database.pdb.name": db.oraclePdbName,
      "database.out.server.name": db.oracleOutboundServer,
      "database.processor.licenses": String(s.processorLicenses),
      // Encrypted by Oracle Native Network Encryption instead of TLS:
      // docs/design-decisions.md#encryption-of-the-cdc-path
      "database.tls.mode": "disable",
      "table.include.list": tableIncludeList(db.oracleSchema, CDC_TABLES),
      "column.exclude.list": columnExcludeList(db.oracleSchema),
      "topic.prefix": s.topicPrefix,
      // docs/design-decisions.md#one-wire-format-avro
      "output.data.format": "AVRO",
      "output.key.format": "AVRO",
      "snapshot.mode": s.snapshotMode,
      // Money must not be lossy: NUMBER(12,2) stays an Avro decimal (Flink DECIMAL(12,2)), never a double.
      "decimal.handling.mode": "precise",
      "tasks.max": "1",
    },
    sensitive: {
      "database.password": db.oracleXstreamPassword,
    },
  });
}

/** One entry of `confluentcloud.getIpAddresses`. */
export interface IpAddressEntry {
  readonly ipPrefix: string;
  readonly cloud: string;
  readonly region: string;
  readonly services: readonly string[];
  readonly addressType: string;
}

/**
 * The CONNECT egress CIDRs of AWS `region`, filtered again here (whatever the data source's own
 * filter did), de-duplicated and sorted so the rule set is stable between runs. A malformed prefix
 * is an error rather than a rule.
 */
export function connectEgressCidrs(entries: readonly IpAddressEntry[], region: string): string[] {
  const cidrs = entries
    .filter(
      (e) =>
        e.cloud === "AWS" &&
        e.region === region &&
        e.services.includes("CONNECT") &&
        e.addressType === "EGRESS",
    )
    .map((e) => e.ipPrefix);
  for (const c of cidrs) {
    if (!ipaddr.isValidCIDR(c))
      throw new Error(`getIpAddresses returned a malformed CIDR ${JSON.stringify(c)}`);
  }
  return [...new Set(cidrs)].sort();
}
