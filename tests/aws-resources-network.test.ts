import assert from "node:assert/strict";
import { test } from "node:test";
import ipaddr from "ipaddr.js";
import { AZ_COUNT, natRouting, pickAzs, subnetLayout } from "../stacks/aws-resources/network";
import { byName, ofType, one } from "./helpers/resources";
import { runStackUnderTest, sharedStackRun } from "./helpers/stack-under-test";

test("the default VPC is cut into three public and three private /20s", () => {
  assert.deepEqual(subnetLayout("10.0.0.0/16"), {
    publicCidrs: ["10.0.0.0/20", "10.0.16.0/20", "10.0.32.0/20"],
    privateCidrs: ["10.0.48.0/20", "10.0.64.0/20", "10.0.80.0/20"],
  });
  assert.deepEqual(subnetLayout("172.20.16.0/20").privateCidrs, [
    "172.20.19.0/24",
    "172.20.20.0/24",
    "172.20.21.0/24",
  ]);
});

test("for every allowed VPC size the subnets are disjoint and inside the VPC", () => {
  for (const vpc of ["10.0.0.0/16", "10.128.0.0/17", "192.168.0.0/18", "172.31.0.0/19", "10.9.240.0/20"]) {
    const [vpcAddr, vpcBits] = ipaddr.IPv4.parseCIDR(vpc);
    const layout = subnetLayout(vpc);
    const all = [...layout.publicCidrs, ...layout.privateCidrs];
    assert.equal(all.length, 2 * AZ_COUNT);
    const ranges = all.map((c) => {
      const [addr, bits] = ipaddr.IPv4.parseCIDR(c);
      assert.equal(bits, vpcBits + 4, c);
      assert.ok(addr.match(vpcAddr, vpcBits), `${c} inside ${vpc}`);
      const start = addr.toByteArray().reduce((n, b) => n * 256 + b, 0);
      return [start, start + 2 ** (32 - bits)] as const;
    });
    for (let i = 0; i < ranges.length; i++) {
      for (let j = i + 1; j < ranges.length; j++) {
        assert.ok(ranges[i]![1] <= ranges[j]![0], `${all[i]} and ${all[j]} do not overlap`);
      }
    }
  }
});

test("zones: the first three by name; fewer than three is an error naming them", () => {
  assert.deepEqual(pickAzs(["us-east-1d", "us-east-1a", "us-east-1c", "us-east-1b"]), [
    "us-east-1a",
    "us-east-1b",
    "us-east-1c",
  ]);
  assert.throws(
    () => pickAzs(["ca-west-1a", "ca-west-1b"]),
    /has 2 available zone\(s\) \(ca-west-1a, ca-west-1b\); this stack needs 3/,
  );
});

test("private subnets route through their own AZ's NAT, or all through the first", () => {
  assert.deepEqual(natRouting(true), [0, 1, 2]);
  assert.deepEqual(natRouting(false), [0, 0, 0]);
});

test("under mocks: VPC, subnets, tags and routes of the dev stack", async () => {
  const run = await sharedStackRun("aws-resources");
  const vpc = one(run, "aws:ec2/vpc:Vpc");
  assert.deepEqual(
    [vpc.inputs.cidrBlock, vpc.inputs.enableDnsSupport, vpc.inputs.enableDnsHostnames],
    ["10.0.0.0/16", true, true],
  );
  const azLookup = run.invokes.find((i) => i.token === "aws:index/getAvailabilityZones:getAvailabilityZones");
  assert.deepEqual(azLookup?.inputs, {
    state: "available",
    excludeZoneIds: ["use1-az3", "usw1-az2", "cac1-az3"],
    filters: [{ name: "zone-type", values: ["availability-zone"] }],
  });

  const subnets = ofType(run, "aws:ec2/subnet:Subnet");
  const summary = subnets
    .map((s) => {
      const tags = s.inputs.tags as Record<string, string>;
      const role = tags["kubernetes.io/role/elb"]
        ? "elb"
        : tags["kubernetes.io/role/internal-elb"]
          ? "internal-elb"
          : "-";
      return [s.name, s.inputs.cidrBlock, s.inputs.availabilityZone, s.inputs.mapPublicIpOnLaunch, role];
    })
    .sort();
  assert.deepEqual(summary, [
    ["network-private-0", "10.0.48.0/20", "us-east-1a", false, "internal-elb"],
    ["network-private-1", "10.0.64.0/20", "us-east-1b", false, "internal-elb"],
    ["network-private-2", "10.0.80.0/20", "us-east-1c", false, "internal-elb"],
    ["network-public-0", "10.0.0.0/20", "us-east-1a", false, "elb"],
    ["network-public-1", "10.0.16.0/20", "us-east-1b", false, "elb"],
    ["network-public-2", "10.0.32.0/20", "us-east-1c", false, "elb"],
  ]);

  // Dev: one NAT gateway (in the first public subnet) serves all three private route tables.
  const nat = one(run, "aws:ec2/natGateway:NatGateway");
  assert.ok(nat.dependencyUrns.includes(byName(run, "network-public-0", "aws:ec2/subnet:Subnet").urn));
  const natEip = run.resources.find((r) => r.type === "aws:ec2/eip:Eip" && r.name === "network-nat-0");
  assert.equal(natEip?.inputs.domain, "vpc");
  const routes = ofType(run, "aws:ec2/route:Route");
  assert.deepEqual(
    routes.map((r) => r.inputs.destinationCidrBlock),
    ["0.0.0.0/0", "0.0.0.0/0", "0.0.0.0/0", "0.0.0.0/0"],
  );
  const privateRoutes = routes.filter((r) => r.name.startsWith("network-private-"));
  assert.equal(privateRoutes.length, 3);
  for (const r of privateRoutes) assert.ok(r.dependencyUrns.includes(nat.urn), `${r.name} → NAT`);
  assert.ok(
    byName(run, "network-public-default").dependencyUrns.includes(
      one(run, "aws:ec2/internetGateway:InternetGateway").urn,
    ),
  );
  assert.equal(ofType(run, "aws:ec2/routeTableAssociation:RouteTableAssociation").length, 6);

  const defaultSg = one(run, "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup");
  assert.deepEqual([defaultSg.inputs.ingress, defaultSg.inputs.egress], [[], []]);
});

test("under mocks: natGatewayPerAz gives each private subnet its own AZ's NAT gateway", async () => {
  const run = await runStackUnderTest("aws-resources", {
    overrides: { natGatewayPerAz: true, vpcCidr: "10.20.0.0/20" },
  });
  const nats = ofType(run, "aws:ec2/natGateway:NatGateway");
  assert.equal(nats.length, 3);
  const urn = (name: string) => run.resources.find((r) => r.name === name)!.urn;
  for (let i = 0; i < 3; i++) {
    const nat = nats.find((n) => n.name === `network-nat-${i}`)!;
    assert.ok(nat.dependencyUrns.includes(urn(`network-public-${i}`)), `NAT ${i} in public subnet ${i}`);
    const route = run.resources.find((r) => r.name === `network-private-${i}-default`)!;
    assert.ok(route.dependencyUrns.includes(nat.urn), `private route ${i} → NAT ${i}`);
  }
  const cidrs = ofType(run, "aws:ec2/subnet:Subnet")
    .map((s) => s.inputs.cidrBlock)
    .sort();
  assert.deepEqual(cidrs, [
    "10.20.0.0/24",
    "10.20.1.0/24",
    "10.20.2.0/24",
    "10.20.3.0/24",
    "10.20.4.0/24",
    "10.20.5.0/24",
  ]);
});

test("under mocks: public addresses wait for the internet gateway and go before it on destroy", async () => {
  const run = await sharedStackRun("aws-resources");
  const igw = one(run, "aws:ec2/internetGateway:InternetGateway");
  // Associating an Elastic IP or creating a publicly accessible Redshift cluster fails while the VPC has
  // no attached gateway; detaching the gateway fails while they still hold public addresses.
  const holders = [
    one(run, "aws:ec2/eipAssociation:EipAssociation"),
    one(run, "aws:redshift/cluster:Cluster"),
    ...ofType(run, "aws:ec2/natGateway:NatGateway"),
  ];
  for (const r of holders) assert.ok(r.dependencyUrns.includes(igw.urn), `${r.type} ${r.name} → IGW`);
});
