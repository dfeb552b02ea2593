import type { KubeWireObject } from "@/lib/model/wire";
import { managementGroupWire, resourceGroupWire, resourceWire, subnetsWire, subscriptionWire } from "@/lib/tenant/builder/arm";
import { identityReference, MANAGED_CLUSTER_TYPE } from "@/lib/tenant/builder/clusters";
import { federatedCredentialWire, groupWire, managedIdentityPrincipalWire, serviceAccountSubject, userAssignedIdentityWire } from "@/lib/tenant/builder/identities";
import {
  azureIdentityBindingWire,
  azureIdentityWire,
  controllerWire,
  namespaceWire,
  podWire,
  serviceAccountWire,
} from "@/lib/tenant/builder/kube-objects";
import { customRoleWire, roleAssignmentWire } from "@/lib/tenant/builder/roles";
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

const ISSUER = "https://westeurope.oic.prod-aks.azure.com/tenant/aks1/";
const KUBELET_CLIENT = "cccccccc-0000-0000-0000-000000000001";
const APP_CLIENT = "cccccccc-0000-0000-0000-000000000002";

function ra(scope: string, n: number, role: string, principalId: string, principalType: "ServicePrincipal" | "Group" = "ServicePrincipal") {
  return roleAssignmentWire({ scope, name: `bbbbbbbb-0000-0000-0000-${String(n).padStart(12, "0")}`, roleGuid: role, principalId, principalType });
}

/** Bare pods (no uid, no owner): the emulator and the readers must not need more. */
function pods(count: number, ns: string): KubeWireObject[] {
  return Array.from({ length: count }, (_, i) =>
    podWire(
      { name: `api-${i}`, namespace: ns, labels: { app: i % 2 === 0 ? "api" : "worker", "azure.workload.identity/use": "true" } },
      { serviceAccountName: "api", containers: [{ name: "api", image: "acrapp.azurecr.io/api:1" }] },
    ),
  );
}

/** ARM returns a resource's type with the casing it was created with; every reader compares types case-insensitively. */
function cluster(rgId: string, name: string, location: string, body: Record<string, unknown>) {
  return { ...resourceWire(rgId, MANAGED_CLUSTER_TYPE, name, location, body), type: "Microsoft.ContainerService/ManagedClusters" };
}

export function buildTestTenant(): TenantFile {
  const kubelet = { resourceId: ids.kubeletIdentity, clientId: KUBELET_CLIENT, principalId: T.kubeletPrincipal };
  const kubeletPrincipal = managedIdentityPrincipalWire({ ...kubelet, displayName: "aks1-agentpool", userAssigned: true, servicePrincipalNames: [KUBELET_CLIENT] });
  // A tenant file may leave @odata.type out: a directory object without one is a service principal.
  delete kubeletPrincipal["@odata.type"];
  return {
    version: 1,
    tenantId: T.tenantId,
    managementGroups: [managementGroupWire({ name: "platform", displayName: "Platform", parent: null })],
    subscriptions: [
      subscriptionWire({ subscriptionId: T.sub1, displayName: "hub", tenantId: T.tenantId, managementGroupId: T.mg }),
      subscriptionWire({ subscriptionId: T.sub2, displayName: "spoke", tenantId: T.tenantId }),
    ],
    resourceGroups: [
      resourceGroupWire(T.sub1, "rg-app", "westeurope"),
      resourceGroupWire(T.sub1, "MC_rg-app_aks1_westeurope", "westeurope", { managedBy: ids.aks1 }),
      resourceGroupWire(T.sub2, "rg-other", "northeurope"),
    ],
    resources: [
      cluster(ids.rgApp, "aks1", "westeurope", {
        sku: { name: "Base", tier: "Free" },
        identity: { type: "SystemAssigned", principalId: "aaaaaaaa-0000-0000-0000-000000000010", tenantId: T.tenantId },
        properties: {
          kubernetesVersion: "1.30.4",
          nodeResourceGroup: "MC_rg-app_aks1_westeurope",
          oidcIssuerProfile: { enabled: true, issuerURL: ISSUER },
          identityProfile: { kubeletidentity: identityReference(kubelet) },
        },
      }),
      cluster(ids.rgOther, "aks2", "northeurope", { properties: { kubernetesVersion: "1.31.1", aadProfile: { managed: true, enableAzureRBAC: true, tenantID: T.tenantId } } }),
      userAssignedIdentityWire(ids.rgNodes, "aks1-agentpool", "westeurope", { tenantId: T.tenantId, principalId: T.kubeletPrincipal, clientId: KUBELET_CLIENT, isolationScope: false }),
      userAssignedIdentityWire(ids.rgApp, "payments-api", "westeurope", { tenantId: T.tenantId, principalId: T.appPrincipal, clientId: APP_CLIENT, tags: { team: "payments" }, isolationScope: false }),
      resourceWire(ids.rgApp, "Microsoft.ContainerRegistry/registries", "acrapp", "westeurope", { sku: { name: "Premium" }, properties: { loginServer: "acrapp.azurecr.io" } }),
      resourceWire(ids.rgApp, "Microsoft.Network/virtualNetworks", "vnet-app", "westeurope", {
        properties: {
          addressSpace: { addressPrefixes: ["10.0.0.0/16"] },
          subnets: subnetsWire(ids.vnet, [
            { name: "aks", addressPrefix: "10.0.0.0/22" },
            { name: "ingress", addressPrefix: "10.0.4.0/24" },
          ]),
        },
      }),
    ],
    federatedIdentityCredentials: ["api", "worker", "batch"].map((sa) => federatedCredentialWire(ids.appIdentity, sa, ISSUER, serviceAccountSubject("payments", sa))),
    roleDefinitions: [
      customRoleWire({
        guid: T.customRole,
        roleName: "AKS Node Operator (custom)",
        description: "Custom role for tests",
        permissions: { actions: ["Microsoft.Compute/virtualMachineScaleSets/*"] },
        assignableScopes: [`/subscriptions/${T.sub1}`],
      }),
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
      kubeletPrincipal,
      managedIdentityPrincipalWire({ resourceId: ids.appIdentity, clientId: APP_CLIENT, principalId: T.appPrincipal, displayName: "payments-api", userAssigned: true, servicePrincipalNames: [APP_CLIENT] }),
      groupWire({ id: T.groupPrincipal, displayName: "platform-readers" }),
    ],
    users: [{ id: "eeeeeeee-0000-0000-0000-000000000001", userPrincipalName: "alice@scopewise.test", displayName: "Alice Admin", password: "correct horse" }],
    kubernetes: {
      // Keys compare case-insensitively, as ARM ids do.
      [ids.aks1.toLowerCase()]: [
        namespaceWire({ name: "payments" }),
        namespaceWire({ name: "kube-system" }),
        serviceAccountWire({ name: "api", namespace: "payments", annotations: { "azure.workload.identity/client-id": APP_CLIENT } }),
        ...pods(5, "payments"),
        podWire({ name: "nmi-abc", namespace: "kube-system", labels: { app: "nmi" } }, { containers: [{ name: "nmi", image: "mcr.microsoft.com/nmi" }] }),
        controllerWire("DaemonSet", { name: "nmi", namespace: "kube-system" }, {}),
        controllerWire("Deployment", { name: "api", namespace: "payments" }, { replicas: 5 }),
        azureIdentityWire({ name: "reader", namespace: "default" }, { type: 0, resourceID: ids.appIdentity, clientID: APP_CLIENT }),
        azureIdentityBindingWire({ name: "reader-binding", namespace: "default" }, "reader", "reader"),
      ],
      [ids.aks2]: [namespaceWire({ name: "default" }), ...pods(2, "default")],
    },
  };
}
