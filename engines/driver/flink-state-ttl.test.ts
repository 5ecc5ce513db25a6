import assert from "node:assert/strict";
import { before, test } from "node:test";
import { T0 } from "../../tests/helpers/web-app-traffic";
import { transactionsAt, userChange } from "./cdc-topics";
import { adaptProperties } from "./confluent-dialect";
import type { DeployedStatement } from "./deployment-statements";
import { deploymentStatements, statementNamed, VARIANTS } from "./deployment-statements";
import { deployment, runScenario, startJob, valuesOf } from "./flink-scenario";

// The rules job's state TTL on Flink: the statement's own `sql.state-ttl` bounds the flags that wait
// in the join for their account's user, while the STATE_TTL hint keeps the users themselves. The
// TTL is shortened to seconds here (the stack renders minutes; processing-rules tests pin that
// value); everything else is the deployed job. Each 1000.00 transaction is flagged twice: on
// arrival, then with its trailing window once the next transaction moves the watermark past it.

const TTL_SECONDS = 3;
/** One 1000.00 transaction: its flag on arrival, and its flag with its window. */
const FLAGS_PER_FRAUD = 2;
/** Flagged with its user present, then again after the TTL: its user row must still be there. */
const KEPT = 201;
/** Flagged with no user row; the user arrives after the TTL: nothing may be flagged. */
const EXPIRED = 202;
/** Flagged after EXPIRED's user row has been read: the barrier that says the join saw it. */
const SENTINEL = 203;

const txEvent = transactionsAt(T0, 7000);

let rules: DeployedStatement;
let flagged: Record<string, unknown>[] = [];
let afterTtl: Record<string, unknown>[] = [];

before(async () => {
  const statements = await deploymentStatements(VARIANTS[0]!);
  rules = statementNamed(statements, "fraud-rules-job");
  const d = await deployment(statements);
  const ttl = adaptProperties({ "sql.state-ttl": `${TTL_SECONDS} s` });
  const response = await runScenario(d, [
    startJob(d, "insert-auth-user"),
    startJob(d, "insert-user-transaction"),
    startJob(d, "fraud-rules-job", { config: ttl }),
    { op: "produce", topic: "fd.SAMPLE.AUTH_USER", records: [userChange(KEPT), userChange(SENTINEL)] },
    {
      op: "produce",
      topic: "fd.SAMPLE.USER_TRANSACTION",
      records: [txEvent(KEPT, 10), txEvent(EXPIRED, 10), txEvent(1, 40, "1.00")],
    },
    { op: "await", topic: "flagged_user", match: { account_id: KEPT }, count: FLAGS_PER_FRAUD },
    { op: "sleep", ms: (TTL_SECONDS + 3) * 1000 },
    { op: "quiet", topic: "flagged_user", ms: 500 },
    { op: "produce", topic: "fd.SAMPLE.AUTH_USER", records: [userChange(EXPIRED)] },
    {
      op: "produce",
      topic: "fd.SAMPLE.USER_TRANSACTION",
      records: [txEvent(KEPT, 60), txEvent(SENTINEL, 61), txEvent(1, 90, "1.00")],
    },
    { op: "await", topic: "flagged_user", match: { account_id: SENTINEL }, count: FLAGS_PER_FRAUD },
    { op: "await", topic: "flagged_user", match: { account_id: KEPT }, count: 2 * FLAGS_PER_FRAUD },
    { op: "quiet", topic: "flagged_user", ms: 1_000 },
  ]);
  flagged = valuesOf(response, "flagged_user");
  const kept = flagged.flatMap((v, i) => (v.account_id === KEPT ? [i] : []));
  afterTtl = flagged.slice((kept[FLAGS_PER_FRAUD - 1] ?? flagged.length) + 1);
});

test("the deployed rules job carries a state TTL for the planner to apply", () => {
  assert.match(rules.properties["sql.state-ttl"] ?? "", /^\d+ min$/);
  assert.deepEqual(Object.keys(adaptProperties(rules.properties)), ["table.exec.state.ttl"]);
});

test("flags that waited longer than the TTL for their user are gone: the late user completes nothing", () => {
  assert.ok(
    flagged.some((v) => v.account_id === SENTINEL),
    "the join read the late user row before the sentinel's",
  );
  assert.deepEqual(
    flagged.filter((v) => v.account_id === EXPIRED),
    [],
    "a join that kept its state past the TTL would flag this account now",
  );
});

test("users outlive the TTL (STATE_TTL('u' = '0')): an account seen before the TTL is flagged again after it", () => {
  const again = afterTtl.filter((v) => v.account_id === KEPT);
  assert.equal(again.length, FLAGS_PER_FRAUD);
  assert.ok(again.every((v) => v.user_name === `user${KEPT}`));
});
