import { PROJECTS } from "../../../lib/contracts";
import { declaredDefaults, readProject } from "../../offline/project-config";

/**
 * The usage the estimate cannot read from resources, as config keys with documented defaults:
 * AWS usage is declared by the aws-resources stack, Confluent usage by the connector stack, and
 * each applies to the resources of that provider in every stack.
 */

export interface CostAssumptions {
  /** GB per day through the NAT gateway(s), shared between them. */
  readonly natGbPerDay: number;
  /** MB per day ingested by each CloudWatch log group. */
  readonly logMbPerDay: number;
  /** Average load balancer capacity units of the web app's ALB. */
  readonly albLcus: number;
  /** EC2 instance type EKS Auto Mode is assumed to pick for the web app. */
  readonly eksNodeInstanceType: string;
  readonly eksNodeCount: number;
  /** GB per day each connector reads or writes. */
  readonly connectorGbPerDay: number;
  /** GB each data store's (incremental) snapshots add per kept day. */
  readonly snapshotChangeGbPerDay: number;
  /** Minutes a day the private deployment's runner builds. */
  readonly runnerMinutesPerDay: number;
}

const ASSUMPTION_KEYS: Readonly<Record<keyof CostAssumptions, string>> = {
  natGbPerDay: "aws-resources:costNatGbPerDay",
  logMbPerDay: "aws-resources:costLogMbPerDay",
  albLcus: "aws-resources:costAlbLcus",
  eksNodeInstanceType: "aws-resources:costEksNodeInstanceType",
  eksNodeCount: "aws-resources:costEksNodeCount",
  connectorGbPerDay: "connector:costConnectorGbPerDay",
  snapshotChangeGbPerDay: "aws-resources:costSnapshotChangeGbPerDay",
  runnerMinutesPerDay: "aws-resources:costRunnerMinutesPerDay",
};

/** Declared defaults of the assumption keys, from the stacks' Pulumi.yaml. */
function declaredAssumptionDefaults(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const project of [PROJECTS.awsResources, PROJECTS.connector]) {
    for (const [key, value] of Object.entries(declaredDefaults(readProject(project)))) {
      out[`${project}:${key}`] = value;
    }
  }
  return out;
}

/**
 * The assumptions from the planned stacks' config (qualified keys), falling back to the declared
 * defaults. The stacks' own config loaders have validated the values when their programs ran.
 */
export function assumptionsFrom(
  config: Readonly<Record<string, string>>,
  defaults: Readonly<Record<string, string>> = declaredAssumptionDefaults(),
): CostAssumptions {
  const raw = (field: keyof CostAssumptions): string => {
    const key = ASSUMPTION_KEYS[field];
    const value = config[key] ?? defaults[key];
    if (value === undefined)
      throw new Error(`the cost assumption ${key} has no value and no declared default`);
    return value;
  };
  const number = (field: keyof CostAssumptions): number => {
    const n = Number(raw(field));
    if (!Number.isFinite(n) || n < 0) {
      throw new Error(
        `the cost assumption ${ASSUMPTION_KEYS[field]} must be a number ≥ 0, got ${raw(field)}`,
      );
    }
    return n;
  };
  return {
    natGbPerDay: number("natGbPerDay"),
    logMbPerDay: number("logMbPerDay"),
    albLcus: number("albLcus"),
    eksNodeInstanceType: raw("eksNodeInstanceType"),
    eksNodeCount: number("eksNodeCount"),
    connectorGbPerDay: number("connectorGbPerDay"),
    snapshotChangeGbPerDay: number("snapshotChangeGbPerDay"),
    runnerMinutesPerDay: number("runnerMinutesPerDay"),
  };
}
