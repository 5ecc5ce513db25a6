import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import { isTrue } from "./util";

export const SECRET = "aws:secretsmanager/secret:Secret";
export const SECRET_ROTATION = "aws:secretsmanager/secretRotation:SecretRotation";
export const KMS_KEY = "aws:kms/key:Key";

export const secretsManagerRotation: StackValidationPolicy = {
  name: "secretsmanager-rotation",
  description:
    "Secrets Manager secrets should have automatic rotation (an aws.secretsmanager.SecretRotation for the " +
    "secret). Advisory, with a documented exception: the stack's secret holds generated database passwords " +
    "(random.RandomPassword) that the database itself, the CDC connector's configSensitive and the web app's " +
    "Kubernetes Secret must switch together, and a rotation Lambda would change only the secret. Rotating " +
    "them is a deliberate operation (see docs/security.md). Mirrors Checkov CKV2_AWS_57, cdk-nag AwsSolutions-SMG4.",
  enforcementLevel: "advisory",
  validateStack: (args, reportViolation) => {
    const rotations = args.resources.filter((r) => r.type === SECRET_ROTATION);
    for (const secret of args.resources.filter((r) => r.type === SECRET)) {
      const rotated = rotations.some(
        (r) =>
          r.dependencies.some((d) => d.urn === secret.urn) ||
          (r.props.secretId !== undefined && [secret.props.arn, secret.props.id].includes(r.props.secretId)),
      );
      if (!rotated) {
        reportViolation(
          `${secret.name}: no automatic rotation; rotate it with the procedure in docs/security.md`,
          secret.urn,
        );
      }
    }
  },
};

export const kmsKeyRotation: ResourceValidationPolicy = {
  name: "kms-key-rotation",
  description:
    "Symmetric customer-managed KMS keys rotate their key material yearly (enableKeyRotation). Asymmetric " +
    "and HMAC keys cannot rotate and are skipped. Mirrors Checkov CKV_AWS_7, Trivy AVD-AWS-0065, cdk-nag " +
    "AwsSolutions-KMS5.",
  enforcementLevel: "mandatory",
  validateResource: (args, reportViolation) => {
    if (args.type !== KMS_KEY) return;
    const spec = args.props.customerMasterKeySpec ?? args.props.keySpec;
    if (spec !== undefined && spec !== "SYMMETRIC_DEFAULT") return;
    if (!isTrue(args.props.enableKeyRotation)) reportViolation(`${args.name}: enableKeyRotation is not true`);
  },
};
