import type { RecordedResource } from "../../offline/mocks";
import type { StackRun } from "../../offline/run-stack";
import type { Price } from "./prices";
import { sizeFactor } from "./prices";
import type { CostAssumptions } from "./assumptions";

/**
 * How each billable resource type turns into cost rows: pure functions of the resource's recorded
 * inputs, the other resources of the deployment and the usage assumptions. A rule throws (with a
 * message naming what is missing) when it meets a size or kind the price table has no price for.
 */

/**
 * One priced quantity. `units` is a count for hourly prices, GB (or build minutes) per day for per-GB
 * (per-build-minute) prices, and the count (or GB) held all month for monthly prices; `unitsMax` makes
 * it a range.
 */
export interface RowSpec {
  readonly item: string;
  readonly quantity: string;
  readonly priceId: string;
  readonly units: number;
  readonly unitsMax?: number;
  readonly assumption?: string;
}

export interface RuleContext {
  readonly prices: Readonly<Record<string, Price>>;
  readonly assumptions: CostAssumptions;
  /** The stack the resource belongs to. */
  readonly run: StackRun;
  /** Every stack of the deployment, in order. */
  readonly runs: readonly StackRun[];
}

export type Rule = (r: RecordedResource, ctx: RuleContext) => RowSpec[];

type Inputs = Record<string, unknown>;
/** A nested input object, or an empty one when absent. */
export const obj = (v: unknown): Inputs => (v !== null && typeof v === "object" ? (v as Inputs) : {});
const num = (v: unknown, fallback: number): number => {
  const n = typeof v === "string" ? Number(v) : v;
  return typeof n === "number" && Number.isFinite(n) ? n : fallback;
};
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : word.endsWith("s") ? "es" : "s"}`;

/** The price id of an EC2 instance type and its multiple of the family's `large` price. */
function ec2PriceId(instanceType: string, prices: Readonly<Record<string, Price>>): [string, number] {
  const [family, size = ""] = instanceType.split(".");
  const factor = sizeFactor(size);
  const id = `aws.ec2.${family}.large`;
  if (factor === undefined || !prices[id]) {
    throw new Error(
      `no EC2 price for instance type ${instanceType} (the table prices families at size large)`,
    );
  }
  return [id, factor];
}

function ec2Rows(instanceType: string, count: number, what: string, ctx: RuleContext): RowSpec[] {
  const [priceId, factor] = ec2PriceId(instanceType, ctx.prices);
  return [
    { item: `${what} ${instanceType}`, quantity: plural(count, "instance"), priceId, units: count * factor },
  ];
}

const publicIpv4 = (count: number, item = "Public IPv4 address"): RowSpec => ({
  item,
  quantity: plural(count, "address"),
  priceId: "aws.vpc.publicIpv4",
  units: count,
});

const gp3 = (gib: number, item: string, priceId = "aws.ebs.gp3"): RowSpec => ({
  item,
  quantity: `${gib} GiB`,
  priceId,
  units: gib,
});

function requireGp3(type: unknown, what: string): void {
  if (type !== undefined && type !== "gp3")
    throw new Error(`no price for ${what} volume type ${String(type)}`);
}

const countOf = (run: StackRun, type: string, where: (r: RecordedResource) => boolean = () => true) =>
  run.resources.filter((r) => r.custom && r.type === type && where(r)).length;

export const AWS_RULES: Readonly<Record<string, Rule>> = {
  "aws:redshift/cluster:Cluster": (r, ctx) => {
    const nodes = num(r.inputs.numberOfNodes, 1);
    const rows: RowSpec[] = [
      {
        item: `Redshift ${String(r.inputs.nodeType)}`,
        quantity: plural(nodes, "node"),
        priceId: `aws.redshift.${String(r.inputs.nodeType)}`,
        units: nodes,
      },
    ];
    const days = num(r.inputs.automatedSnapshotRetentionPeriod, 1);
    const change = ctx.assumptions.snapshotChangeGbPerDay;
    rows.push({
      item: "Redshift automated snapshots",
      quantity: `${round(days * change)} GB`,
      priceId: "aws.redshift.backupStorage",
      units: days * change,
      assumption: `${change} GB/day changed, ${plural(days, "day")} kept`,
    });
    return r.inputs.publiclyAccessible === true ? [...rows, publicIpv4(1, "Redshift public IPv4")] : rows;
  },
  "aws:eks/cluster:Cluster": (r, ctx) => {
    const rows: RowSpec[] = [
      { item: "EKS control plane", quantity: "1 cluster", priceId: "aws.eks.cluster", units: 1 },
    ];
    if (obj(r.inputs.computeConfig).enabled !== true) return rows;
    const { eksNodeInstanceType: type, eksNodeCount: count } = ctx.assumptions;
    const [priceId, factor] = ec2PriceId(type, ctx.prices);
    const assumption = `${plural(count, "node")} of ${type}`;
    const nodes = { ...ec2Rows(type, count, "EKS Auto Mode node", ctx)[0]!, assumption };
    const ec2PerHour = (ctx.prices[priceId]?.usd ?? 0) * factor * count;
    const fee = {
      item: "EKS Auto Mode management fee",
      quantity: `on ${assumption}`,
      priceId: "aws.eks.autoModeFee",
      units: ec2PerHour,
      assumption,
    };
    return [...rows, nodes, fee];
  },
  "aws:ec2/instance:Instance": (r, ctx) => {
    const root = obj(r.inputs.rootBlockDevice);
    requireGp3(root.volumeType, "EBS root");
    const rows = [
      ...ec2Rows(String(r.inputs.instanceType), 1, "EC2", ctx),
      gp3(num(root.volumeSize, 8), "EBS gp3 root volume"),
    ];
    return r.inputs.associatePublicIpAddress === true ? [...rows, publicIpv4(1)] : rows;
  },
  "aws:ebs/volume:Volume": (r) => {
    requireGp3(r.inputs.type ?? "gp2", "EBS");
    return [gp3(num(r.inputs.size, 0), "EBS gp3 volume")];
  },
  "aws:ec2/natGateway:NatGateway": (_r, ctx) => {
    const gateways = countOf(ctx.run, "aws:ec2/natGateway:NatGateway");
    const gbPerDay = ctx.assumptions.natGbPerDay / gateways;
    return [
      { item: "NAT gateway", quantity: "1 gateway", priceId: "aws.vpc.natGateway", units: 1 },
      {
        item: "NAT data processing",
        quantity: `${round(gbPerDay)} GB/day`,
        priceId: "aws.vpc.natGatewayData",
        units: gbPerDay,
        assumption: `${ctx.assumptions.natGbPerDay} GB/day over ${plural(gateways, "gateway")}`,
      },
    ];
  },
  "aws:ec2/eip:Eip": () => [publicIpv4(1, "Elastic IP (public IPv4)")],
  "aws:opensearch/domain:Domain": (r) => {
    const cluster = obj(r.inputs.clusterConfig);
    const ebs = obj(r.inputs.ebsOptions);
    requireGp3(ebs.volumeType, "OpenSearch EBS");
    const count = num(cluster.instanceCount, 1);
    const type = String(cluster.instanceType);
    const rows: RowSpec[] = [
      {
        item: `OpenSearch ${type}`,
        quantity: plural(count, "data node"),
        priceId: `aws.opensearch.${type}`,
        units: count,
      },
    ];
    if (cluster.dedicatedMasterEnabled === true) {
      const masters = num(cluster.dedicatedMasterCount, 3);
      const masterType = String(cluster.dedicatedMasterType);
      rows.push({
        item: `OpenSearch ${masterType} (dedicated master)`,
        quantity: plural(masters, "node"),
        priceId: `aws.opensearch.${masterType}`,
        units: masters,
      });
    }
    const gib = num(ebs.volumeSize, 10) * count;
    return [...rows, gp3(gib, "OpenSearch gp3 storage", "aws.opensearch.gp3")];
  },
  "aws:secretsmanager/secret:Secret": () => [
    { item: "Secrets Manager secret", quantity: "1 secret", priceId: "aws.secretsmanager.secret", units: 1 },
  ],
  "aws:cloudwatch/logGroup:LogGroup": (_r, ctx) => {
    const mb = ctx.assumptions.logMbPerDay;
    return [
      {
        item: "CloudWatch Logs ingestion",
        quantity: `${mb} MB/day`,
        priceId: "aws.cloudwatch.logIngestion",
        units: mb / 1024,
        assumption: `${mb} MB/day per log group`,
      },
    ];
  },
  "aws:cloudwatch/metricAlarm:MetricAlarm": (r) => {
    const alarm = {
      item: "CloudWatch alarm",
      quantity: "1 alarm",
      priceId: "aws.cloudwatch.alarm",
      units: 1,
    };
    // A namespace of our own is a custom metric someone publishes (AWS/… metrics are free).
    if (String(r.inputs.namespace ?? "AWS/").startsWith("AWS/")) return [alarm];
    const metric = `${String(r.inputs.namespace)}/${String(r.inputs.metricName)}`;
    return [
      alarm,
      {
        item: "CloudWatch custom metric",
        quantity: metric,
        priceId: "aws.cloudwatch.customMetric",
        units: 1,
      },
    ];
  },
  "aws:dlm/lifecyclePolicy:LifecyclePolicy": (r, ctx) => {
    const details = obj(r.inputs.policyDetails);
    const target = obj(details.targetTags);
    const volumes = ctx.run.resources.filter(
      (v) => v.type === "aws:ebs/volume:Volume" && obj(v.inputs.tags).Name === target.Name,
    );
    if (volumes.length === 0) throw new Error(`no volume of the stack is tagged Name=${String(target.Name)}`);
    const gib = volumes.reduce((n, v) => n + num(v.inputs.size, 0), 0);
    const schedules = Array.isArray(details.schedules) ? details.schedules : [];
    const kept = Math.max(0, ...schedules.map((s) => num(obj(obj(s).retainRule).count, 0)));
    const change = ctx.assumptions.snapshotChangeGbPerDay;
    const gb = gib + kept * change;
    return [
      {
        item: "EBS snapshots",
        quantity: `${gb} GB`,
        priceId: "aws.ebs.snapshot",
        units: gb,
        assumption: `the first snapshot holds at most the ${gib} GiB volume, then ${change} GB/day changed × ${kept} kept`,
      },
    ];
  },
  "aws:kms/key:Key": () => [
    { item: "KMS customer-managed key", quantity: "1 key", priceId: "aws.kms.key", units: 1 },
  ],
  "kubernetes:networking.k8s.io/v1:Ingress": (_r, ctx) => {
    const lcus = ctx.assumptions.albLcus;
    const publicSubnets = ctx.runs.reduce(
      (n, run) => n + countOf(run, "aws:ec2/subnet:Subnet", (s) => s.inputs.mapPublicIpOnLaunch === true),
      0,
    );
    const addresses = Math.max(2, publicSubnets);
    return [
      {
        item: "Application Load Balancer (Ingress)",
        quantity: "1 load balancer",
        priceId: "aws.elb.alb",
        units: 1,
      },
      {
        item: "ALB capacity units",
        quantity: plural(lcus, "LCU"),
        priceId: "aws.elb.albLcu",
        units: lcus,
        assumption: `${plural(lcus, "LCU")} on average`,
      },
      publicIpv4(addresses, "ALB public IPv4 (one per public subnet)"),
    ];
  },
  "aws:lb/loadBalancer:LoadBalancer": (r) => {
    if (r.inputs.loadBalancerType !== "network") {
      throw new Error(
        `no price for a ${String(r.inputs.loadBalancerType ?? "application")} load balancer created directly`,
      );
    }
    return [
      {
        item: "Network Load Balancer (PrivateLink)",
        quantity: "1 load balancer",
        priceId: "aws.elb.nlb",
        units: 1,
      },
      {
        item: "NLB capacity units",
        quantity: "1 NLCU",
        priceId: "aws.elb.nlbLcu",
        units: 1,
        assumption: "1 NLCU: the CDC and sink connections are a trickle",
      },
    ];
  },
  "aws:ec2/vpcEndpoint:VpcEndpoint": (r) => {
    const zones = Array.isArray(r.inputs.subnetIds) ? r.inputs.subnetIds.length : 1;
    return [
      {
        item: "Interface VPC endpoint",
        quantity: plural(zones, "zone"),
        priceId: "aws.vpc.interfaceEndpoint",
        units: zones,
      },
    ];
  },
  "aws:route53/zone:Zone": () => [
    {
      item: "Route 53 private hosted zone",
      quantity: "1 zone",
      priceId: "aws.route53.privateZone",
      units: 1,
    },
  ],
  "aws:opensearchingest/pipeline:Pipeline": (r) => {
    const min = num(r.inputs.minUnits, 1);
    const max = num(r.inputs.maxUnits, min);
    return [
      {
        item: "OpenSearch Ingestion pipeline",
        quantity: `${min}–${max} OCU`,
        priceId: "aws.osi.ocu",
        units: min,
        unitsMax: max,
        assumption: `from minUnits (${min}, two zones) to maxUnits`,
      },
    ];
  },
  "aws:codebuild/project:Project": (_r, ctx) => {
    const minutes = ctx.assumptions.runnerMinutesPerDay;
    return [
      {
        item: "CodeBuild runner (general1.small)",
        quantity: `${minutes} min/day`,
        priceId: "aws.codebuild.general1Small",
        units: minutes,
        assumption: `${minutes} build minutes a day (an up, a verify)`,
      },
    ];
  },
  "kubernetes:core/v1:Service": (r) => {
    if (obj(r.inputs.spec).type === "LoadBalancer") {
      throw new Error(
        "a LoadBalancer Service creates a Network Load Balancer, which the price table does not price yet",
      );
    }
    return [];
  },
};

const round = (n: number, digits = 2) => Math.round(n * 10 ** digits) / 10 ** digits;
