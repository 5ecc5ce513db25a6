import { skipPolicies } from "../../tools/plan/policy/evaluate";
import { quietPlan } from "../../tests/helpers/deployment";
import { T } from "../../tests/helpers/processing";
import { PROD_REPLACEMENTS } from "../../tests/helpers/prod-config";
import { ofType, theOnly } from "../../tests/helpers/resources";

/**
 * The Flink statements a deployment registers, exactly as the stacks render them: the offline plan
 * runs the three stack programs under mocks, and each `FlinkStatement` resource's `statement` and
 * `properties` inputs are read back in registration (that is, deployment) order.
 */

export interface DeployedStatement {
  /** The stack project that registers it. */
  readonly project: string;
  /** Its Pulumi resource name, e.g. `fraud-rules-job`. */
  readonly resource: string;
  readonly sql: string;
  readonly properties: Readonly<Record<string, string>>;
}

export interface DeploymentVariant {
  readonly name: string;
  /** The Pulumi stack whose `Pulumi.<stack>.yaml` applies. */
  readonly stack: "dev" | "prod";
  /** Config overrides, fully qualified (`processing:alertEmails`). */
  readonly overrides?: Readonly<Record<string, unknown>>;
}

/** dev, prod, and dev with the optional alerts on: every statement any of them registers. */
export const VARIANTS: readonly DeploymentVariant[] = [
  { name: "dev", stack: "dev" },
  // prod as an operator completes it (its placeholders refuse it as committed).
  { name: "prod", stack: "prod", overrides: PROD_REPLACEMENTS },
  { name: "dev with alerts", stack: "dev", overrides: { "processing:alertEmails": ["oncall@example.com"] } },
];

export async function deploymentStatements(variant: DeploymentVariant): Promise<DeployedStatement[]> {
  const plan = await quietPlan({
    stack: variant.stack,
    overrides: variant.overrides ?? {},
    evaluate: skipPolicies,
  });
  return plan.stacks.flatMap(({ run }) =>
    ofType(run, T.statement).map((r) => ({
      project: run.project,
      resource: r.name,
      sql: String(r.inputs.statement),
      properties: (r.inputs.properties ?? {}) as Record<string, string>,
    })),
  );
}

/** The one statement whose resource name ends with `suffix`. */
export function statementNamed(statements: readonly DeployedStatement[], suffix: string): DeployedStatement {
  return theOnly(
    statements.filter((s) => s.resource.endsWith(suffix)),
    (s) => s.resource,
    `statement *${suffix}`,
  );
}
