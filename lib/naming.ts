/**
 * Resource naming and tagging. Every physical name is `<prefix>-<stack>[-<role>]-<suffix>`, where
 * the suffix is a short random hex id generated once per stack, so two stacks (or two users) in one
 * account never collide and a name is still readable in the console.
 */

/** Length of the random hex suffix (a `random.RandomId` of 2 bytes). */
const SUFFIX_LENGTH = 4;

/** AWS / Confluent naming limits of the resources this project names explicitly. */
export const NAME_LIMITS = {
  /** OpenSearch domain names: 3–28 characters, lowercase letters, digits, hyphens. */
  opensearchDomain: 28,
  /** Redshift cluster identifiers: 1–63 characters, lowercase, no double or trailing hyphen. */
  redshiftCluster: 63,
  /** EKS cluster names: 1–100 characters. */
  eksCluster: 100,
  /** Confluent service account display names: at most 64 characters. */
  confluentServiceAccount: 64,
} as const;

/** Pulumi stack names allow `A-Za-z0-9_.-`; AWS names are stricter, so normalise to `a-z0-9-`. */
export function normaliseStack(stack: string): string {
  return stack
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** `fd` + `dev` → `fd-dev`. */
export function baseName(prefix: string, stack: string): string {
  const s = normaliseStack(stack);
  return s ? `${prefix}-${s}` : prefix;
}

/** `fd-dev` + `a1b2` → `fd-dev-a1b2`; with a role: `fd-dev-oracle-a1b2`. */
export function physicalName(base: string, suffix: string, role?: string): string {
  return role ? `${base}-${role}-${suffix}` : `${base}-${suffix}`;
}

/**
 * Checks that the longest names built from this prefix and stack fit every limit in NAME_LIMITS.
 * Returns a message naming the limit that breaks, or `undefined`.
 */
export function checkNamesFit(prefix: string, stack: string): string | undefined {
  const base = baseName(prefix, stack);
  const sample = physicalName(base, "x".repeat(SUFFIX_LENGTH));
  if (sample.length > NAME_LIMITS.opensearchDomain) {
    const room = NAME_LIMITS.opensearchDomain - SUFFIX_LENGTH - 2 - normaliseStack(stack).length;
    return (
      `"${base}" is too long: the OpenSearch domain name "${sample}" would exceed ` +
      `${NAME_LIMITS.opensearchDomain} characters; use a prefix of at most ${Math.max(room, 0)} characters for stack "${stack}"`
    );
  }
  if (sample.includes("--")) return `"${base}" would contain "--", which Redshift identifiers do not allow`;
  return undefined;
}

/** The tag set applied to every taggable AWS resource (through the provider's `defaultTags`). */
export interface TagInputs {
  readonly project: string;
  readonly stack: string;
  readonly owner: string;
  readonly costCenter: string;
}

export function standardTags(t: TagInputs): Record<string, string> {
  return {
    Project: "fraud-infra",
    PulumiProject: t.project,
    PulumiStack: t.stack,
    Owner: t.owner,
    CostCenter: t.costCenter,
    ManagedBy: "pulumi",
  };
}

/**
 * The trial stack: the one stack name whose EKS endpoint may keep EKS's default (any address, every
 * request IAM-authenticated). The aws-resources config refuses an empty `eksPublicAccessCidrs` on
 * every other stack, and the policy pack is told the same (policy/config.dev.json).
 */
export const TRIAL_STACK = "dev";

export function isTrialStack(stack: string): boolean {
  return stack === TRIAL_STACK;
}
