import { dump } from "js-yaml";

/**
 * What the engine tier's OpenSearch node is made of, as pure functions: which artifacts Maven fetched,
 * the node's settings (TLS on both layers, the security plugin, audit logging, one node on loopback)
 * and the security plugin's user database and role mapping with the master user Amazon OpenSearch
 * Service creates for fine-grained access control.
 */

export interface OpenSearchArtifacts {
  /** e.g. 2.19.4 */
  readonly version: string;
  /** The integration-test distribution (no bundled JDK), a zip holding `opensearch-<version>/`. */
  readonly distribution: string;
  /** The opensearch-security plugin zip of the same version. */
  readonly securityPlugin: string;
  /** The analysis-common module's jar of the same version. */
  readonly analysisCommon: string;
}

/** The distribution and its security plugin among `files` (names in one folder); anything else is refused. */
export function artifactsIn(files: readonly string[]): OpenSearchArtifacts {
  const distributions = files.filter((f) => /^opensearch-\d+\.\d+\.\d+\.zip$/.test(f));
  if (distributions.length !== 1) {
    throw new Error(
      distributions.length === 0
        ? "no OpenSearch distribution (opensearch-<version>.zip) was fetched: run `npm run test:engines`, " +
            "whose Maven build copies it into engines/target/opensearch/"
        : `more than one OpenSearch distribution: ${distributions.join(", ")}; remove the stale ones`,
    );
  }
  const distribution = distributions[0]!;
  const version = distribution.slice("opensearch-".length, -".zip".length);
  const plugins = files.filter((f) => f.startsWith(`opensearch-security-${version}.`) && f.endsWith(".zip"));
  if (plugins.length !== 1) {
    throw new Error(
      `expected one opensearch-security-${version}.<n>.zip beside ${distribution}, found ` +
        (plugins.join(", ") || "none"),
    );
  }
  const analysisCommon = `analysis-common-${version}.jar`;
  if (!files.includes(analysisCommon)) throw new Error(`${analysisCommon} is missing beside ${distribution}`);
  return { version, distribution, securityPlugin: plugins[0]!, analysisCommon };
}

/**
 * The descriptor of the analysis-common module as the full distribution lays it out
 * (modules/analysis-common/): the integration-test distribution ships without it, and Maven Central
 * serves only its jar. It holds the analyzers and tokenizers every other distribution, Amazon
 * OpenSearch Service's included, has built in (the `pattern` tokenizer among them). Its build declares
 * `lang-painless` as the plugin it extends, for scripting helpers only; without Painless the node
 * refuses that declaration, so it is left out.
 */
export function analysisCommonDescriptor(version: string): string {
  return [
    'description=Adds "built in" analyzers to OpenSearch.',
    `version=${version}`,
    "name=analysis-common",
    "classname=org.opensearch.analysis.common.CommonAnalysisPlugin",
    "java.version=11",
    `opensearch.version=${version}`,
    "custom.foldername=",
    "extended.plugins=",
    "has.native.controller=false",
  ].join("\n");
}

/**
 * Why the JDK whose `java -XshowSettings:properties` printed `properties` cannot run OpenSearch 2.x,
 * or undefined. OpenSearch 2.x runs under the Java Security Manager, which JDK 24 took away
 * (https://openjdk.org/jeps/486), and needs Java 11 or later.
 */
export function jdkProblem(properties: string): string | undefined {
  const home = /^\s*java\.home = (.+)$/m.exec(properties)?.[1]?.trim() ?? "?";
  const spec = /^\s*java\.specification\.version = (\S+)$/m.exec(properties)?.[1];
  const major = spec === undefined ? NaN : Number(spec.startsWith("1.") ? spec.slice(2) : spec);
  if (!Number.isInteger(major)) return `cannot tell the Java version of ${home}`;
  if (major >= 11 && major <= 23) return undefined;
  return (
    `OpenSearch 2.x needs a JDK from 11 to 23; ${home} is Java ${major}: ` +
    "set OPENSEARCH_JAVA_HOME to such a JDK (JAVA_HOME stays as the rest of the engine tier needs it)"
  );
}

export interface NodeSettingsInput {
  readonly httpPort: number;
  readonly transportPort: number;
  /** Subject of the node certificate, which the security plugin accepts as a cluster node. */
  readonly nodeDn: string;
  /** File names under the config folder. */
  readonly certFile: string;
  readonly keyFile: string;
  readonly caFile: string;
}

/** The roles of the master user, as Amazon OpenSearch Service maps it under fine-grained access control. */
export const MASTER_USER_ROLES = ["all_access", "security_manager"] as const;

/** The node's opensearch.yml settings. */
export function nodeSettings(s: NodeSettingsInput): Record<string, unknown> {
  for (const port of [s.httpPort, s.transportPort]) {
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`not a TCP port: ${port}`);
  }
  const tls = (layer: "http" | "transport") => ({
    [`plugins.security.ssl.${layer}.pemcert_filepath`]: s.certFile,
    [`plugins.security.ssl.${layer}.pemkey_filepath`]: s.keyFile,
    [`plugins.security.ssl.${layer}.pemtrustedcas_filepath`]: s.caFile,
  });
  return {
    "cluster.name": "fraud-infra-engine-tier",
    "node.name": "engine-node",
    "discovery.type": "single-node",
    "network.host": "127.0.0.1",
    "http.port": s.httpPort,
    "transport.port": s.transportPort,
    // A nearly full disk would otherwise refuse to allocate the new index's shard.
    "cluster.routing.allocation.disk.threshold_enabled": false,
    ...tls("transport"),
    "plugins.security.ssl.transport.enforce_hostname_verification": false,
    "plugins.security.ssl.http.enabled": true,
    ...tls("http"),
    "plugins.security.nodes_dn": [s.nodeDn],
    // The security index is created from config/opensearch-security/*.yml on the first start.
    "plugins.security.allow_default_init_securityindex": true,
    "plugins.security.restapi.roles_enabled": [...MASTER_USER_ROLES],
    // Audit events go to an index on the node itself; Amazon OpenSearch Service sends them to CloudWatch.
    "plugins.security.audit.type": "internal_opensearch",
  };
}

/** opensearch.yml lines: each value as JSON, which YAML reads as it is. */
export function renderSettings(settings: Readonly<Record<string, unknown>>): string {
  return Object.entries(settings)
    .map(([key, value]) => `${key}: ${JSON.stringify(value)}\n`)
    .join("");
}

export interface MasterUser {
  readonly name: string;
  /** A bcrypt hash, as the plugin's hash tool prints it. */
  readonly passwordHash: string;
}

const meta = (type: string) => ({ _meta: { type, config_version: 2 } });

/** internal_users.yml: the master user alone. */
export function internalUsersYaml(master: MasterUser): string {
  if (!/^\$2[aby]\$\d\d\$[./A-Za-z0-9]{53}$/.test(master.passwordHash)) {
    throw new Error(`the master user's password hash is not a bcrypt hash: ${master.passwordHash}`);
  }
  return dump({
    ...meta("internalusers"),
    [master.name]: { hash: master.passwordHash, backend_roles: [], description: "master user" },
  });
}

/** roles_mapping.yml: the master user to each of MASTER_USER_ROLES. */
export function rolesMappingYaml(masterName: string): string {
  return dump({
    ...meta("rolesmapping"),
    ...Object.fromEntries(MASTER_USER_ROLES.map((role) => [role, { users: [masterName] }])),
  });
}
