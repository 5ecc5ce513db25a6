import { PolicyPack } from "@pulumi/policy";
import { resourcePolicies, stackPolicies } from "./rules";

// Constructing the pack starts the analyzer's gRPC server, so this is the only module that does;
// tests and the offline plan import the rules from ./rules instead.
new PolicyPack("fraud-infra-security", {
  description:
    "Security rules of the fraud-infra deployment: network exposure, encryption, secrets, least privilege.",
  enforcementLevel: "mandatory",
  policies: [...resourcePolicies, ...stackPolicies],
});
