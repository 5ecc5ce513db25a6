/** Pure pieces of the Oracle host's identity and image choice (tested without a Pulumi engine). */
import { ORACLE_METRICS_NAMESPACE } from "../../../lib/oracle-capacity";
import { secretDecryptStatement } from "../kms-policy";

/** Public SSM parameter with the current Amazon Linux 2023 (x86_64) AMI id. */
export const AL2023_AMI_PARAMETER = "/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64";

/** Why the host has a public address, as a tag next to it (the policy pack requires one). */
export const PUBLIC_IP_JUSTIFICATION_TAG = "PublicIpJustification";
export const PUBLIC_IP_JUSTIFICATION =
  "Confluent Cloud managed XStream CDC connector connects over the internet - 1521 only from allow-listed CIDRs";

/** `<account>.dkr.ecr.<region>.amazonaws.com/<repository>[:tag][@digest]`: an image in an ECR registry. */
const ECR_IMAGE =
  /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com\/([a-z0-9][a-z0-9._/-]*?)(?::[\w.-]+)?(?:@sha256:[0-9a-f]{64})?$/;

/** The ECR repository an image reference names (a copy mirrored into an account's ECR), or undefined. */
export function ecrRepositoryArn(image: string): string | undefined {
  const m = ECR_IMAGE.exec(image);
  return m ? `arn:aws:ecr:${m[2]}:${m[1]}:repository/${m[3]}` : undefined;
}

/**
 * Least-privilege inline policy of the Oracle host: read its one secret (decrypting it with the stack's
 * customer-managed key when there is one), write its one ready parameter, publish its capacity metrics
 * (PutMetricData has no resource; the namespace condition is how it is scoped:
 * https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/iam-cw-condition-keys-namespace.html),
 * and pull its image from the one ECR repository it names, if it names one (the login token itself has
 * no resource scope).
 */
export function oracleInstancePolicy(
  secretArn: string,
  readyParameterArn: string,
  secretKey?: { keyArn: string; region: string },
  imageRepositoryArn?: string,
): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "ReadOraclePasswords",
        Effect: "Allow",
        Action: "secretsmanager:GetSecretValue",
        Resource: secretArn,
      },
      { Sid: "WriteReadySignal", Effect: "Allow", Action: "ssm:PutParameter", Resource: readyParameterArn },
      {
        Sid: "PublishCapacityMetrics",
        Effect: "Allow",
        Action: "cloudwatch:PutMetricData",
        Resource: "*",
        Condition: { StringEquals: { "cloudwatch:namespace": ORACLE_METRICS_NAMESPACE } },
      },
      ...(secretKey ? [secretDecryptStatement(secretKey.keyArn, secretKey.region)] : []),
      ...(imageRepositoryArn
        ? [
            { Sid: "EcrLogin", Effect: "Allow", Action: "ecr:GetAuthorizationToken", Resource: "*" },
            {
              Sid: "PullOracleImage",
              Effect: "Allow",
              Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"],
              Resource: imageRepositoryArn,
            },
          ]
        : []),
    ],
  });
}

/** The host's role is assumable by EC2 only. */
export const EC2_TRUST_POLICY = JSON.stringify({
  Version: "2012-10-17",
  Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }],
});
