import type { ResourceValidationPolicy, StackValidationPolicy } from "@pulumi/policy";
import {
  ebsEncrypted,
  ec2ElasticIpJustified,
  ec2ImdsHopLimit,
  ec2Imdsv2Required,
  ec2PublicIpJustified,
  ec2UserDataNoSecrets,
} from "./aws-compute";
import { eksControlPlaneLogging, eksEndpointNotWorldOpen, eksSecretsEncryption } from "./aws-eks";
import {
  securityGroupNoSsh,
  securityGroupNoWorldIngress,
  subnetNoAutoPublicIp,
  vpcFlowLogs,
} from "./aws-network";
import {
  opensearchAccessPolicyRestricted,
  opensearchAuditLogs,
  opensearchEncryptionAtRest,
  opensearchFineGrainedAccessControl,
  opensearchHttpsTls12,
  opensearchNodeToNodeEncryption,
} from "./aws-opensearch";
import {
  redshiftAuditLogging,
  redshiftClusterSslParameterGroup,
  redshiftEncrypted,
  redshiftPublicAccessRestricted,
  redshiftRequireSsl,
} from "./aws-redshift";
import { kmsKeyRotation, secretsManagerRotation } from "./aws-secrets";
import {
  confluentApiKeyServiceAccountOwner,
  confluentConnectorNoPlaintextSecrets,
  confluentNoAdminRoleBindings,
} from "./confluent";
import {
  k8sConfigMapNoCredentials,
  k8sContainerResourceLimits,
  k8sEnvNoLiteralSecrets,
  k8sNoPrivilegeEscalation,
  k8sRunAsNonRoot,
} from "./kubernetes";
import { containerImagesByDigest } from "./images";
import { k8sAlbHttpsOnly, k8sAlbIngressInboundCidrs } from "./kubernetes-ingress";
import { privateNetworkNoPublicDataStore } from "./private-network";
import { confluentSinkNotMasterUser } from "./sink-users";
import { awsStandardTags } from "./tags";

/** Every resource rule of the pack, in the order findings are reported. */
export const resourcePolicies: readonly ResourceValidationPolicy[] = [
  securityGroupNoWorldIngress,
  securityGroupNoSsh,
  subnetNoAutoPublicIp,
  ec2Imdsv2Required,
  ec2ImdsHopLimit,
  ebsEncrypted,
  ec2PublicIpJustified,
  ec2UserDataNoSecrets,
  eksControlPlaneLogging,
  eksEndpointNotWorldOpen,
  eksSecretsEncryption,
  redshiftEncrypted,
  redshiftRequireSsl,
  opensearchEncryptionAtRest,
  opensearchNodeToNodeEncryption,
  opensearchHttpsTls12,
  opensearchFineGrainedAccessControl,
  opensearchAccessPolicyRestricted,
  opensearchAuditLogs,
  kmsKeyRotation,
  k8sConfigMapNoCredentials,
  k8sEnvNoLiteralSecrets,
  k8sContainerResourceLimits,
  k8sNoPrivilegeEscalation,
  k8sRunAsNonRoot,
  containerImagesByDigest,
  confluentConnectorNoPlaintextSecrets,
  confluentNoAdminRoleBindings,
  confluentApiKeyServiceAccountOwner,
  awsStandardTags,
];

/** Rules that need to see several resources at once. */
export const stackPolicies: readonly StackValidationPolicy[] = [
  ec2ElasticIpJustified,
  vpcFlowLogs,
  redshiftPublicAccessRestricted,
  redshiftClusterSslParameterGroup,
  redshiftAuditLogging,
  secretsManagerRotation,
  k8sAlbIngressInboundCidrs,
  k8sAlbHttpsOnly,
  confluentSinkNotMasterUser,
  privateNetworkNoPublicDataStore,
];
