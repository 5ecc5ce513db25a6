import type { ChildProcess } from "node:child_process";
import { execFile, spawn } from "node:child_process";
import {
  appendFileSync,
  copyFileSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { generate } from "selfsigned";
import type { FetchLike } from "../../lib/opensearch-api";
import { caFetch } from "../../tests/helpers/loopback";
import { ENGINES_DIR, javaCommand, recordVersions } from "./java-engine";
import type { OpenSearchArtifacts } from "./opensearch-config";
import { freePort } from "./free-port";
import {
  analysisCommonDescriptor,
  artifactsIn,
  jdkProblem,
  internalUsersYaml,
  nodeSettings,
  renderSettings,
  rolesMappingYaml,
} from "./opensearch-config";

/**
 * A real OpenSearch node with the real opensearch-security plugin, as a local process on 127.0.0.1:
 * the integration-test distribution and the plugin Maven fetched into engines/target/opensearch/
 * (engines/pom.xml), unpacked into a temporary folder, the plugin installed with `opensearch-plugin`,
 * TLS on HTTP and transport with a certificate made for the run, and a master user mapped to
 * `all_access` and `security_manager` as Amazon OpenSearch Service maps it. `stop()` ends the process
 * and removes the folder.
 */

const ARTIFACTS_DIR = path.join(ENGINES_DIR, "target", "opensearch");
const HOST = "localhost";
const CERT = { cert: "node.pem", key: "node-key.pem", ca: "root-ca.pem" };
const HEAP = "512m";
const START_TIMEOUT_MS = 120_000;
// OpenSearch refuses to run as root (its Bootstrap says "can not run opensearch as root"): under root,
// the node runs as the unprivileged `nobody`, which then owns the node's folder.
const NOBODY = 65534;

const run = promisify(execFile);

export interface Credentials {
  readonly user: string;
  readonly password: string;
}

export interface Answer {
  readonly status: number;
  readonly text: string;
}

export interface OpenSearchServer {
  /** `localhost:<port>`, as the clients take a domain endpoint (host, no scheme). */
  readonly endpoint: string;
  readonly port: number;
  /** The certificate authority (PEM) the node's certificate chains to, and its file. */
  readonly ca: string;
  readonly caFile: string;
  /** The node's certificate (its own CA) and key, for a stand-in that must be trusted alike. */
  readonly tls: { readonly cert: string; readonly key: string };
  /** A fetch that trusts exactly the node's CA. */
  readonly fetch: FetchLike;
  /** `GET /`'s version.number and the security plugin's version from `_cat/plugins`. */
  readonly versions: { readonly opensearch: string; readonly security: string };
  /** One HTTPS request as `who`, answered as it is (no retry). */
  request(who: Credentials, method: string, urlPath: string, body?: string): Promise<Answer>;
  stop(): Promise<void>;
}

/** The JDK the node runs on: OPENSEARCH_JAVA_HOME, else the one javaCommand() runs; refused if unfit. */
async function javaHome(): Promise<string> {
  const override = process.env.OPENSEARCH_JAVA_HOME;
  const java = override ? path.join(override, "bin", "java") : javaCommand();
  const { stderr } = await run(java, ["-XshowSettings:properties", "-version"]);
  const problem = jdkProblem(stderr);
  if (problem) throw new Error(problem);
  return /^\s*java\.home = (.+)$/m.exec(stderr)![1]!.trim();
}

function artifacts(): OpenSearchArtifacts {
  let files: string[] = [];
  try {
    files = readdirSync(ARTIFACTS_DIR);
  } catch {
    // No folder: artifactsIn names what is missing.
  }
  const found = artifactsIn(files);
  const at = (file: string) => path.join(ARTIFACTS_DIR, file);
  return {
    ...found,
    distribution: at(found.distribution),
    securityPlugin: at(found.securityPlugin),
    analysisCommon: at(found.analysisCommon),
  };
}

/** A certificate for `localhost` and 127.0.0.1 that is its own CA: the node's on both layers. */
async function nodeCertificate() {
  return generate([{ name: "commonName", value: HOST }], {
    keyType: "ec",
    algorithm: "sha256",
    notBeforeDate: new Date(Date.now() - 60_000),
    extensions: [
      { name: "basicConstraints", cA: true },
      { name: "keyUsage", digitalSignature: true, keyEncipherment: true, keyCertSign: true },
      { name: "extKeyUsage", serverAuth: true, clientAuth: true },
      {
        name: "subjectAltName",
        altNames: [
          { type: 2, value: HOST },
          { type: 7, ip: "127.0.0.1" },
        ],
      },
    ],
  });
}

interface NodeLayout {
  readonly dir: string;
  readonly home: string;
  readonly env: NodeJS.ProcessEnv;
}

/** Unpacks the distribution, adds analysis-common, installs the security plugin with its own tool. */
async function unpack(found: OpenSearchArtifacts, dir: string): Promise<NodeLayout> {
  const home = path.join(dir, `opensearch-${found.version}`);
  const java = await javaHome();
  const env = { ...process.env, OPENSEARCH_JAVA_HOME: java, JAVA_HOME: java };
  await run("unzip", ["-q", found.distribution, "-d", dir]);
  const analysis = path.join(home, "modules", "analysis-common");
  mkdirSync(analysis);
  copyFileSync(found.analysisCommon, path.join(analysis, path.basename(found.analysisCommon)));
  writeFileSync(path.join(analysis, "plugin-descriptor.properties"), analysisCommonDescriptor(found.version));
  const plugin = path.join(home, "bin", "opensearch-plugin");
  await run(plugin, ["install", "--batch", `file://${found.securityPlugin}`], { env });
  return { dir, home, env };
}

/** Certificates, settings, heap, and the security plugin's users and mapping with the master user. */
async function configure(
  node: NodeLayout,
  ports: { readonly http: number; readonly transport: number },
  pems: { readonly cert: string; readonly private: string },
  master: Credentials,
): Promise<void> {
  const config = path.join(node.home, "config");
  writeFileSync(path.join(config, CERT.cert), pems.cert);
  writeFileSync(path.join(config, CERT.key), pems.private);
  writeFileSync(path.join(config, CERT.ca), pems.cert);
  const settings = nodeSettings({
    httpPort: ports.http,
    transportPort: ports.transport,
    nodeDn: `CN=${HOST}`,
    certFile: CERT.cert,
    keyFile: CERT.key,
    caFile: CERT.ca,
  });
  appendFileSync(path.join(config, "opensearch.yml"), `\n${renderSettings(settings)}`);
  writeFileSync(path.join(config, "jvm.options.d", "heap.options"), `-Xms${HEAP}\n-Xmx${HEAP}\n`);
  const hashTool = path.join(node.home, "plugins", "opensearch-security", "tools", "hash.sh");
  const hashed = await run("bash", [hashTool, "-env", "MASTER_PASSWORD"], {
    env: { ...node.env, MASTER_PASSWORD: master.password },
  });
  const security = path.join(config, "opensearch-security");
  const passwordHash = hashed.stdout.trim().split("\n").at(-1) ?? "";
  writeFileSync(
    path.join(security, "internal_users.yml"),
    internalUsersYaml({ name: master.user, passwordHash }),
  );
  writeFileSync(path.join(security, "roles_mapping.yml"), rolesMappingYaml(master.user));
}

/** `bin/opensearch`, as `nobody` when this process is root. */
async function launch(node: NodeLayout): Promise<Launched> {
  const asRoot = process.getuid?.() === 0;
  if (asRoot) await run("chown", ["-R", `${NOBODY}:${NOBODY}`, node.dir]);
  const child = spawn(path.join(node.home, "bin", "opensearch"), [], {
    env: node.env,
    stdio: ["ignore", "pipe", "pipe"],
    ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}),
  });
  let tail = "";
  const keep = (chunk: Buffer) => (tail = (tail + chunk.toString()).slice(-6000));
  child.stdout?.on("data", keep);
  child.stderr?.on("data", keep);
  return {
    process: child,
    exit: () =>
      child.exitCode === null && child.signalCode === null
        ? undefined
        : `OpenSearch exited (${child.exitCode ?? child.signalCode}) before it was healthy:\n${tail}`,
  };
}

interface Launched {
  readonly process: ChildProcess;
  /** Why the node is gone, once it is. */
  exit(): string | undefined;
}

/** Requests to the node through a fetch that trusts exactly its certificate. */
function requester(fetch: FetchLike, port: number): OpenSearchServer["request"] {
  return async (who, method, urlPath, body) => {
    const auth = `Basic ${Buffer.from(`${who.user}:${who.password}`).toString("base64")}`;
    const headers: Record<string, string> = { authorization: auth, accept: "application/json" };
    if (body !== undefined) {
      headers["content-type"] = urlPath.includes("_bulk") ? "application/x-ndjson" : "application/json";
    }
    const res = await fetch(`https://${HOST}:${port}${urlPath}`, {
      method,
      headers,
      ...(body !== undefined ? { body } : {}),
    });
    return { status: res.status, text: await res.text() };
  };
}

/** The node's version and its security plugin's, as the node reports them. */
async function runningVersions(request: OpenSearchServer["request"], master: Credentials) {
  const root = JSON.parse((await request(master, "GET", "/")).text) as { version: { number: string } };
  const plugins = JSON.parse((await request(master, "GET", "/_cat/plugins?format=json")).text) as {
    component: string;
    version: string;
  }[];
  const security = plugins.find((p) => p.component === "opensearch-security")?.version;
  if (!security) throw new Error(`the security plugin is not loaded: ${JSON.stringify(plugins)}`);
  return { opensearch: root.version.number, security };
}

export async function startOpenSearch(master: Credentials): Promise<OpenSearchServer> {
  const found = artifacts();
  const dir = mkdtempSync(path.join(tmpdir(), "engines-opensearch-"));
  let child: ChildProcess | undefined;
  const stop = async () => {
    if (child && child.exitCode === null && child.signalCode === null) {
      const node = child;
      const exited = new Promise<void>((resolve) => node.once("exit", () => resolve()));
      node.kill("SIGTERM");
      const killer = setTimeout(() => node.kill("SIGKILL"), 20_000);
      await exited;
      clearTimeout(killer);
    }
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const [layout, http, transport, pems] = await Promise.all([
      unpack(found, dir),
      freePort(),
      freePort(),
      nodeCertificate(),
    ]);
    await configure(layout, { http, transport }, pems, master);
    const launched = await launch(layout);
    child = launched.process;
    const fetch = caFetch(pems.cert, http);
    const request = requester(fetch, http);
    await healthy(request, master, launched);
    const versions = await runningVersions(request, master);
    recordVersions({ opensearch: versions.opensearch, "opensearch-security": versions.security });
    return {
      endpoint: `${HOST}:${http}`,
      port: http,
      ca: pems.cert,
      caFile: path.join(layout.home, "config", CERT.ca),
      tls: { cert: pems.cert, key: pems.private },
      fetch,
      versions,
      request,
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** Waits until the cluster answers the master user with a health that is not red. */
async function healthy(
  request: OpenSearchServer["request"],
  master: Credentials,
  node: Launched,
): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let last = "no answer yet";
  while (Date.now() < deadline) {
    const gone = node.exit();
    if (gone) throw new Error(gone);
    try {
      const a = await request(master, "GET", "/_cluster/health");
      if (a.status === 200 && (JSON.parse(a.text) as { status?: string }).status !== "red") return;
      last = `HTTP ${a.status}: ${a.text.slice(0, 300)}`;
    } catch (err) {
      last = (err as Error).message;
    }
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error(`OpenSearch was not healthy within ${START_TIMEOUT_MS / 1000} s (last: ${last})`);
}
