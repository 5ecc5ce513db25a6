import assert from "node:assert/strict";
import { test } from "node:test";
import { deployCommand } from "../tools/deploy/command";
import type { TextFetch } from "../tools/deploy/deployer-address";
import {
  admitted,
  CHECKIP_URL,
  deployerAddressCheck,
  eksEndpointProblem,
  lookUpPublicIp,
  parseCidrList,
} from "../tools/deploy/deployer-address";
import { FakeWorkspace } from "./helpers/fake-workspace";

/** A fake checkip answer; records the URLs asked. */
function checkip(answer: string | Error, ok = true) {
  const asked: string[] = [];
  const fetch: TextFetch = (url) => {
    asked.push(url);
    return answer instanceof Error
      ? Promise.reject(answer)
      : Promise.resolve({ ok, text: () => Promise.resolve(answer) });
  };
  return { fetch, asked };
}

test("lookUpPublicIp: the trimmed IPv4 answer of checkip; anything else is unknown", async () => {
  const good = checkip("198.51.100.7\n");
  assert.equal(await lookUpPublicIp(good.fetch), "198.51.100.7");
  assert.deepEqual(good.asked, [CHECKIP_URL]);
  assert.equal(await lookUpPublicIp(checkip(new Error("ENOTFOUND")).fetch), undefined);
  assert.equal(await lookUpPublicIp(checkip("<html>", true).fetch), undefined);
  assert.equal(await lookUpPublicIp(checkip("198.51.100.7", false).fetch), undefined);
});

test("eksEndpointProblem: only a non-empty list that leaves a known address out stops the run", () => {
  assert.equal(eksEndpointProblem([], "198.51.100.7", "dev"), undefined, "EKS default: any address");
  assert.equal(eksEndpointProblem(["198.51.100.0/24"], "198.51.100.7", "dev"), undefined);
  assert.equal(
    eksEndpointProblem(["203.0.113.0/24"], undefined, "dev"),
    undefined,
    "unknown: nothing to say",
  );
  const problem = eksEndpointProblem(["203.0.113.0/24"], "198.51.100.7", "prod") ?? "";
  assert.match(
    problem,
    /aws-resources:eksPublicAccessCidrs \(203\.0\.113\.0\/24\) does not admit .* 198\.51\.100\.7/,
  );
  assert.ok(
    problem.includes(
      "`cd stacks/aws-resources && pulumi config set --path 'eksPublicAccessCidrs[1]' 198.51.100.7/32 --stack prod`",
    ),
    problem,
  );
  assert.ok(admitted(["10.0.0.0/8", "198.51.100.7/32"], "198.51.100.7"));
  assert.ok(!admitted(["not a cidr"], "198.51.100.7"));
  assert.deepEqual(parseCidrList('["203.0.113.0/24"]'), ["203.0.113.0/24"]);
  assert.deepEqual(parseCidrList(undefined), []);
  assert.deepEqual(parseCidrList("{"), []);
});

test("deployerAddressCheck: reads the aws-resources list, looks the address up once, ignores outputs and other stacks", async () => {
  const ws = new FakeWorkspace({ config: { "aws-resources:eksPublicAccessCidrs": '["203.0.113.0/24"]' } });
  const handle = (await ws.select("aws-resources", "dev", false))!;
  const { fetch, asked } = checkip("198.51.100.7");
  const check = deployerAddressCheck("up", "dev", fetch);
  assert.equal((await check("aws-resources", handle)).length, 1);
  assert.equal((await check("aws-resources", handle)).length, 1);
  assert.equal(asked.length, 1, "one lookup per run");
  assert.deepEqual(await check("connector", handle), []);
  assert.deepEqual(await deployerAddressCheck("outputs", "dev", fetch)("aws-resources", handle), []);
  const open = (await new FakeWorkspace().select("aws-resources", "dev", false))!;
  const untouched = checkip("198.51.100.7");
  assert.deepEqual(await deployerAddressCheck("up", "dev", untouched.fetch)("aws-resources", open), []);
  assert.deepEqual(untouched.asked, [], "no lookup when nothing needs the address");
});

test("fraud-infra up stops before any change when the EKS endpoint would refuse this machine", async () => {
  const lines: string[] = [];
  const ws = new FakeWorkspace({ config: { "aws-resources:eksPublicAccessCidrs": '["203.0.113.0/24"]' } });
  const code = await deployCommand({
    op: "up",
    stack: "dev",
    yes: true,
    interactive: false,
    write: (l) => lines.push(l),
    workspace: ws,
    pulumiVersion: async () => "v3.200.0",
    skipCredentialCheck: true,
    fetch: checkip("198.51.100.7").fetch,
  });
  assert.equal(code, 1);
  assert.match(
    lines.join("\n"),
    /Nothing was changed; fix these first:\n {2}- aws-resources: aws-resources:eksPublicAccessCidrs/,
  );
  assert.deepEqual(
    ws.calls.filter((c) => c.startsWith("up")),
    [],
    "no stack was run",
  );
});
