import assert from "node:assert/strict";
import { test } from "node:test";
import * as pulumi from "@pulumi/pulumi";
import { readUpstream, secretNames } from "../lib/stack-outputs";
import { awsResourcesContract, connectorContract } from "../lib/contracts";
import { syntheticAwsResources, syntheticConnector, upstreamOf } from "./helpers/synthetic-upstream";

const source = (values: Record<string, unknown>, secrets: string[] = []) => ({
  name: "org/p/dev",
  getOutputDetails: async (k: string) =>
    secrets.includes(k) ? { secretValue: values[k] } : { value: values[k] },
});

test("the synthetic upstreams satisfy their contracts", async () => {
  await readUpstream(source(syntheticAwsResources), awsResourcesContract);
  await readUpstream(source(syntheticConnector), connectorContract);
});

test("every password/secret-like contract field is declared secret", () => {
  for (const contract of [awsResourcesContract, connectorContract]) {
    for (const key of Object.keys(contract)) {
      if (/password|secret$|kubeconfig/i.test(key)) assert.ok(secretNames(contract).includes(key), key);
    }
  }
});

test("readUpstream reports every missing and mistyped output by name", async () => {
  const values: Record<string, unknown> = { ...syntheticAwsResources, oraclePort: "1521" };
  delete values.redshiftHost;
  await assert.rejects(readUpstream(source(values), awsResourcesContract), (err: Error) => {
    assert.match(err.message, /output 'oraclePort' has the wrong type/);
    assert.match(err.message, /output 'redshiftHost' is missing/);
    return true;
  });
});

test("upstreamOf marks exactly the contract's secret fields", () => {
  assert.deepEqual(upstreamOf(connectorContract, syntheticConnector).secretOutputNames, [
    "flinkApiSecret",
    "appKafkaApiSecret",
  ]);
});

test("what readUpstream returns matches Upstream<C>: plain fields are plain values, secret ones secret Outputs", async () => {
  const up = await readUpstream(source(syntheticAwsResources), awsResourcesContract);
  const host: string = up.oracleHost; // a type error if Upstream<C> declared an Output here
  assert.equal(typeof host, "string");
  assert.ok(pulumi.Output.isInstance(up.redshiftAdminPassword));
  assert.equal(await pulumi.isSecret(up.redshiftAdminPassword), true);
});

test("a secret field that arrives plain is still handed on as a secret", async () => {
  const up = await readUpstream(source(syntheticAwsResources, []), awsResourcesContract);
  assert.equal(await pulumi.isSecret(up.opensearchMasterPassword), true);
});

test("a plain field that arrives secret is refused by name instead of turning into an Output", async () => {
  await assert.rejects(
    readUpstream(source(syntheticAwsResources, ["oracleHost"]), awsResourcesContract),
    /output 'oracleHost' arrives secret but the contract declares it plain/,
  );
});
