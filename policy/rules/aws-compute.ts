import type {
  PolicyResource,
  ResourceValidationArgs,
  ResourceValidationPolicy,
  StackValidationPolicy,
} from "@pulumi/policy";
import { gunzipSync } from "node:zlib";
import { describeHits, findSecretMaterial } from "./secret-patterns";
import { isTrue, list, record, stringMap } from "./util";

export const INSTANCE = "aws:ec2/instance:Instance";
export const LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate";
export const EBS_VOLUME = "aws:ebs/volume:Volume";
export const EIP = "aws:ec2/eip:Eip";
export const EIP_ASSOCIATION = "aws:ec2/eipAssociation:EipAssociation";

/**
 * Tag an instance carries when it must have a public IP; its value says why. Requiring it on the
 * resource (not in a policy config) keeps the justification next to the thing it justifies,
 * visible in the console and in every preview.
 */
export const PUBLIC_IP_JUSTIFICATION_TAG = "PublicIpJustification";

export const ec2Imdsv2Required: ResourceValidationPolicy = {
  name: "ec2-imdsv2-required",
  description:
    "EC2 instances and launch templates require IMDSv2 session tokens (metadataOptions.httpTokens = " +
    '"required") or turn the metadata endpoint off. Mirrors Checkov CKV_AWS_79, Trivy AVD-AWS-0028.',
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type !== INSTANCE && args.type !== LAUNCH_TEMPLATE) return;
    const metadata = record(args.props.metadataOptions);
    if (metadata.httpEndpoint === "disabled" || metadata.httpTokens === "required") return;
    reportViolation(`${args.name}: metadataOptions.httpTokens must be "required" (IMDSv2)`);
  },
};

export const ec2ImdsHopLimit: ResourceValidationPolicy = {
  name: "ec2-imds-hop-limit-1",
  description:
    "EC2 instances and launch templates set the IMDS response hop limit to 1 " +
    "(metadataOptions.httpPutResponseHopLimit = 1) or turn the metadata endpoint off, so a container on " +
    "the host cannot fetch the instance role's credentials. Unset counts as a failure: AMIs that declare " +
    "IMDSv2 support launch with a hop limit of 2, and a preview cannot see the AMI. No direct Checkov, Trivy " +
    "or cdk-nag check: they stop at IMDSv2 tokens (CKV_AWS_79, AVD-AWS-0028), which a container reaches " +
    "through a second hop.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type !== INSTANCE && args.type !== LAUNCH_TEMPLATE) return;
    const metadata = record(args.props.metadataOptions);
    if (metadata.httpEndpoint === "disabled" || metadata.httpPutResponseHopLimit === 1) return;
    reportViolation(`${args.name}: metadataOptions.httpPutResponseHopLimit must be 1`);
  },
};

function unencryptedVolumes(args: ResourceValidationArgs): string[] {
  const props = args.props;
  if (args.type === EBS_VOLUME) return isTrue(props.encrypted) ? [] : ["the volume"];
  if (args.type === INSTANCE) {
    const bad = isTrue(record(props.rootBlockDevice).encrypted) ? [] : ["rootBlockDevice"];
    list(props.ebsBlockDevices).forEach((d, i) => {
      if (!isTrue(record(d).encrypted)) bad.push(`ebsBlockDevices[${i}]`);
    });
    return bad;
  }
  if (args.type === LAUNCH_TEMPLATE) {
    const bad: string[] = [];
    list(props.blockDeviceMappings).forEach((m, i) => {
      const ebs = record(record(m).ebs);
      if (Object.keys(ebs).length > 0 && !isTrue(ebs.encrypted)) bad.push(`blockDeviceMappings[${i}].ebs`);
    });
    return bad;
  }
  return [];
}

export const ebsEncrypted: ResourceValidationPolicy = {
  name: "ebs-encrypted",
  description:
    "Every EBS volume is encrypted: an instance's root and extra block devices, launch-template mappings, " +
    "and aws.ebs.Volume. An unset flag counts as unencrypted (account-level default encryption is not " +
    "visible to a preview). Mirrors Checkov CKV_AWS_3 and CKV_AWS_8, Trivy AVD-AWS-0026 and AVD-AWS-0131, " +
    "cdk-nag AwsSolutions-EC26.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    const bad = unencryptedVolumes(args);
    if (bad.length > 0) reportViolation(`${args.name}: not encrypted: ${bad.join(", ")}`);
  },
};

function wantsPublicIp(args: ResourceValidationArgs): boolean {
  if (args.type === INSTANCE) return isTrue(args.props.associatePublicIpAddress);
  if (args.type === LAUNCH_TEMPLATE) {
    return list(args.props.networkInterfaces).some((n) => isTrue(record(n).associatePublicIpAddress));
  }
  return false;
}

export const ec2PublicIpJustified: ResourceValidationPolicy = {
  name: "ec2-public-ip-justified",
  description:
    "An EC2 instance (or launch template) may ask for a public IP only when it carries a non-empty " +
    `'${PUBLIC_IP_JUSTIFICATION_TAG}' tag saying why. The one instance here that has it is the Oracle host: ` +
    "Confluent Cloud's fully managed XStream connector runs in Confluent's network and reaches Oracle over " +
    "the internet (private networking needs a Dedicated cluster); its security group admits 1521 only from " +
    "Confluent's egress CIDRs and the admin CIDRs, and SSH is closed. Similar to Checkov CKV_AWS_88, with " +
    "an explicit, reviewable exception instead of a skip comment.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (!wantsPublicIp(args)) return;
    const tags = { ...stringMap(args.props.tagsAll), ...stringMap(args.props.tags) };
    const why = tags[PUBLIC_IP_JUSTIFICATION_TAG];
    if (why === undefined || why.trim() === "") {
      reportViolation(
        `${args.name}: requests a public IP without a '${PUBLIC_IP_JUSTIFICATION_TAG}' tag explaining why`,
      );
    }
  },
};

function justified(r: PolicyResource | undefined): boolean {
  if (!r) return false;
  const tags = { ...stringMap(r.props.tagsAll), ...stringMap(r.props.tags) };
  return (tags[PUBLIC_IP_JUSTIFICATION_TAG] ?? "").trim() !== "";
}

export const ec2ElasticIpJustified: StackValidationPolicy = {
  name: "ec2-elastic-ip-justified",
  description:
    "An Elastic IP attached to an instance or network interface (Eip.instance / Eip.networkInterface or an " +
    `EipAssociation) gives it a public address, so the EIP or the instance carries the '${PUBLIC_IP_JUSTIFICATION_TAG}' ` +
    "tag, as for ec2-public-ip-justified (the Oracle host keeps a stable public address for Confluent's " +
    "connector). NAT gateway EIPs are not attached this way and are not checked. Similar to Checkov CKV_AWS_88.",
  enforcementLevel: "mandatory",
  validateStack: (args, reportViolation) => {
    const linked = (r: PolicyResource, type: string, key: string, value: unknown) =>
      args.resources.find(
        (x) =>
          x.type === type &&
          (r.dependencies.some((d) => d.urn === x.urn) || (value !== undefined && x.props[key] === value)),
      );
    for (const r of args.resources) {
      let eip: PolicyResource | undefined;
      let instanceId: unknown;
      if (r.type === EIP && (r.props.instance !== undefined || r.props.networkInterface !== undefined)) {
        eip = r;
        instanceId = r.props.instance;
      } else if (
        r.type === EIP_ASSOCIATION &&
        (r.props.instanceId ?? r.props.networkInterfaceId) !== undefined
      ) {
        eip = linked(r, EIP, "allocationId", r.props.allocationId);
        instanceId = r.props.instanceId;
      } else {
        continue;
      }
      if (justified(eip) || justified(linked(r, INSTANCE, "id", instanceId))) continue;
      reportViolation(
        `${r.name}: attaches a public Elastic IP without a '${PUBLIC_IP_JUSTIFICATION_TAG}' tag on the EIP or instance`,
        r.urn,
      );
    }
  },
};

/**
 * User data as text: `userData` is plain text on instances and base64 on launch templates;
 * gzip-compressed user data (which cloud-init accepts) is unpacked, so compression hides nothing.
 */
export function userDataText(args: ResourceValidationArgs): string | undefined {
  const p = args.props;
  const decode = (v: unknown) => {
    if (typeof v !== "string") return undefined;
    const bytes = Buffer.from(v, "base64");
    if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
      try {
        return gunzipSync(bytes).toString("utf8");
      } catch {
        // Not valid gzip after all: cloud-init would treat it as raw data too.
      }
    }
    return bytes.toString("utf8");
  };
  if (args.type === INSTANCE) return typeof p.userData === "string" ? p.userData : decode(p.userDataBase64);
  if (args.type === LAUNCH_TEMPLATE) return decode(p.userData);
  return undefined;
}

export const ec2UserDataNoSecrets: ResourceValidationPolicy = {
  name: "ec2-user-data-no-secrets",
  description:
    "EC2 user data (readable through the EC2 API and kept in cloud-init logs) contains no secret-looking " +
    "literal: no AWS access key id, private key, `password=…`/`PWD=…` assignment, `IDENTIFIED BY '…'` or " +
    "`user/password@db` connect string with a literal value. Fetch secrets at boot instead (values such as " +
    "`$(aws secretsmanager …)` or `${VAR}` are fine). Mirrors Checkov CKV_AWS_46, Trivy AVD-AWS-0029.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    const text = userDataText(args);
    if (text === undefined) return;
    const hits = findSecretMaterial(text);
    if (hits.length > 0) reportViolation(`${args.name}: user data contains ${describeHits(hits)}`);
  },
};
