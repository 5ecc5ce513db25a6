import { PROJECTS } from "../../lib/contracts";
import type { RecordedResource } from "../offline/mocks";
import type { StackRun } from "../offline/run-stack";

/**
 * ESTIMATED deployment time: the critical path of the resource dependency graph across the three
 * stacks, weighted by typical creation times. The times are rules of thumb for a fresh `pulumi up`
 * (provider waits included), not measurements; real runs vary with region and account load.
 */

export interface CreationTime {
  /** Pulumi type token; a trailing `*` matches by prefix (dynamic providers get their own tokens). */
  readonly type: string;
  /** Only resources whose logical name matches (used for dynamic readiness gates). */
  readonly name?: RegExp;
  readonly minutes: number;
  /** Typical range, for the docs. */
  readonly range: string;
  readonly why: string;
}

/** Dynamic providers register as `pulumi-nodejs:dynamic:Resource` or `pulumi-nodejs:dynamic/<module>:<Name>`. */
const DYNAMIC = "pulumi-nodejs:dynamic*";

/** A type token pattern: a trailing `*` matches by prefix. */
export function typeMatches(pattern: string, type: string): boolean {
  return pattern.endsWith("*") ? type.startsWith(pattern.slice(0, -1)) : pattern === type;
}

/** Typical creation minutes per resource type; everything else counts {@link DEFAULT_MINUTES}. */
export const CREATION_TIMES: readonly CreationTime[] = [
  {
    type: "aws:opensearch/domain:Domain",
    minutes: 18,
    range: "15–20",
    why: "3 data nodes, blue/green setup",
  },
  { type: "aws:eks/cluster:Cluster", minutes: 12, range: "10–15", why: "control plane provisioning" },
  { type: "aws:redshift/cluster:Cluster", minutes: 8, range: "5–10", why: "single ra3 node" },
  {
    type: "confluentcloud:index/kafkaCluster:KafkaCluster",
    minutes: 5,
    range: "~5",
    why: "Standard cluster",
  },
  {
    type: "confluentcloud:index/connector:Connector",
    minutes: 5,
    range: "~5",
    why: "provider waits until RUNNING",
  },
  {
    type: "kubernetes:networking.k8s.io/v1:Ingress",
    minutes: 3,
    range: "2–4",
    why: "waits for the ALB address",
  },
  { type: "aws:ec2/natGateway:NatGateway", minutes: 2, range: "~2", why: "waits until available" },
  { type: "kubernetes:apps/v1:Deployment", minutes: 2, range: "1–3", why: "image pull, migrations, rollout" },
  {
    type: "kubernetes:batch/v1:Job",
    minutes: 1,
    range: "0.5–2",
    why: "image pull, one deploy-time script run",
  },
  {
    type: "aws:opensearch/domainPolicy:DomainPolicy",
    minutes: 2,
    range: "1–3",
    why: "domain config change, waits for processing=false",
  },
  { type: "aws:ec2/instance:Instance", minutes: 1, range: "~1", why: "until running (not Oracle setup)" },
  {
    type: "confluentcloud:index/flinkStatement:FlinkStatement",
    minutes: 1,
    range: "~1",
    why: "until RUNNING",
  },
  {
    type: "confluentcloud:index/flinkComputePool:FlinkComputePool",
    minutes: 1,
    range: "~1",
    why: "until PROVISIONED",
  },
  {
    type: "aws:opensearchingest/pipeline:Pipeline",
    minutes: 12,
    range: "10–15",
    why: "OpenSearch Ingestion pipeline in the VPC",
  },
  {
    type: "confluentcloud:index/accessPoint:AccessPoint",
    minutes: 5,
    range: "~5",
    why: "PrivateLink access point until READY",
  },
  {
    type: "confluentcloud:index/gateway:Gateway",
    minutes: 2,
    range: "1–3",
    why: "PrivateLink gateway until READY",
  },
  { type: "aws:lb/loadBalancer:LoadBalancer", minutes: 3, range: "2–4", why: "internal NLB until active" },
  {
    type: "aws:ec2/vpcEndpoint:VpcEndpoint",
    minutes: 2,
    range: "1–3",
    why: "interface endpoint until available",
  },
  {
    type: DYNAMIC,
    name: /schema|subject|topic/i,
    minutes: 2,
    range: "1–5",
    why: "readiness gate: CDC snapshot registers the subjects",
  },
  { type: DYNAMIC, minutes: 0.5, range: "<1", why: "other dynamic resources / gates" },
];

export const DEFAULT_MINUTES = 0.1;

/**
 * Oracle XE setup on the instance (container pull, database creation, XStream configuration) runs
 * from user-data after the instance is up, in the background of the aws-resources stack; the
 * readiness gate that waits for it finishes no earlier than instance + this.
 */
export const ORACLE_SETUP_MINUTES = 15;

/**
 * The inner phase of a private deployment starts in the runner (tools/deploy/runner): a CodeBuild build in
 * the VPC gets its network interface, `npm ci`, installs the Pulumi CLI, then runs the data-plane stack.
 */
export const INNER_PHASE_START_MINUTES = 4;

/**
 * The reference solution's only documented deployment time (AWS Marketplace guide "Real-time fraud
 * detection using Amazon Redshift and Confluent Cloud", Deployment steps, Step 1): `terraform apply`
 * of `aws_resources/` finishes "after around 10 minutes". The guide gives no time for `connector/`
 * or `processing/`.
 */
export const REFERENCE_DEPLOYMENT = {
  minutes: 10,
  scope: "aws_resources/ only",
  source: 'AWS Marketplace guide, "Deployment steps", Step 1: "after around 10 minutes"',
} as const;

export function creationMinutes(r: Pick<RecordedResource, "type" | "name" | "custom">): number {
  if (!r.custom) return 0;
  const rule = CREATION_TIMES.find((t) => typeMatches(t.type, r.type) && (!t.name || t.name.test(r.name)));
  return rule?.minutes ?? DEFAULT_MINUTES;
}

export interface GraphNode {
  readonly id: string;
  readonly label: string;
  readonly stack: string;
  readonly minutes: number;
  readonly deps: readonly string[];
}

export interface CriticalPath {
  readonly minutes: number;
  /** Nodes on the path, first created first. */
  readonly path: readonly GraphNode[];
}

/**
 * Longest weighted path through a DAG: with unlimited parallelism, the earliest finish of the
 * whole graph. Unknown dependency ids are ignored; a cycle is an error naming a node on it.
 */
export function criticalPath(nodes: readonly GraphNode[]): CriticalPath {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const finish = new Map<string, { at: number; via?: string }>();
  const visiting = new Set<string>();
  const visit = (id: string): number => {
    const done = finish.get(id);
    if (done) return done.at;
    if (visiting.has(id)) throw new Error(`dependency cycle through ${byId.get(id)?.label ?? id}`);
    visiting.add(id);
    const node = byId.get(id)!;
    let start = 0;
    let via: string | undefined;
    for (const dep of node.deps) {
      if (!byId.has(dep)) continue;
      const at = visit(dep);
      if (at > start) [start, via] = [at, dep];
    }
    visiting.delete(id);
    finish.set(id, { at: start + node.minutes, ...(via ? { via } : {}) });
    return start + node.minutes;
  };
  let end: string | undefined;
  let total = 0;
  for (const n of nodes) {
    const at = visit(n.id);
    if (end === undefined || at > total) [end, total] = [n.id, at];
  }
  const path: GraphNode[] = [];
  for (let id = end; id !== undefined; id = finish.get(id)?.via) path.unshift(byId.get(id)!);
  return { minutes: round(total), path };
}

const round = (m: number) => Math.round(m * 10) / 10;

/**
 * The dependency graph of a whole deployment: one node per custom resource (weighted by
 * {@link creationMinutes}), edges from recorded dependencies (a dependency on a component means
 * all of its descendants), a zero-weight "<stack> complete" barrier per stack that the next stack
 * waits for, and a background Oracle-setup node that Oracle readiness gates wait for.
 */
export function deploymentGraph(runs: readonly StackRun[]): GraphNode[] {
  const nodes: GraphNode[] = [];
  let barrier: string | undefined;
  let oracleSetup: string | undefined;
  for (const run of runs) {
    const descendants = customDescendants(run.resources);
    const ids: string[] = [];
    if (run.project === PROJECTS.dataPlane && run.resources.some((r) => r.custom)) {
      const start = `${run.project}#runner`;
      nodes.push({
        id: start,
        label: `${run.project}: the runner starts (CodeBuild in the VPC, npm ci, Pulumi CLI)`,
        stack: run.project,
        minutes: INNER_PHASE_START_MINUTES,
        deps: barrier ? [barrier] : [],
      });
      barrier = start;
    }
    for (const r of run.resources) {
      if (!r.custom || r.urn === "") continue;
      const deps = new Set<string>();
      for (const d of r.dependencyUrns) for (const x of descendants.get(d) ?? [d]) deps.add(x);
      deps.delete(r.urn);
      if (barrier) deps.add(barrier);
      if (oracleSetup && isOracleGate(r)) deps.add(oracleSetup);
      nodes.push({
        id: r.urn,
        label: `${run.project}: ${r.name} (${r.type})`,
        stack: run.project,
        minutes: creationMinutes(r),
        deps: [...deps],
      });
      ids.push(r.urn);
      if (r.type === "aws:ec2/instance:Instance" && /oracle/i.test(r.name)) {
        oracleSetup = `${r.urn}#oracle-setup`;
        nodes.push({
          id: oracleSetup,
          label: `${run.project}: Oracle XE + XStream setup on ${r.name} (user-data, background)`,
          stack: run.project,
          minutes: ORACLE_SETUP_MINUTES,
          deps: [r.urn],
        });
      }
    }
    barrier = `${run.project}#complete`;
    nodes.push({ id: barrier, label: `${run.project} complete`, stack: run.project, minutes: 0, deps: ids });
  }
  return nodes;
}

function isOracleGate(r: RecordedResource): boolean {
  return typeMatches(DYNAMIC, r.type) && /oracle/i.test(r.name);
}

/** Component URN → URNs of every custom resource below it (custom resources map to themselves). */
function customDescendants(resources: readonly RecordedResource[]): Map<string, string[]> {
  const children = new Map<string, RecordedResource[]>();
  for (const r of resources) children.set(r.parentUrn, [...(children.get(r.parentUrn) ?? []), r]);
  const memo = new Map<string, string[]>();
  const walk = (r: RecordedResource): string[] => {
    const hit = memo.get(r.urn);
    if (hit) return hit;
    const own = r.custom ? [r.urn] : [];
    const all = [...own, ...(children.get(r.urn) ?? []).flatMap(walk)];
    memo.set(r.urn, all);
    return all;
  };
  for (const r of resources) if (r.urn !== "") walk(r);
  return memo;
}

/** The estimated critical path of a whole deployment (the runs in deployment order). */
export function estimateDeployment(runs: readonly StackRun[]): CriticalPath {
  return criticalPath(deploymentGraph(runs));
}
