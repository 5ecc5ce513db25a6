import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { cidrIngressRules } from "../../../lib/cidr-rules";
import {
  AL2023_AMI_PARAMETER,
  EC2_TRUST_POLICY,
  PUBLIC_IP_JUSTIFICATION,
  PUBLIC_IP_JUSTIFICATION_TAG,
  ecrRepositoryArn,
  oracleInstancePolicy,
} from "./host-identity";
import { connectorIngressGroups } from "../ingress-groups";
import { ORACLE, SECRET_KEYS } from "./names";
import { recoveryAreaGiB } from "./recovery-area";
import { OracleVolumeSnapshots } from "./snapshots";
import { compressUserData, renderOracleUserData } from "./user-data";

export interface OracleXStreamDatabaseArgs {
  /** VPC of the host. */
  readonly vpcId: pulumi.Input<string>;
  /**
   * Subnet of the host: a public one when it has an Elastic IP (Confluent Cloud's managed connector reaches
   * it over the internet), a private one otherwise.
   */
  readonly subnetId: pulumi.Input<string>;
  /**
   * Give the host an Elastic IP (public mode). Without one it has no public address at all and Confluent
   * reaches it through the VPC endpoint service in front of it (private mode).
   */
  readonly publicAddress: boolean;
  /**
   * The VPC's internet gateway: the Elastic IP can only be associated once it is attached, and must be
   * disassociated before `destroy` detaches it.
   */
  readonly internetGateway: pulumi.Resource;
  /** Availability zone of `subnetId` (the data volume must live in the same zone). */
  readonly availabilityZone: pulumi.Input<string>;
  /** Base of physical names, e.g. `fd-dev-a1b2`. */
  readonly namePrefix: pulumi.Input<string>;
  /** Region, for the AWS CLI calls in the user data. */
  readonly region: string;
  /**
   * CIDRs allowed to connect to the listener (1521); one ingress rule each.
   * @default []
   */
  readonly allowedCidrs: readonly string[];
  /**
   * EC2 instance type.
   * @default "t3.large"
   */
  readonly instanceType: string;
  /**
   * Pinned AMI id. When unset, the current Amazon Linux 2023 AMI is looked up and later changes to it are
   * ignored, so a newly published image never replaces the database host.
   */
  readonly amiId?: string;
  /**
   * Oracle XE container image.
   * @default "container-registry.oracle.com/database/express:21.3.0-xe"
   */
  readonly image: string;
  /**
   * Size of the data volume in GiB.
   * @default 50
   */
  readonly dataVolumeGiB: number;
  /** Daily snapshots of the data volume to keep. */
  readonly snapshotsKept: number;
  /** Snapshot a newly created data volume starts from (a restore); later changes are ignored. */
  readonly dataSnapshotId?: string;
  /**
   * Protect and retain the data volume and the secret; snapshot the volume on deletion.
   * @default true
   */
  readonly protectData: boolean;
  /**
   * Customer-managed key for the secret and both volumes; undefined uses the AWS-managed keys. The host
   * role may then decrypt with it, through Secrets Manager only.
   */
  readonly kmsKeyArn?: pulumi.Input<string>;
}

/** `<namePrefix>-<role>`, the physical name of one of the database's resources. */
const nameOf = (args: Pick<OracleXStreamDatabaseArgs, "namePrefix">, role: string) =>
  pulumi.interpolate`${args.namePrefix}-${role}`;

/**
 * Oracle Database XE 21c with XStream, in a container on an Amazon Linux 2023 host: generated passwords in
 * Secrets Manager (read at boot by the instance role), data on its own encrypted EBS volume, admin access
 * through SSM Session Manager only, and an SSM parameter that says when XStream is configured.
 */
export class OracleXStreamDatabase extends pulumi.ComponentResource {
  /**
   * The DNS name the CDC connector connects to: the Elastic IP's stable public name, or without one the
   * host's private name (Confluent's DNS record resolves it to the egress access point).
   */
  readonly connectorHost: pulumi.Output<string>;
  /** Private address for clients inside the VPC (the web app). */
  readonly privateIp: pulumi.Output<string>;
  /** The host's own group: allowedCidrs and the EKS nodes' rule. */
  readonly securityGroupId: pulumi.Output<string>;
  /** Empty groups, also on the host, for the connector stack's rules (see ../ingress-groups.ts). */
  readonly ingressSecurityGroupIds: pulumi.Output<string[]>;
  readonly instanceId: pulumi.Output<string>;
  readonly readyParameterName: pulumi.Output<string>;
  readonly readyParameterArn: pulumi.Output<string>;
  readonly secretArn: pulumi.Output<string>;
  /** Password of the XStream connect user (secret). */
  readonly xstreamPassword: pulumi.Output<string>;
  /** Password of the web app's schema user (secret). */
  readonly appPassword: pulumi.Output<string>;

  constructor(name: string, args: OracleXStreamDatabaseArgs, opts?: pulumi.ComponentResourceOptions) {
    super("fraud-infra:oracle:OracleXStreamDatabase", name, {}, opts);
    const { passwords, secret, secretVersion } = this.passwordSecret(name, args);
    const ready = this.readyParameter(name, args);
    const { profile, rolePolicy } = this.hostRole(name, args, secret, ready);
    const { sg, ingressGroups } = this.network(name, args);
    const { instance, eip } = this.host(name, args, {
      secret,
      ready,
      profile,
      securityGroupIds: [sg.id, ...ingressGroups.map((g) => g.id)],
      // The host reads the secret and writes the parameter at boot: their permissions must exist first.
      bootDependencies: [secretVersion, rolePolicy, ready],
    });

    this.connectorHost = eip ? eip.publicDns : instance.privateDns;
    this.privateIp = instance.privateIp;
    this.securityGroupId = sg.id;
    this.ingressSecurityGroupIds = pulumi.all(ingressGroups.map((g) => g.id));
    this.instanceId = instance.id;
    this.readyParameterName = ready.name;
    this.readyParameterArn = ready.arn;
    this.secretArn = secret.arn;
    this.xstreamPassword = pulumi.secret(passwords[ORACLE.xstreamUser].result);
    this.appPassword = pulumi.secret(passwords[ORACLE.appUser].result);
    this.registerOutputs({
      publicHost: this.connectorHost,
      privateIp: this.privateIp,
      securityGroupId: this.securityGroupId,
      ingressSecurityGroupIds: this.ingressSecurityGroupIds,
      instanceId: this.instanceId,
      readyParameterName: this.readyParameterName,
      secretArn: this.secretArn,
    });
  }

  /** Protect and retain what holds data: the passwords, their secret, the data volume. */
  private dataOptions(args: OracleXStreamDatabaseArgs): pulumi.CustomResourceOptions {
    return { parent: this, protect: args.protectData, retainOnDelete: args.protectData };
  }

  /** One generated password per database user, all in one Secrets Manager secret the host reads at boot. */
  private passwordSecret(name: string, args: OracleXStreamDatabaseArgs) {
    // Letters and digits only: they sit inside quoted SQL identifiers and an env file (see the user data).
    const password = (user: string) =>
      new random.RandomPassword(
        `${name}-${user.replace(/#/g, "")}`,
        { length: 24, special: false, minUpper: 2, minLower: 2, minNumeric: 2 },
        // A regenerated password would no longer match the one inside a retained database.
        { parent: this, protect: args.protectData },
      );
    // One per key, named after it: a renamed key would regenerate a password the database still holds.
    const passwords = Object.fromEntries(SECRET_KEYS.map((key) => [key, password(key)])) as Record<
      (typeof SECRET_KEYS)[number],
      random.RandomPassword
    >;
    const secret = new aws.secretsmanager.Secret(
      `${name}-passwords`,
      {
        name: nameOf(args, "oracle"),
        description:
          "Oracle XE passwords (sys/system, sample, XStream admin and connect user; bootstrap: replaced at setup)",
        recoveryWindowInDays: args.protectData ? 7 : 0,
        kmsKeyId: args.kmsKeyArn,
      },
      this.dataOptions(args),
    );
    const secretVersion = new aws.secretsmanager.SecretVersion(
      `${name}-passwords`,
      {
        secretId: secret.id,
        secretString: pulumi
          .all(Object.entries(passwords).map(([user, pw]) => pw.result.apply((v) => [user, v] as const)))
          .apply((pairs) => JSON.stringify(Object.fromEntries(pairs))),
      },
      this.dataOptions(args),
    );
    return { passwords, secret, secretVersion };
  }

  /** Pulumi creates the parameter; only the host writes its value afterwards. */
  private readyParameter(name: string, args: OracleXStreamDatabaseArgs): aws.ssm.Parameter {
    return new aws.ssm.Parameter(
      `${name}-ready`,
      {
        name: pulumi.interpolate`/${args.namePrefix}/oracle/ready`,
        type: "String",
        value: "pending",
        description:
          "Oracle XStream setup state: pending, configuring, ready:<instance-id> or failed:<instance-id>: <step>",
      },
      { parent: this, ignoreChanges: ["value"] },
    );
  }

  /** The host's identity: SSM Session Manager, its one secret and its one ready parameter. */
  private hostRole(
    name: string,
    args: OracleXStreamDatabaseArgs,
    secret: aws.secretsmanager.Secret,
    ready: aws.ssm.Parameter,
  ) {
    const parent = { parent: this };
    const role = new aws.iam.Role(
      `${name}-host`,
      {
        description: "Oracle XE host: SSM Session Manager, its password secret and its ready parameter",
        assumeRolePolicy: EC2_TRUST_POLICY,
      },
      parent,
    );
    new aws.iam.RolePolicyAttachment(
      `${name}-ssm-core`,
      { role: role.name, policyArn: aws.iam.ManagedPolicy.AmazonSSMManagedInstanceCore },
      parent,
    );
    const rolePolicy = new aws.iam.RolePolicy(
      `${name}-host`,
      {
        role: role.name,
        policy: pulumi
          .all([secret.arn, ready.arn, args.kmsKeyArn])
          .apply(([s, p, key]) =>
            oracleInstancePolicy(
              s,
              p,
              key ? { keyArn: key, region: args.region } : undefined,
              ecrRepositoryArn(args.image),
            ),
          ),
      },
      parent,
    );
    const profile = new aws.iam.InstanceProfile(`${name}-host`, { role: role.name }, parent);
    return { profile, rolePolicy };
  }

  /** The host's own security group (allowedCidrs on the listener) and the connector stack's ingress groups. */
  private network(name: string, args: OracleXStreamDatabaseArgs) {
    const parent = { parent: this };
    // No inline rules: every rule is its own resource, so other stacks can add rules to this group
    // (the connector stack opens 1521 to Confluent's egress CIDRs) without fighting over it.
    const sg = new aws.ec2.SecurityGroup(
      `${name}-host`,
      { vpcId: args.vpcId, description: "Oracle XE listener", tags: { Name: nameOf(args, "oracle") } },
      parent,
    );
    new aws.vpc.SecurityGroupEgressRule(
      `${name}-egress`,
      {
        securityGroupId: sg.id,
        ipProtocol: "-1",
        cidrIpv4: "0.0.0.0/0",
        description: "packages, container image, AWS APIs (SSM, Secrets Manager)",
      },
      parent,
    );
    cidrIngressRules(
      `${name}-listener`,
      args.allowedCidrs,
      {
        securityGroupId: sg.id,
        port: ORACLE.port,
        description: "Oracle listener from an allowed admin CIDR",
      },
      parent,
    );

    const ingressGroups = connectorIngressGroups(
      name,
      { vpcId: args.vpcId, port: ORACLE.port, store: "Oracle listener" },
      parent,
    );
    return { sg, ingressGroups };
  }

  /** The instance, its Elastic IP and its data volume. */
  private host(
    name: string,
    args: OracleXStreamDatabaseArgs,
    boot: {
      readonly secret: aws.secretsmanager.Secret;
      readonly ready: aws.ssm.Parameter;
      readonly profile: aws.iam.InstanceProfile;
      readonly securityGroupIds: pulumi.Input<string>[];
      readonly bootDependencies: pulumi.Resource[];
    },
  ) {
    const parent = { parent: this };
    const ami =
      args.amiId ??
      aws.ssm.getParameterOutput({ name: AL2023_AMI_PARAMETER }, parent).apply((p) => p.insecureValue);

    // The snapshot policy finds the volume by its Name tag.
    const volumeName = nameOf(args, "oracle-data");
    const dataVolume = new aws.ebs.Volume(
      `${name}-data`,
      {
        availabilityZone: args.availabilityZone,
        size: args.dataVolumeGiB,
        type: "gp3",
        encrypted: true,
        kmsKeyId: args.kmsKeyArn,
        finalSnapshot: args.protectData,
        snapshotId: args.dataSnapshotId,
        tags: { Name: volumeName },
      },
      // The snapshot only matters when the volume is created: setting it must not replace the volume.
      { ...this.dataOptions(args), ignoreChanges: ["snapshotId"] },
    );
    new OracleVolumeSnapshots(
      `${name}-snapshots`,
      { volumeName, keep: args.snapshotsKept },
      { parent: this },
    );

    // Allocated before the host, so the user data can wait for it: the Confluent connector needs an address
    // that survives stop/start (docs/design-decisions.md#elastic-ip-for-oracle).
    const eip = args.publicAddress
      ? new aws.ec2.Eip(
          `${name}-host`,
          {
            domain: "vpc",
            tags: { Name: nameOf(args, "oracle"), [PUBLIC_IP_JUSTIFICATION_TAG]: PUBLIC_IP_JUSTIFICATION },
          },
          parent,
        )
      : undefined;
    const publicTags: Record<string, string> = eip
      ? { [PUBLIC_IP_JUSTIFICATION_TAG]: PUBLIC_IP_JUSTIFICATION }
      : {};

    const userDataBase64 = pulumi
      .all([boot.secret.arn, boot.ready.name, dataVolume.id, eip?.publicIp ?? ""])
      .apply(([secretArn, readyParameterName, dataVolumeId, publicIp]) =>
        renderOracleUserData({
          region: args.region,
          secretArn,
          readyParameterName,
          dataVolumeId,
          image: args.image,
          publicIp,
          recoveryAreaGiB: recoveryAreaGiB(args.dataVolumeGiB),
        }),
      )
      .apply(compressUserData);

    // With an Elastic IP, in a PUBLIC subnet on purpose: Confluent Cloud's fully managed connector reaches the
    // database over the internet. Only the allow-listed CIDRs (and the rules the connector stack adds for
    // Confluent's egress IPs) can connect; there is no SSH key and no port 22. Without one, in a private subnet.
    const instance = new aws.ec2.Instance(
      `${name}-host`,
      {
        ami,
        instanceType: args.instanceType,
        subnetId: args.subnetId,
        vpcSecurityGroupIds: boot.securityGroupIds,
        associatePublicIpAddress: false,
        iamInstanceProfile: boot.profile.name,
        // IMDSv2 only, and a hop limit of 1 keeps the container (one network hop further) away from the
        // instance role's credentials: only the host's own script reads the secret.
        metadataOptions: { httpTokens: "required", httpEndpoint: "enabled", httpPutResponseHopLimit: 1 },
        monitoring: true,
        rootBlockDevice: {
          volumeType: "gp3",
          volumeSize: 30,
          encrypted: true,
          kmsKeyId: args.kmsKeyArn,
          deleteOnTermination: true,
        },
        userDataBase64,
        // The script is a first-boot bootstrap; the database lives on the data volume, so a changed script
        // must not destroy the host (re-run it through SSM Run Command instead). Changing user data in place
        // would still stop and start the database for a script that never runs again, so later changes are
        // ignored (see ignoreChanges); `pulumi up --replace <instance urn>` applies a new script deliberately.
        userDataReplaceOnChange: false,
        tags: { Name: nameOf(args, "oracle"), ...publicTags },
      },
      {
        parent: this,
        dependsOn: boot.bootDependencies,
        // Both fields that can carry the script: neither may change in place (see userDataReplaceOnChange).
        ignoreChanges: [...(args.amiId ? [] : ["ami"]), "userData", "userDataBase64"],
      },
    );
    if (eip) {
      new aws.ec2.EipAssociation(
        `${name}-host`,
        { allocationId: eip.allocationId, instanceId: instance.id },
        { parent: this, dependsOn: [args.internetGateway] },
      );
    }

    // Detach only after stopping the host (no torn writes), and detach before attaching to a replacement host.
    new aws.ec2.VolumeAttachment(
      `${name}-data`,
      {
        deviceName: "/dev/sdf",
        volumeId: dataVolume.id,
        instanceId: instance.id,
        stopInstanceBeforeDetaching: true,
      },
      { parent: this, deleteBeforeReplace: true },
    );
    return { instance, eip };
  }
}
