import assert from "node:assert/strict";
import { test } from "node:test";
import {
  FLOW_LOG,
  INGRESS_RULE,
  SECURITY_GROUP,
  SECURITY_GROUP_RULE,
  SUBNET,
  VPC,
  securityGroupNoSsh,
  securityGroupNoWorldIngress,
  subnetNoAutoPublicIp,
  vpcFlowLogs,
} from "../policy/rules/aws-network";
import { stackViolations, violations } from "./helpers/policy";

const vpcRule = (props: Record<string, unknown>) => ({
  type: INGRESS_RULE,
  name: "rule",
  props: { securityGroupId: "sg-1", ...props },
});

test("world ingress: 443 from 0.0.0.0/0 and ::/0 passes, other ports fail", () => {
  for (const cidr of [{ cidrIpv4: "0.0.0.0/0" }, { cidrIpv6: "::/0" }]) {
    const web = vpcRule({ ipProtocol: "tcp", fromPort: 443, toPort: 443, ...cidr });
    assert.deepEqual(violations(securityGroupNoWorldIngress, web), []);
  }
  assert.deepEqual(
    violations(
      securityGroupNoWorldIngress,
      vpcRule({ ipProtocol: "tcp", fromPort: 5439, toPort: 5439, cidrIpv4: "0.0.0.0/0" }),
    ),
    ["rule rule: tcp port 5439 is open to 0.0.0.0/0; only TCP 80/443 may be world-open"],
  );
});

test("world ingress: ranges, all-protocol rules, ICMP and /1 splits count as world-open", () => {
  const cases: [Record<string, unknown>, string][] = [
    [
      { ipProtocol: "tcp", fromPort: 80, toPort: 443, cidrIpv4: "0.0.0.0/0" },
      "tcp ports 80-443 is open to 0.0.0.0/0",
    ],
    [{ ipProtocol: "-1", cidrIpv6: "::/0" }, "all protocols and ports is open to ::/0"],
    [
      { ipProtocol: "icmp", fromPort: 8, toPort: 0, cidrIpv4: "0.0.0.0/0" },
      "protocol icmp is open to 0.0.0.0/0",
    ],
    [
      { ipProtocol: "tcp", fromPort: 1521, toPort: 1521, cidrIpv4: "128.0.0.0/1" },
      "tcp port 1521 is open to 128.0.0.0/1",
    ],
  ];
  for (const [props, expected] of cases) {
    const [message] = violations(securityGroupNoWorldIngress, vpcRule(props));
    assert.ok(message?.includes(expected), `${JSON.stringify(props)} → ${message}`);
  }
});

test("world ingress: narrow CIDRs and VPC-internal sources pass", () => {
  for (const cidr of ["203.0.113.7/32", "10.0.0.0/9", "2001:db8::/48"]) {
    const source = cidr.includes(":") ? { cidrIpv6: cidr } : { cidrIpv4: cidr };
    assert.deepEqual(
      violations(
        securityGroupNoWorldIngress,
        vpcRule({ ipProtocol: "tcp", fromPort: 1521, toPort: 1521, ...source }),
      ),
      [],
    );
  }
});

test("world ingress: inline ingress blocks and classic rules are checked, egress is not", () => {
  const sg = {
    type: SECURITY_GROUP,
    name: "oracle-sg",
    props: {
      ingress: [
        { protocol: "tcp", fromPort: 1521, toPort: 1521, cidrBlocks: ["203.0.113.0/24"] },
        { protocol: "tcp", fromPort: 5500, toPort: 5500, cidrBlocks: ["0.0.0.0/0"] },
      ],
      egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
    },
  };
  assert.deepEqual(violations(securityGroupNoWorldIngress, sg), [
    "oracle-sg ingress[1]: tcp port 5500 is open to 0.0.0.0/0; only TCP 80/443 may be world-open",
  ]);
  const classic = (type: string) => ({
    type: SECURITY_GROUP_RULE,
    name: "classic",
    props: {
      type,
      protocol: "tcp",
      fromPort: 9092,
      toPort: 9092,
      cidrBlocks: ["0.0.0.0/0"],
      securityGroupId: "sg-1",
    },
  });
  assert.equal(violations(securityGroupNoWorldIngress, classic("ingress")).length, 1);
  assert.deepEqual(violations(securityGroupNoWorldIngress, classic("egress")), []);
});

test("no SSH: port 22, ranges covering it and all-protocol rules fail from any source", () => {
  const fromVpc = { cidrIpv4: "10.0.0.0/16" };
  assert.deepEqual(
    violations(securityGroupNoSsh, vpcRule({ ipProtocol: "tcp", fromPort: 22, toPort: 22, ...fromVpc })),
    ["rule rule: tcp port 22 opens SSH (22); use SSM Session Manager instead"],
  );
  assert.equal(
    violations(securityGroupNoSsh, vpcRule({ ipProtocol: "tcp", fromPort: 0, toPort: 1024, ...fromVpc }))
      .length,
    1,
  );
  assert.equal(
    violations(securityGroupNoSsh, vpcRule({ ipProtocol: "-1", referencedSecurityGroupId: "sg-2" })).length,
    1,
  );
  const inline = {
    type: SECURITY_GROUP,
    name: "sg",
    props: { ingress: [{ protocol: "all", fromPort: 0, toPort: 0, self: true }] },
  };
  assert.equal(violations(securityGroupNoSsh, inline).length, 1);
});

test("no SSH: other ports and UDP 22 pass", () => {
  assert.deepEqual(
    violations(
      securityGroupNoSsh,
      vpcRule({ ipProtocol: "tcp", fromPort: 1521, toPort: 1521, cidrIpv4: "10.0.0.0/16" }),
    ),
    [],
  );
  assert.deepEqual(
    violations(
      securityGroupNoSsh,
      vpcRule({ ipProtocol: "udp", fromPort: 22, toPort: 22, cidrIpv4: "10.0.0.0/16" }),
    ),
    [],
  );
});

test("subnets do not map public IPs on launch", () => {
  const subnet = (mapPublicIpOnLaunch: boolean) => ({
    type: SUBNET,
    name: "public-a",
    props: { mapPublicIpOnLaunch },
  });
  assert.deepEqual(violations(subnetNoAutoPublicIp, subnet(false)), []);
  assert.deepEqual(violations(subnetNoAutoPublicIp, subnet(true)), [
    "public-a: mapPublicIpOnLaunch is true; request public IPs per instance instead",
  ]);
});

test("flow logs (stack): every VPC has a flow log that references it", () => {
  const vpc = (name: string) => ({
    type: VPC,
    name,
    urn: `urn:${name}`,
    props: { cidrBlock: "10.0.0.0/16" },
  });
  const flowLog = (vpcUrn: string) => ({
    type: FLOW_LOG,
    name: "flow-log",
    props: { vpcId: "vpc-1", trafficType: "ALL", logDestination: "arn:aws:logs:us-east-1:1:log-group:x" },
    dependencyUrns: [vpcUrn],
  });
  assert.deepEqual(stackViolations(vpcFlowLogs, [vpc("main"), flowLog("urn:main")]), []);
  assert.deepEqual(stackViolations(vpcFlowLogs, [vpc("main"), vpc("spare"), flowLog("urn:main")]), [
    {
      policy: "vpc-flow-logs",
      enforcementLevel: "mandatory",
      message: "spare: no flow log records this VPC's traffic",
      urn: "urn:spare",
    },
  ]);
  assert.equal(stackViolations(vpcFlowLogs, [vpc("main")]).length, 1);
});

test("world ingress: a /8 (or an IPv6 /32) is as good as world-open", () => {
  for (const source of [{ cidrIpv4: "3.0.0.0/8" }, { cidrIpv6: "2600::/32" }]) {
    const [message] = violations(
      securityGroupNoWorldIngress,
      vpcRule({ ipProtocol: "tcp", fromPort: 1521, toPort: 1521, ...source }),
    );
    assert.ok(message?.includes("tcp port 1521 is open to"), `${JSON.stringify(source)} → ${message}`);
  }
});
