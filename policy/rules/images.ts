import type { ResourceValidationPolicy } from "@pulumi/policy";
import { userDataText } from "./aws-compute";
import { containersOf, podSpec } from "./kubernetes";

/** `…@sha256:<64 hex>`: pinned to one build, whatever tag precedes it. */
const DIGEST = /@sha256:[0-9a-f]{64}$/;

/**
 * Images a user data script names literally: the value of an `*_IMAGE=` assignment (quotes dropped)
 * and the argument of `docker pull`; a `$VAR` argument names nothing by itself.
 */
function userDataImages(text: string): string[] {
  const images: string[] = [];
  for (const line of text.split("\n")) {
    const assigned = /^\s*(?:export\s+)?[A-Z][A-Z0-9_]*IMAGE=(\S+)\s*$/.exec(line);
    if (assigned?.[1]) images.push(assigned[1].replace(/^['"]|['"]$/g, ""));
    const pulled = /\bdocker\s+(?:image\s+)?pull\s+(?:-\S+\s+)*([^\s$"'-]\S*)/.exec(line);
    if (pulled?.[1]) images.push(pulled[1]);
  }
  return images.filter((image) => !image.startsWith("$"));
}

export interface ImagesByDigestConfig {
  /** The trial stack may run images by tag (policy/config.dev.json). */
  readonly allowTags?: boolean;
}

export const containerImagesByDigest: ResourceValidationPolicy = {
  name: "container-images-by-digest",
  description:
    "Every container image is named by digest (…@sha256:<digest>): the containers and init containers of " +
    "Kubernetes workloads, and an image EC2 user data names literally (an *_IMAGE= assignment or a docker pull " +
    "argument). A tag can be moved to another build. Only the trial stack's pack config (allowTags, " +
    "policy/config.dev.json) lets tags through. Stricter than Trivy KSV013 and Checkov CKV_K8S_14, which " +
    "refuse only an unset or `latest` tag.",
  enforcementLevel: "mandatory",
  configSchema: {
    properties: {
      allowTags: {
        type: "boolean",
        default: false,
        description: "Allow images named by tag: the trial stack only.",
      },
    },
  },
  validateResource: (args, reportViolation) => {
    if (args.getConfig<ImagesByDigestConfig>().allowTags === true) return;
    const pod = podSpec(args);
    for (const c of pod ? containersOf(pod) : []) {
      const image = typeof c.spec.image === "string" ? c.spec.image : "";
      if (!DIGEST.test(image)) {
        reportViolation(
          `${args.name} ${c.label}: image ${image} is named by tag; name it by digest (@sha256:…)`,
        );
      }
    }
    const userData = userDataText(args);
    for (const image of userData === undefined ? [] : userDataImages(userData)) {
      if (!DIGEST.test(image)) {
        reportViolation(`${args.name}: user data names image ${image} by tag; name it by digest (@sha256:…)`);
      }
    }
  },
};
