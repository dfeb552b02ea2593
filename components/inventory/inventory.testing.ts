import type { Cluster, Identity, Inventory, Pod, RoleAssignment } from "@/lib/model/types";

/**
 * A small, hand-checked Inventory for view-model tests: two subscriptions under a management
 * group chain, one cluster read completely and one whose Kubernetes API failed, and identities
 * of every kind with assignments at every scope level.
 */
export const SUB_PROD = "11111111-1111-1111-1111-111111111111";
export const SUB_SHARED = "22222222-2222-2222-2222-222222222222";
export const RG_PROD = `/subscriptions/${SUB_PROD}/resourceGroups/rg-prod`;
export const AKS_PROD = `${RG_PROD}/providers/Microsoft.ContainerService/managedClusters/aks-prod`;
export const AKS_LEGACY = `/subscriptions/${SUB_SHARED}/resourceGroups/rg-legacy/providers/Microsoft.ContainerService/managedClusters/aks-legacy`;
export const VAULT = `${RG_PROD}/providers/Microsoft.KeyVault/vaults/kv-payments`;
export const SUBNET = `${RG_PROD}/providers/Microsoft.Network/virtualNetworks/vnet-prod/subnets/nodes`;
export const MG_CORP = "/providers/Microsoft.Management/managementGroups/corp";
export const MG_ROOT = "/providers/Microsoft.Management/managementGroups/tenant-root";

function ra(id: string, principalId: string, scope: string, scopeLevel: RoleAssignment["scopeLevel"], roleName: string | undefined, extra: Partial<RoleAssignment> = {}): RoleAssignment {
  return {
    id: `${scope === "/" ? "" : scope}/providers/Microsoft.Authorization/roleAssignments/${id}`,
    name: id,
    scope,
    scopeLevel,
    principalId,
    principalType: "ServicePrincipal",
    roleDefinitionId: `/providers/Microsoft.Authorization/roleDefinitions/role-${id}`,
    roleDefinitionName: `role-${id}`,
    roleName,
    ...extra,
  };
}

function identity(key: string, displayName: string, kind: Identity["kind"], clusterIds: string[], extra: Partial<Identity> = {}): Identity {
  return { key, principalId: key, clientId: `client-${key}`, displayName, kind, uses: [{ kind, clusterId: clusterIds[0] }], clusterIds, existsInDirectory: true, ...extra };
}

function pod(cluster: string, ns: string, name: string, extra: Partial<Pod> = {}): Pod {
  return {
    id: `${cluster}/namespaces/${ns}/pods/${name}`,
    clusterId: cluster,
    namespace: ns,
    name,
    labels: {},
    annotations: {},
    serviceAccountName: "default",
    phase: "Running",
    containers: [],
    hostPaths: [],
    ...extra,
  };
}

const baseCluster = (id: string, name: string, sub: string, rg: string): Cluster => ({
  id,
  name,
  subscriptionId: sub,
  resourceGroup: rg,
  location: "westeurope",
  addons: [],
  agentPools: [],
  oidcIssuerEnabled: false,
  workloadIdentityEnabled: false,
  podIdentityEnabled: false,
  podIdentities: [],
  aadEnabled: true,
  azureRbacEnabled: false,
  privateCluster: false,
});

export function buildTestInventory(): Inventory {
  const apiWorkload = `${AKS_PROD}/namespaces/payments/Deployment/api`;
  const legacyWorkload = `${AKS_LEGACY}/namespaces/default/Deployment/reporter`;
  return {
    scannedAt: "2025-01-02T03:04:05.000Z",
    managementGroups: [
      { id: MG_ROOT, name: "tenant-root", displayName: "Tenant Root Group" },
      { id: MG_CORP, name: "corp", displayName: "Corp", parentId: MG_ROOT },
    ],
    subscriptions: [
      { id: `/subscriptions/${SUB_PROD}`, subscriptionId: SUB_PROD, displayName: "prod", state: "Enabled", managementGroupId: MG_CORP },
      { id: `/subscriptions/${SUB_SHARED}`, subscriptionId: SUB_SHARED, displayName: "shared", state: "Enabled" },
    ],
    resourceGroups: [
      { id: RG_PROD, name: "rg-prod", subscriptionId: SUB_PROD, location: "westeurope" },
      { id: `/subscriptions/${SUB_SHARED}/resourceGroups/rg-legacy`, name: "rg-legacy", subscriptionId: SUB_SHARED, location: "westeurope" },
    ],
    resources: [{ id: VAULT, name: "kv-payments", type: "Microsoft.KeyVault/vaults", subscriptionId: SUB_PROD, resourceGroup: "rg-prod", properties: {} }],
    clusters: [
      {
        ...baseCluster(AKS_PROD, "aks-prod", SUB_PROD, "rg-prod"),
        kubernetesVersion: "1.30.4",
        controlPlane: { type: "UserAssigned", principalId: "cp-1" },
        kubelet: { type: "UserAssigned", principalId: "kubelet-1" },
        oidcIssuerEnabled: true,
        workloadIdentityEnabled: true,
      },
      { ...baseCluster(AKS_LEGACY, "aks-legacy", SUB_SHARED, "rg-legacy"), kubernetesVersion: "1.27.3", controlPlane: { type: "ServicePrincipal", clientId: "sp-1" } },
    ],
    roleDefinitions: [],
    roleAssignments: [
      ra("a1", "cp-1", `/subscriptions/${SUB_PROD}`, "subscription", "Contributor"),
      ra("a2", "kubelet-1", RG_PROD, "resourceGroup", "AcrPull"),
      ra("a3", "kubelet-1", SUBNET, "resource", "Network Contributor"),
      ra("a4", "app-1", VAULT, "resource", "Key Vault Secrets User", { condition: "@Resource[name] StringEquals 'db'" }),
      ra("a5", "app-1", VAULT, "resource", undefined),
      ra("a6", "sp-1", MG_CORP, "managementGroup", "Owner"),
      ra("a7", "legacy-app", `/subscriptions/${SUB_SHARED}/resourceGroups/rg-legacy`, "resourceGroup", "Reader"),
    ],
    principals: [],
    principalsResolved: true,
    userAssignedIdentities: [
      { id: `${RG_PROD}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-api`, name: "id-api", subscriptionId: SUB_PROD, resourceGroup: "rg-prod", clientId: "client-app-1", principalId: "app-1" },
    ],
    federatedCredentials: [
      {
        id: `${RG_PROD}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-api/federatedIdentityCredentials/fic-api`,
        name: "fic-api",
        identityId: `${RG_PROD}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-api`,
        issuer: "https://oidc.example/",
        subject: "system:serviceaccount:payments:api",
        audiences: ["api://AzureADTokenExchange"],
      },
    ],
    identities: [
      identity("cp-1", "aks-prod-cp", "control-plane", [AKS_PROD]),
      identity("kubelet-1", "aks-prod-agentpool", "kubelet", [AKS_PROD]),
      identity("addon-1", "omsagent-aks-prod", "addon", [AKS_PROD], { uses: [{ kind: "addon", clusterId: AKS_PROD, addon: "omsagent" }] }),
      identity("app-1", "id-api", "app", [AKS_PROD], {
        resourceId: `${RG_PROD}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-api`,
        uses: [{ kind: "app", clusterId: AKS_PROD, mechanism: "workload-identity" }],
      }),
      identity("legacy-app", "reporter-sp", "app", [AKS_LEGACY], { existsInDirectory: false }),
      identity("sp-1", "aks-legacy-sp", "service-principal", [AKS_LEGACY]),
    ],
    kubernetes: {
      namespaces: [],
      serviceAccounts: [],
      pods: [pod(AKS_PROD, "payments", "api-7d9f-b"), pod(AKS_PROD, "payments", "api-7d9f-a"), pod(AKS_PROD, "kube-system", "coredns-1")],
      controllers: [],
      azureIdentities: [{ clusterId: AKS_LEGACY, namespace: "default", name: "reporter", labels: {}, annotations: {}, type: 1, clientId: "legacy-app" }],
      azureIdentityBindings: [],
      readClusterIds: [AKS_PROD.toUpperCase()],
    },
    workloads: [
      { id: apiWorkload, clusterId: AKS_PROD, namespace: "payments", kind: "Deployment", name: "api", podIds: [`${AKS_PROD}/namespaces/payments/pods/api-7d9f-a`, `${AKS_PROD}/namespaces/payments/pods/api-7d9f-b`], serviceAccountName: "api", labels: {} },
    ],
    links: [
      {
        id: "link-api",
        workloadId: apiWorkload,
        clusterId: AKS_PROD,
        namespace: "payments",
        mechanism: "workload-identity",
        identityKey: "app-1",
        serviceAccount: { namespace: "payments", name: "api" },
        federatedCredentialId: `${RG_PROD}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-api/federatedIdentityCredentials/fic-api`,
        podIds: [`${AKS_PROD}/namespaces/payments/pods/api-7d9f-b`, `${AKS_PROD}/namespaces/payments/pods/api-7d9f-a`],
        complete: true,
        problems: [],
      },
      {
        id: "link-reporter",
        workloadId: legacyWorkload,
        clusterId: AKS_LEGACY,
        namespace: "default",
        mechanism: "aad-pod-identity",
        identityKey: "legacy-app",
        azureIdentity: { namespace: "default", name: "reporter" },
        binding: { namespace: "default", name: "reporter-binding", selector: "reporter" },
        podIds: [],
        complete: false,
        problems: ["No pod carries the label aadpodidbinding=reporter"],
      },
    ],
    errors: [{ source: "kubernetes:pods", message: "connect ECONNREFUSED", cluster: AKS_LEGACY, status: 503 }],
  };
}
