/**
 * The prod profile as docs/production.md has an operator complete it: every placeholder of
 * Pulumi.prod.yaml replaced (the CIDRs by addresses outside the documentation ranges, from the
 * benchmarking range 198.18.0.0/15), a certificate and its DNS name, and both images mirrored to the
 * account's ECR and named by digest. Fully qualified, as `runPlan` takes overrides.
 */
export const PROD_REPLACEMENTS: Readonly<Record<string, unknown>> = {
  "aws-resources:allowedCidrs": ["198.18.0.10/32"],
  "aws-resources:eksPublicAccessCidrs": ["198.18.0.20/32"],
  "aws-resources:webappAllowedCidrs": ["198.18.1.0/24"],
  "aws-resources:webappCertificateArn":
    "arn:aws:acm:us-east-1:123456789012:certificate/0a1b2c3d-4e5f-4a7b-8c9d-0e1f2a3b4c5d",
  "aws-resources:webappDomainName": "fraud.example.com",
  "aws-resources:webappImage": `123456789012.dkr.ecr.us-east-1.amazonaws.com/fraud-webapp@sha256:${"a".repeat(64)}`,
  "aws-resources:oracleImage": `123456789012.dkr.ecr.us-east-1.amazonaws.com/oracle-xe@sha256:${"b".repeat(64)}`,
};

/** The same replacements, unqualified, for one aws-resources config load. */
export function prodAwsResourcesConfig(): Record<string, string> {
  return Object.fromEntries(
    Object.entries(PROD_REPLACEMENTS).map(([k, v]) => [
      k.replace(/^aws-resources:/, ""),
      typeof v === "string" ? v : JSON.stringify(v),
    ]),
  );
}

/** The same replacements as config overrides of one aws-resources run (`runStackUnderTest`). */
export function prodAwsResourcesOverrides(): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(PROD_REPLACEMENTS).map(([k, v]) => [k.replace(/^aws-resources:/, ""), v]),
  );
}
