import assert from "node:assert/strict";
import { test } from "node:test";
import { BUDGET_TAG_KEY, budgetArgs, budgetProblems, tagFilterValue } from "../stacks/aws-resources/budget";
import { assertConfigRefused } from "./helpers/config-errors";
import { ofType } from "./helpers/resources";
import { runStackUnderTest, sharedStackRun } from "./helpers/stack-under-test";

const BUDGET = "aws:budgets/budget:Budget";

test("the budget filters on the deployment's PulumiStack cost-allocation tag and alerts at 80% forecast, 100% actual", () => {
  const args = budgetArgs({ stack: "dev", monthlyUsd: 300, emails: ["ops@example.com"], name: "fd-dev" });
  assert.equal(args.budgetType, "COST");
  assert.equal(args.timeUnit, "MONTHLY");
  assert.equal(args.limitAmount, "300.00");
  assert.deepEqual(args.costFilters, [{ name: "TagKeyValue", values: ["user:PulumiStack$dev"] }]);
  assert.deepEqual(
    (
      args.notifications as {
        notificationType: string;
        threshold: number;
        subscriberEmailAddresses: string[];
      }[]
    ).map((n) => [n.notificationType, n.threshold, n.subscriberEmailAddresses]),
    [
      ["FORECASTED", 80, ["ops@example.com"]],
      ["ACTUAL", 100, ["ops@example.com"]],
    ],
  );
  assert.equal(tagFilterValue(BUDGET_TAG_KEY, "prod"), "user:PulumiStack$prod");
});

test("the budget keys go together", () => {
  assert.deepEqual(budgetProblems(undefined, []), []);
  assert.deepEqual(budgetProblems(100, ["a@example.com"]), []);
  assert.deepEqual(
    budgetProblems(100, []).map((p) => p.key),
    ["budgetAlertEmails"],
  );
  assert.deepEqual(
    budgetProblems(undefined, ["a@example.com"]).map((p) => p.key),
    ["monthlyBudgetUsd"],
  );
});

test("without monthlyBudgetUsd no budget is created; with it, one budget tagged like every resource", async () => {
  assert.deepEqual(ofType(await sharedStackRun("aws-resources"), BUDGET), []);
  const run = await runStackUnderTest("aws-resources", {
    overrides: {
      monthlyBudgetUsd: "250",
      budgetAlertEmails: ["ops@example.com", "fin@example.org"],
    },
  });
  const [budget, ...more] = ofType(run, BUDGET);
  assert.ok(budget, "a budget");
  assert.equal(more.length, 0);
  assert.equal(budget.inputs.limitAmount, "250.00");
  assert.deepEqual(budget.inputs.costFilters, [{ name: "TagKeyValue", values: ["user:PulumiStack$dev"] }]);
  const notifications = budget.inputs.notifications as { subscriberEmailAddresses: string[] }[];
  assert.equal(notifications.length, 2);
  for (const n of notifications)
    assert.deepEqual(n.subscriberEmailAddresses, ["ops@example.com", "fin@example.org"]);
  // The filter's tag is one the provider puts on every resource (lib/aws-provider.ts defaultTags).
  const provider = run.resources.find((r) => r.type === "pulumi:providers:aws");
  const raw = provider?.inputs.defaultTags;
  // Provider inputs reach the engine JSON-encoded.
  const defaultTags = (typeof raw === "string" ? JSON.parse(raw) : raw) as { tags?: Record<string, string> };
  const tags = defaultTags.tags ?? {};
  assert.equal(tags[BUDGET_TAG_KEY], "dev");
});

const refused = [
  {
    name: "a zero amount",
    override: { monthlyBudgetUsd: "0", budgetAlertEmails: ["a@example.com"] },
    key: "monthlyBudgetUsd",
    message: /positive number of US dollars/,
  },
  {
    name: "a negative amount",
    override: { monthlyBudgetUsd: "-20", budgetAlertEmails: ["a@example.com"] },
    key: "monthlyBudgetUsd",
    message: /positive number/,
  },
  {
    name: "an amount that is no number",
    override: { monthlyBudgetUsd: "lots", budgetAlertEmails: ["a@example.com"] },
    key: "monthlyBudgetUsd",
    message: /positive number/,
  },
  {
    name: "a malformed email",
    override: { monthlyBudgetUsd: "100", budgetAlertEmails: ["ops.example.com"] },
    key: "budgetAlertEmails",
    message: /email address/,
  },
  {
    name: "two addresses joined by a comma (the alerts' validator refuses it too)",
    override: { monthlyBudgetUsd: "100", budgetAlertEmails: ["a@b.c,d@e.f"] },
    key: "budgetAlertEmails",
    message: /"a@b\.c,d@e\.f": must be one email address/,
  },
  {
    name: "an address listed twice",
    override: { monthlyBudgetUsd: "100", budgetAlertEmails: ["ops@example.com", "OPS@example.com"] },
    key: "budgetAlertEmails",
    message: /listed twice/,
  },
  {
    name: "a budget without emails",
    override: { monthlyBudgetUsd: "100" },
    key: "budgetAlertEmails",
    message: /required when monthlyBudgetUsd is set/,
  },
  {
    name: "emails without a budget",
    override: { budgetAlertEmails: ["a@example.com"] },
    key: "monthlyBudgetUsd",
    message: /required when budgetAlertEmails is set/,
  },
] as const;

for (const c of refused) {
  test(`${c.name} is refused before any resource, naming aws-resources:${c.key}`, async () => {
    await assertConfigRefused(
      runStackUnderTest("aws-resources", { overrides: c.override }),
      "aws-resources",
      c.key,
      c.message,
    );
  });
}
