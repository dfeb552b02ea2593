import type { KubeWireObject } from "@/lib/model/wire";
import type { TenantFile } from "@/lib/tenant/types";

/**
 * A small but complete tenant for emulator and validator tests: one management group, two
 * subscriptions, an AKS cluster (static token) and an AAD-enabled one, identities with
 * federated credentials, one custom role and role assignments at every level.
 */
export const T = {
  tenantId: "72f988bf-86f1-41af-91ab-2d7cd011db47",
  mg: "/providers/Microsoft.Management/managementGroups/platform",
  sub1: "11111111-1111-1111-1111-111111111111",
  sub2: "22222222-2222-2222-2222-222222222222",
  ownerRole: "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",
  readerRole: "acdd72a7-3385-48ef-bd42-f606fba81ae7",
  acrPullRole: "7f951dda-4ed3-4680-a7ca-43fe172d538d",
  customRole: "9a0b1c2d-3e4f-4a5b-8c6d-7e8f9a0b1c2d",
  kubeletPrincipal: "aaaaaaaa-0000-0000-0000-000000000001",
  appPrincipal: "aaaaaaaa-0000-0000-0000-000000000002",
  groupPrincipal: "aaaaaaaa-0000-0000-0000-000000000003",
  deletedPrincipal: "aaaaaaaa-0000-0000-0000-0000000000ff",
} as const;

export const ids = {
  rgApp: `/subscriptions/${T.sub1}/resourceGroups/rg-app`,
  rgNodes: `/subscriptions/${T.sub1}/resourceGroups/MC_rg-app_aks1_westeurope`,
  rgOther: `/subscriptions/${T.sub2}/resourceGroups/rg-other`,
  aks1: `/subscriptions/${T.sub1}/resourceGroups/rg-app/providers/Microsoft.ContainerService/managedClusters/aks1`,
  aks2: `/subscriptions/${T.sub2}/resourceGroups/rg-other/providers/Microsoft.ContainerService/managedClusters/aks2`,
  kubeletIdentity: `/subscriptions/${T.sub1}/resourceGroups/MC_rg-app_aks1_westeurope/providers/Microsoft.ManagedIdentity/userAssignedIdentities/aks1-agentpool`,
  appIdentity: `/subscriptions/${T.sub1}/resourceGroups/rg-app/providers/Microsoft.ManagedIdentity/userAssignedIdentities/payments-api`,
  acr: `/subscriptions/${T.sub1}/resourceGroups/rg-app/providers/Microsoft.ContainerRegistry/registries/acrapp`,
  vnet: `/subscriptions/${T.sub1}/resourceGroups/rg-app/providers/Microsoft.Network/virtualNetworks/vnet-app`,
};

function ra(scope: string, n: number, role: string, principalId: string, principalType = "ServicePrincipal") {
  const name = `bbbbbbbb-0000-0000-0000-${String(n).padStart(12, "0")}`;
  const sub = /^\/subscriptions\/([^/]+)/i.exec(scope)?.[1];
  return {
    id: `${scope === "/" ? "" : scope}/providers/Microsoft.Authorization/roleAssignments/${name}`,
    name,
    type: "Microsoft.Authorization/roleAssignments",
    properties: {
      roleDefinitionId: `${sub ? `/subscriptions/${sub}` : ""}/providers/Microsoft.Authorization/roleDefinitions/${role}`,
      principalId,
      principalType,
      scope,
      condition: null,
      conditionVersion: null,
    },
  };
}

function pods(count: number, ns: string): KubeWireObject[] {
  return Array.from({ length: count }, (_, i) => ({
    apiVersion: "v1",
    kind: "Pod",
    metadata: { name: `api-${i}`, namespace: ns, labels: { app: i % 2 === 0 ? "api" : "worker", "azure.workload.identity/use": "true" } },
    spec: { serviceAccountName: "api", containers: [{ name: "api", image: "acrapp.azurecr.io/api:1" }] },
  }));
}

export function buildTestTenant(): TenantFile {
  return {
    version: 1,
    tenantId: T.tenantId,
    managementGroups: [
      {
        id: T.mg,
        name: "platform",
        type: "Microsoft.Management/managementGroups",
        properties: { displayName: "Platform", details: { parent: { id: null } } },
      },
    ],
    subscriptions: [
      { id: `/subscriptions/${T.sub1}`, subscriptionId: T.sub1, tenantId: T.tenantId, displayName: "hub", state: "Enabled", managementGroupId: T.mg },
      { id: `/subscriptions/${T.sub2}`, subscriptionId: T.sub2, tenantId: T.tenantId, displayName: "spoke", state: "Enabled" },
    ],
    resourceGroups: [
      { id: ids.rgApp, name: "rg-app", type: "Microsoft.Resources/resourceGroups", location: "westeurope", properties: { provisioningState: "Succeeded" } },
      {
        id: ids.rgNodes,
        name: "MC_rg-app_aks1_westeurope",
        type: "Microsoft.Resources/resourceGroups",
        location: "westeurope",
        managedBy: ids.aks1,
        properties: { provisioningState: "Succeeded" },
      },
      { id: ids.rgOther, name: "rg-other", type: "Microsoft.Resources/resourceGroups", location: "northeurope", properties: { provisioningState: "Succeeded" } },
    ],
    resources: [
      {
        id: ids.aks1,
        name: "aks1",
        type: "Microsoft.ContainerService/ManagedClusters",
        location: "westeurope",
        sku: { name: "Base", tier: "Free" },
        identity: { type: "SystemAssigned", principalId: "aaaaaaaa-0000-0000-0000-000000000010", tenantId: T.tenantId },
        properties: {
          kubernetesVersion: "1.30.4",
          nodeResourceGroup: "MC_rg-app_aks1_westeurope",
          oidcIssuerProfile: { enabled: true, issuerURL: "https://westeurope.oic.prod-aks.azure.com/tenant/aks1/" },
          identityProfile: {
            kubeletidentity: { resourceId: ids.kubeletIdentity, clientId: "cccccccc-0000-0000-0000-000000000001", objectId: T.kubeletPrincipal },
          },
        },
      },
      {
        id: ids.aks2,
        name: "aks2",
        type: "Microsoft.ContainerService/ManagedClusters",
        location: "northeurope",
        properties: { kubernetesVersion: "1.31.1", aadProfile: { managed: true, enableAzureRBAC: true, tenantID: T.tenantId } },
      },
      {
        id: ids.kubeletIdentity,
        name: "aks1-agentpool",
        type: "Microsoft.ManagedIdentity/userAssignedIdentities",
        location: "westeurope",
        properties: { tenantId: T.tenantId, principalId: T.kubeletPrincipal, clientId: "cccccccc-0000-0000-0000-000000000001" },
      },
      {
        id: ids.appIdentity,
        name: "payments-api",
        type: "Microsoft.ManagedIdentity/userAssignedIdentities",
        location: "westeurope",
        tags: { team: "payments" },
        properties: { tenantId: T.tenantId, principalId: T.appPrincipal, clientId: "cccccccc-0000-0000-0000-000000000002" },
      },
      { id: ids.acr, name: "acrapp", type: "Microsoft.ContainerRegistry/registries", location: "westeurope", sku: { name: "Premium" }, properties: { loginServer: "acrapp.azurecr.io" } },
      {
        id: ids.vnet,
        name: "vnet-app",
        type: "Microsoft.Network/virtualNetworks",
        location: "westeurope",
        properties: {
          addressSpace: { addressPrefixes: ["10.0.0.0/16"] },
          subnets: [
            { id: `${ids.vnet}/subnets/aks`, name: "aks", type: "Microsoft.Network/virtualNetworks/subnets", properties: { addressPrefix: "10.0.0.0/22" } },
            { id: `${ids.vnet}/subnets/ingress`, name: "ingress", type: "Microsoft.Network/virtualNetworks/subnets", properties: { addressPrefix: "10.0.4.0/24" } },
          ],
        },
      },
    ],
    federatedIdentityCredentials: ["api", "worker", "batch"].map((sa) => ({
      id: `${ids.appIdentity}/federatedIdentityCredentials/${sa}`,
      name: sa,
      type: "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials",
      properties: { issuer: "https://westeurope.oic.prod-aks.azure.com/tenant/aks1/", subject: `system:serviceaccount:payments:${sa}`, audiences: ["api://AzureADTokenExchange"] },
    })),
    roleDefinitions: [
      {
        id: `/subscriptions/${T.sub1}/providers/Microsoft.Authorization/roleDefinitions/${T.customRole}`,
        name: T.customRole,
        type: "Microsoft.Authorization/roleDefinitions",
        properties: {
          roleName: "AKS Node Operator (custom)",
          type: "CustomRole",
          description: "Custom role for tests",
          assignableScopes: [`/subscriptions/${T.sub1}`],
          permissions: [{ actions: ["Microsoft.Compute/virtualMachineScaleSets/*"], notActions: [], dataActions: [], notDataActions: [] }],
        },
      },
    ],
    roleAssignments: [
      ra("/", 1, T.readerRole, T.groupPrincipal, "Group"),
      ra(T.mg, 2, T.readerRole, T.appPrincipal),
      ra(`/subscriptions/${T.sub1}`, 3, T.ownerRole, T.kubeletPrincipal),
      ra(`/subscriptions/${T.sub1}`, 4, T.readerRole, T.appPrincipal),
      ra(ids.rgApp, 5, T.customRole, T.kubeletPrincipal),
      ra(ids.rgApp, 6, T.acrPullRole, T.appPrincipal),
      ra(ids.acr, 7, T.acrPullRole, T.kubeletPrincipal),
      ra(`${ids.vnet}/subnets/aks`, 8, T.readerRole, T.appPrincipal),
      ra(ids.rgNodes, 9, T.readerRole, T.deletedPrincipal),
      ra(`/subscriptions/${T.sub2}`, 10, T.readerRole, T.appPrincipal),
      ra(ids.rgOther, 11, T.ownerRole, T.kubeletPrincipal),
    ],
    principals: [
      { id: T.kubeletPrincipal, appId: "cccccccc-0000-0000-0000-000000000001", displayName: "aks1-agentpool", servicePrincipalType: "ManagedIdentity", alternativeNames: ["isExplicit=True", ids.kubeletIdentity] },
      { id: T.appPrincipal, appId: "cccccccc-0000-0000-0000-000000000002", displayName: "payments-api", servicePrincipalType: "ManagedIdentity", alternativeNames: ["isExplicit=True", ids.appIdentity] },
      { id: T.groupPrincipal, "@odata.type": "#microsoft.graph.group", displayName: "platform-readers", securityEnabled: true },
    ],
    users: [{ id: "eeeeeeee-0000-0000-0000-000000000001", userPrincipalName: "alice@scopewise.test", displayName: "Alice Admin", password: "correct horse" }],
    kubernetes: {
      [ids.aks1.toLowerCase()]: [
        { apiVersion: "v1", kind: "Namespace", metadata: { name: "payments" } },
        { apiVersion: "v1", kind: "Namespace", metadata: { name: "kube-system" } },
        { apiVersion: "v1", kind: "ServiceAccount", metadata: { name: "api", namespace: "payments", annotations: { "azure.workload.identity/client-id": "cccccccc-0000-0000-0000-000000000002" } } },
        ...pods(5, "payments"),
        { apiVersion: "v1", kind: "Pod", metadata: { name: "nmi-abc", namespace: "kube-system", labels: { app: "nmi" } }, spec: { containers: [{ name: "nmi", image: "mcr.microsoft.com/nmi" }] } },
        { apiVersion: "apps/v1", kind: "DaemonSet", metadata: { name: "nmi", namespace: "kube-system" }, spec: {} },
        { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "api", namespace: "payments" }, spec: { replicas: 5 } },
        {
          apiVersion: "aadpodidentity.k8s.io/v1",
          kind: "AzureIdentity",
          metadata: { name: "reader", namespace: "default" },
          spec: { type: 0, resourceID: ids.appIdentity, clientID: "cccccccc-0000-0000-0000-000000000002" },
        },
        { apiVersion: "aadpodidentity.k8s.io/v1", kind: "AzureIdentityBinding", metadata: { name: "reader-binding", namespace: "default" }, spec: { azureIdentity: "reader", selector: "reader" } },
      ],
      [ids.aks2]: [{ apiVersion: "v1", kind: "Namespace", metadata: { name: "default" } }, ...pods(2, "default")],
    },
  };
}
