import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

/**
 * An AWS Budgets cost budget for this deployment: monthly, filtered on the PulumiStack
 * cost-allocation tag the provider's defaultTags put on every resource of the three stacks, emailing
 * at 80% of the forecast and at 100% of the actual spend. Confluent Cloud bills separately and is
 * not in it.
 */

/** AWS Budgets allows at most 10 email subscribers per notification. */
export const MAX_BUDGET_EMAILS = 10;

/** The tag every resource of this deployment carries (lib/naming.ts standardTags) and its value. */
export const BUDGET_TAG_KEY = "PulumiStack";

/**
 * The Budgets `TagKeyValue` filter value: `user:<key>$<value>` for a user-defined cost-allocation tag
 * (https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_budgets_Budget.html, CostFilters;
 * https://www.pulumi.com/registry/packages/aws/api-docs/budgets/budget/, "Create a cost filter using resource
 * tags"). It only matches once the tag is activated in the Billing console.
 */
export function tagFilterValue(key: string, value: string): string {
  return `user:${key}$${value}`;
}

/** Cross-field problems of the budget keys, each naming the key; empty when consistent. */
export function budgetProblems(
  amount: number | undefined,
  emails: readonly string[],
): { key: "monthlyBudgetUsd" | "budgetAlertEmails"; message: string }[] {
  if (amount !== undefined && emails.length === 0) {
    return [
      {
        key: "budgetAlertEmails",
        message: "is required when monthlyBudgetUsd is set: give 1 to 10 addresses",
      },
    ];
  }
  if (amount === undefined && emails.length > 0) {
    return [
      {
        key: "monthlyBudgetUsd",
        message: "is required when budgetAlertEmails is set, e.g. 300 (US dollars)",
      },
    ];
  }
  return [];
}

export interface BudgetNotificationSpec {
  readonly notificationType: "FORECASTED" | "ACTUAL";
  readonly threshold: number;
}

/** Forecast first, so there is time to act before the actual spend crosses the limit. */
const BUDGET_NOTIFICATIONS: readonly BudgetNotificationSpec[] = [
  { notificationType: "FORECASTED", threshold: 80 },
  { notificationType: "ACTUAL", threshold: 100 },
];

export interface DeploymentBudgetArgs {
  /** Pulumi stack name shared by the deployment's three stacks (the PulumiStack tag value). */
  readonly stack: string;
  readonly monthlyUsd: number;
  readonly emails: readonly string[];
  readonly name: pulumi.Input<string>;
}

/** The Budget's arguments, pure so the filter and notifications are tested without a cloud. */
export function budgetArgs(args: DeploymentBudgetArgs): aws.budgets.BudgetArgs {
  return {
    name: args.name,
    budgetType: "COST",
    timeUnit: "MONTHLY",
    limitAmount: args.monthlyUsd.toFixed(2),
    limitUnit: "USD",
    costFilters: [{ name: "TagKeyValue", values: [tagFilterValue(BUDGET_TAG_KEY, args.stack)] }],
    notifications: BUDGET_NOTIFICATIONS.map((n) => ({
      comparisonOperator: "GREATER_THAN",
      threshold: n.threshold,
      thresholdType: "PERCENTAGE",
      notificationType: n.notificationType,
      subscriberEmailAddresses: [...args.emails],
    })),
  };
}

export class DeploymentBudget extends pulumi.ComponentResource {
  readonly budget: aws.budgets.Budget;

  constructor(name: string, args: DeploymentBudgetArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-infra:budget:DeploymentBudget", name, {}, opts);
    this.budget = new aws.budgets.Budget(`${name}-cost`, budgetArgs(args), { parent: this });
    this.registerOutputs({ budgetName: this.budget.name });
  }
}
