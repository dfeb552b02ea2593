import type { Rule } from "./define";
import { rule as appUsesKubeletIdentity } from "./app-uses-kubelet-identity/rule";
import { rule as sharedAppIdentity } from "./shared-app-identity/rule";
import { rule as podIdentityDeprecated } from "./pod-identity-deprecated/rule";
import { rule as podIdentitySecretCredential } from "./pod-identity-secret-credential/rule";
import { rule as podIdentityNotNamespaced } from "./pod-identity-not-namespaced/rule";
import { rule as clusterUsesServicePrincipal } from "./cluster-uses-service-principal/rule";
import { rule as federatedCredentialDangling } from "./federated-credential-dangling/rule";
import { rule as workloadIdentityMisconfigured } from "./workload-identity-misconfigured/rule";
import { rule as orphanedRoleAssignment } from "./orphaned-role-assignment/rule";
import { rule as unusedIdentity } from "./unused-identity/rule";
import { rule as federatedCredentialLimit } from "./federated-credential-limit/rule";
import { rule as podMountsAzureJson } from "./pod-mounts-azure-json/rule";

/** Rules of the "cluster" group, in RULES.md order. */
export const clusterRules: Rule[] = [
  appUsesKubeletIdentity,
  sharedAppIdentity,
  podIdentityDeprecated,
  podIdentitySecretCredential,
  podIdentityNotNamespaced,
  clusterUsesServicePrincipal,
  federatedCredentialDangling,
  workloadIdentityMisconfigured,
  orphanedRoleAssignment,
  unusedIdentity,
  federatedCredentialLimit,
  podMountsAzureJson,
];
