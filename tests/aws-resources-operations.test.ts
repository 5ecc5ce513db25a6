import assert from "node:assert/strict";
import { test } from "node:test";
import {
  CAPACITY_ALARM_PERCENT,
  CAPACITY_PUBLISH_SECONDS,
  ORACLE_CAPACITY_METRICS,
  ORACLE_METRICS_NAMESPACE,
} from "../lib/oracle-capacity";
import { DLM_TRUST_POLICY, SNAPSHOT_TIME_UTC } from "../stacks/aws-resources/oracle/snapshots";
import type { StackRun } from "../tools/offline/run-stack";
import { byName, ofType, one } from "./helpers/resources";
import { runStackUnderTest, sharedStackRun } from "./helpers/stack-under-test";
import { prodAwsResourcesOverrides } from "./helpers/prod-config";
import { syntheticAwsResources } from "./helpers/synthetic-upstream";

// What keeps the deployment running for months: daily snapshots of the Oracle data volume, Redshift's
// automated snapshots, and alarms on the Oracle host's disk, all with retention by profile.

const dev = runStackUnderTest("aws-resources", {
  overrides: { monthlyBudgetUsd: "300", budgetAlertEmails: ["ops@example.com", "fin@example.org"] },
});
const prod = sharedStackRun("aws-resources", { stack: "prod", overrides: prodAwsResourcesOverrides() });

const policyOf = (run: StackRun) => one(run, "aws:dlm/lifecyclePolicy:LifecyclePolicy");
const schedule = (run: StackRun) =>
  (policyOf(run).inputs.policyDetails as { schedules: Record<string, unknown>[] }).schedules;

test("under mocks: DLM snapshots the Oracle data volume daily, keeping 3 on dev and 14 on prod", async () => {
  for (const [run, kept] of [
    [await dev, 3],
    [await prod, 14],
  ] as const) {
    const volume = one(run, "aws:ebs/volume:Volume");
    const details = policyOf(run).inputs.policyDetails as Record<string, unknown>;
    assert.deepEqual(details.resourceTypes, ["VOLUME"]);
    assert.deepEqual(details.targetTags, { Name: (volume.inputs.tags as Record<string, string>).Name });
    const [daily, ...more] = schedule(run);
    assert.deepEqual(more, []);
    assert.deepEqual(daily!.createRule, { interval: 24, intervalUnit: "HOURS", times: SNAPSHOT_TIME_UTC });
    assert.deepEqual(daily!.retainRule, { count: kept });
    assert.equal(policyOf(run).inputs.state, "ENABLED");
  }
});

test("under mocks: the lifecycle policy runs as a role only DLM can assume, with AWS's managed policy", async () => {
  const run = await dev;
  const role = byName(run, "oracle-snapshots-dlm", "aws:iam/role:Role");
  assert.equal(role.inputs.assumeRolePolicy, DLM_TRUST_POLICY);
  assert.deepEqual(JSON.parse(DLM_TRUST_POLICY).Statement[0].Principal, { Service: "dlm.amazonaws.com" });
  const attachment = byName(run, "oracle-snapshots-dlm", "aws:iam/rolePolicyAttachment:RolePolicyAttachment");
  assert.equal(
    attachment.inputs.policyArn,
    "arn:aws:iam::aws:policy/service-role/AWSDataLifecycleManagerServiceRole",
  );
  assert.ok(policyOf(run).dependencyUrns.includes(attachment.urn), "the policy waits for its permissions");
});

test("under mocks: Redshift keeps automated snapshots 1 day on dev and 7 on prod", async () => {
  const retention = async (run: Promise<StackRun>) =>
    one(await run, "aws:redshift/cluster:Cluster").inputs.automatedSnapshotRetentionPeriod;
  assert.equal(await retention(dev), 1);
  assert.equal(await retention(prod), 7);
});

test("under mocks: an alarm per capacity metric above the threshold, on the host, to the exported topic", async () => {
  const run = await dev;
  const topic = one(run, "aws:sns/topic:Topic", "capacity-alarms-topic");
  const instance = one(run, "aws:ec2/instance:Instance");
  const alarms = ofType(run, "aws:cloudwatch/metricAlarm:MetricAlarm");
  assert.deepEqual(
    alarms.map((a) => a.inputs.metricName).sort(),
    Object.values(ORACLE_CAPACITY_METRICS)
      .map((m) => m.name)
      .sort(),
  );
  for (const alarm of alarms) {
    assert.equal(alarm.inputs.namespace, ORACLE_METRICS_NAMESPACE);
    assert.equal(alarm.inputs.threshold, CAPACITY_ALARM_PERCENT);
    assert.equal(alarm.inputs.comparisonOperator, "GreaterThanThreshold");
    assert.equal(alarm.inputs.period, CAPACITY_PUBLISH_SECONDS);
    assert.ok(alarm.dependencyUrns.includes(instance.urn), "dimensioned on the Oracle host");
    assert.ok(alarm.dependencyUrns.includes(topic.urn), "notifies the topic");
    assert.equal((alarm.inputs.alarmActions as unknown[]).length, 1);
  }
  assert.match(String(run.outputs.capacityAlarmTopicArn), /^arn:aws:sns:/);
});

test("under mocks: the budget's addresses get the capacity alarms; without a budget nobody here does", async () => {
  const subscribed = (run: StackRun) =>
    ofType(run, "aws:sns/topicSubscription:TopicSubscription")
      .filter((s) => s.name.startsWith("capacity-alarms-"))
      .map((s) => [s.inputs.protocol, s.inputs.endpoint]);
  assert.deepEqual(subscribed(await dev), [
    ["email", "ops@example.com"],
    ["email", "fin@example.org"],
  ]);
  assert.deepEqual(subscribed(await prod), []);
});

test("under mocks: the alarm topic is encrypted with the stack key when there is one (CloudWatch cannot use SNS's own)", async () => {
  const topicKey = async (run: Promise<StackRun>) =>
    one(await run, "aws:sns/topic:Topic", "capacity-alarms-topic").inputs.kmsMasterKeyId;
  assert.equal(await topicKey(dev), undefined);
  assert.equal(await topicKey(prod), (await prod).outputs.kmsKeyArn);
  assert.ok(String(await topicKey(prod)).startsWith("arn:aws:kms:"));
});

test("under mocks: with alert emails, the processing stack subscribes them to the capacity-alarm topic", async () => {
  // The topic the synthetic aws-resources outputs name.
  const topicArn = syntheticAwsResources.capacityAlarmTopicArn;
  const run = await runStackUnderTest("processing", { overrides: { alertEmails: ["oncall@example.com"] } });
  const capacity = ofType(run, "aws:sns/topicSubscription:TopicSubscription").filter((s) =>
    s.name.startsWith("fraud-alerts-capacity-"),
  );
  assert.deepEqual(
    capacity.map((s) => [s.inputs.topic, s.inputs.protocol, s.inputs.endpoint]),
    [[topicArn, "email", "oncall@example.com"]],
  );
  const without = await sharedStackRun("processing");
  assert.equal(ofType(without, "aws:sns/topicSubscription:TopicSubscription").length, 0);
});
