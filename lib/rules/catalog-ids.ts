/**
 * The rule ids of the v1 rule catalog (docs/rules.md), in catalog order, kept as data so the registry
 * integrity test can check them. Public contract: never rename one.
 */
export const CATALOG_RULE_IDS = [
  "privileged-role-on-workload-identity",
  "broad-role-on-workload-identity",
  "subscription-scope-grant",
  "kubelet-identity-extra-role",
  "aks-identity-extra-role",
  "app-uses-kubelet-identity",
  "acr-scope-too-broad",
  "acr-write-on-kubelet",
  "network-role-scope-too-broad",
  "dns-role-scope-too-broad",
  "pod-identity-roles-too-broad",
  "pod-identity-roles-unused",
  "data-role-broader-than-needed",
  "data-role-scope-too-broad",
  "shared-app-identity",
  "pod-identity-deprecated",
  "pod-identity-secret-credential",
  "pod-identity-not-namespaced",
  "cluster-uses-service-principal",
  "federated-credential-dangling",
  "workload-identity-misconfigured",
  "orphaned-role-assignment",
  "unused-identity",
  "custom-role-wildcard",
  "identity-escalation-path",
  "federated-credential-limit",
  "pod-mounts-azure-json",
] as const;
export type CatalogRuleId = (typeof CATALOG_RULE_IDS)[number];
