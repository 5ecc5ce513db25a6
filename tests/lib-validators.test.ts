import assert from "node:assert/strict";
import { test } from "node:test";
import {
  checkAwsRegion,
  checkEmailAddress,
  checkNamePart,
  checkRestrictedCidr,
  checkVpcCidr,
  splitCidr,
  zEmailList,
} from "../lib/validators";

test("restricted CIDRs: valid narrow ranges pass", () => {
  for (const ok of ["203.0.113.7/32", "10.1.0.0/16", "10.0.0.0/9", "2001:db8::/33", "2001:db8:1::/48"]) {
    assert.equal(checkRestrictedCidr(ok), undefined, ok);
  }
});

test("restricted CIDRs: a /8 (IPv6 /32) counts as world-open; a stack's widest range is a cap of its own", () => {
  assert.match(checkRestrictedCidr("10.0.0.0/8") ?? "", /whole internet.*IPv4 \/9 or longer/);
  assert.match(checkRestrictedCidr("2001:db8::/32") ?? "", /whole internet/);
  const offTrial = { ipv4: 16, ipv6: 48 };
  assert.equal(checkRestrictedCidr("10.1.0.0/16", offTrial), undefined);
  assert.match(checkRestrictedCidr("10.0.0.0/12", offTrial) ?? "", /wider than \/16, the widest range/);
  assert.match(checkRestrictedCidr("2001:db8::/40", offTrial) ?? "", /wider than \/48/);
});

test("restricted CIDRs: world-open, too broad, malformed and host-bit CIDRs fail", () => {
  assert.match(checkRestrictedCidr("0.0.0.0/0") ?? "", /whole internet/);
  assert.match(checkRestrictedCidr("::/0") ?? "", /whole internet/);
  assert.match(checkRestrictedCidr("128.0.0.0/1") ?? "", /whole internet/);
  assert.match(checkRestrictedCidr("10.0.0.1") ?? "", /must be a CIDR block/);
  assert.match(checkRestrictedCidr("10.0.0.0/33") ?? "", /must be a CIDR block/);
  assert.match(checkRestrictedCidr("300.1.1.1/32") ?? "", /must be a CIDR block/);
  assert.match(checkRestrictedCidr("10.1.2.3/16") ?? "", /did you mean 10\.1\.0\.0\/16/);
});

test("VPC CIDRs must be private and sized /16 to /20", () => {
  assert.equal(checkVpcCidr("10.0.0.0/16"), undefined);
  assert.equal(checkVpcCidr("192.168.0.0/20"), undefined);
  assert.match(checkVpcCidr("8.8.0.0/16") ?? "", /private IPv4/);
  assert.match(checkVpcCidr("10.0.0.0/24") ?? "", /\/16 to \/20/);
  assert.match(checkVpcCidr("10.0.0.0/12") ?? "", /\/16 to \/20/);
});

test("splitCidr lays subnets out contiguously and refuses overflow", () => {
  assert.deepEqual(splitCidr("10.0.0.0/16", 4, 3), ["10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/20"]);
  assert.deepEqual(splitCidr("172.16.0.0/20", 2, 4), [
    "172.16.0.0/22",
    "172.16.4.0/22",
    "172.16.8.0/22",
    "172.16.12.0/22",
  ]);
  assert.throws(() => splitCidr("10.0.0.0/16", 2, 5), /cannot hold 5 subnets/);
});

test("regions and name parts", () => {
  assert.equal(checkAwsRegion("eu-west-1"), undefined);
  assert.match(checkAwsRegion("us-east-9") ?? "", /must be an AWS region code/);
  assert.equal(checkNamePart("fd-prod", 10), undefined);
  assert.match(checkNamePart("FD", 10) ?? "", /lowercase/);
  assert.match(checkNamePart("fd-", 10) ?? "", /no trailing hyphen/);
  assert.match(checkNamePart("averyverylongname", 10) ?? "", /at most 10/);
});

test("email addresses: one plain address passes; lists, display names and broken domains do not", () => {
  for (const ok of ["oncall@example.com", "fraud.team+alerts@mail.example.org", "a@b.io"]) {
    assert.equal(checkEmailAddress(ok), undefined, ok);
  }
  for (const bad of [
    "a@b.c,d@e.f",
    "Ops <ops@example.com>",
    "ops@example",
    "ops@@example.com",
    "ops example@example.com",
    ".ops@example.com",
    "o..ps@example.com",
    `${"x".repeat(65)}@example.com`,
    `ops@${"a".repeat(250)}.com`,
  ]) {
    assert.match(checkEmailAddress(bad) ?? "", /must be one email address/, bad);
  }
});

test("email lists: each address checked, none twice in any case, at most the limit, which is named", () => {
  const list = zEmailList(2, "a test limit");
  assert.deepEqual(list.parse('["a@example.com","b@example.com"]'), ["a@example.com", "b@example.com"]);
  const problems = (value: string) => {
    const r = list.safeParse(value);
    return r.success ? [] : r.error.issues.map((i) => i.message);
  };
  assert.deepEqual(problems('["a@b.c,d@e.f"]'), [
    '"a@b.c,d@e.f": must be one email address such as oncall@example.com',
  ]);
  assert.deepEqual(problems('["a@example.com","A@example.com"]'), ['"A@example.com" is listed twice']);
  assert.deepEqual(problems('["a@example.com","b@example.com","c@example.com"]'), [
    "must list at most 2 addresses (a test limit)",
  ]);
});
