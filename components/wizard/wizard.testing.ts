import type { FixStep } from "@/lib/model/findings";
import type { Inventory, Resource, RoleAssignment } from "@/lib/model/types";
import { BuiltinRoleId, roleDefinitionIdOf } from "@/lib/roles/catalog";

export const SUB = "11111111-1111-1111-1111-111111111111";
export const RG_ACR = `/subscriptions/${SUB}/resourceGroups/rg-acr`;
export const RG_NET = `/subscriptions/${SUB}/resourceGroups/rg-net`;
export const ACR_A = `${RG_ACR}/providers/Microsoft.ContainerRegistry/registries/acra`;
export const ACR_B = `${RG_ACR}/providers/Microsoft.ContainerRegistry/registries/acrb`;
export const STORAGE = `${RG_ACR}/providers/Microsoft.Storage/storageAccounts/stlogs`;
export const VNET = `${RG_NET}/providers/Microsoft.Network/virtualNetworks/vnet-aks`;
export const SUBNET = `${VNET}/subnets/snet-nodes`;
export const PRINCIPAL = "aaaaaaaa-0000-0000-0000-000000000001";
export const MG = "/providers/Microsoft.Management/managementGroups/corp";

function resource(id: string, type: string, properties: Record<string, unknown> = {}): Resource {
  const parts = id.split("/");
  return { id, name: parts[parts.length - 1]!, type, subscriptionId: SUB, resourceGroup: parts[4]!, properties };
}

export function assignment(name: string, scope: string, roleGuid: string, principalId = PRINCIPAL): RoleAssignment {
  return {
    id: `${scope}/providers/Microsoft.Authorization/roleAssignments/${name}`,
    name,
    scope,
    scopeLevel: "resourceGroup",
    principalId,
    principalType: "ServicePrincipal",
    roleDefinitionId: `/subscriptions/${SUB}${roleDefinitionIdOf(roleGuid)}`,
    roleDefinitionName: roleGuid,
  };
}

/** A small tenant: two registries and a storage account in rg-acr, a VNet with one subnet in rg-net, under management group corp. */
export function wizardInventory(assignments: RoleAssignment[] = [assignment("a1", RG_ACR, BuiltinRoleId.AcrPull)]): Inventory {
  return {
    scannedAt: "2026-01-01T00:00:00Z",
    managementGroups: [{ id: MG, name: "corp", displayName: "Corp" }],
    subscriptions: [{ id: `/subscriptions/${SUB}`, subscriptionId: SUB, displayName: "prod", state: "Enabled", managementGroupId: MG }],
    resourceGroups: [
      { id: RG_ACR, name: "rg-acr", subscriptionId: SUB, location: "westeurope" },
      { id: RG_NET, name: "rg-net", subscriptionId: SUB, location: "westeurope" },
    ],
    resources: [
      resource(ACR_A, "Microsoft.ContainerRegistry/registries"),
      resource(ACR_B, "Microsoft.ContainerRegistry/registries"),
      resource(STORAGE, "Microsoft.Storage/storageAccounts"),
      resource(VNET, "Microsoft.Network/virtualNetworks", { subnets: [{ id: SUBNET, name: "snet-nodes" }] }),
    ],
    clusters: [],
    roleDefinitions: [],
    roleAssignments: assignments,
    principals: [],
    principalsResolved: true,
    userAssignedIdentities: [],
    federatedCredentials: [],
    identities: [],
    kubernetes: { namespaces: [], serviceAccounts: [], pods: [], controllers: [], azureIdentities: [], azureIdentityBindings: [], readClusterIds: [] },
    workloads: [],
    links: [],
    errors: [],
  };
}

/** A step granting AcrPull to PRINCIPAL at `scope`, offering the registries and their resource group instead. */
export function grantAcrPull(scope: string): Extract<FixStep, { kind: "create-role-assignment" }> {
  return { kind: "create-role-assignment", principalId: PRINCIPAL, principalType: "ServicePrincipal", roleDefinitionId: roleDefinitionIdOf(BuiltinRoleId.AcrPull), roleName: "AcrPull", scope, alternatives: { scopes: [ACR_A, ACR_B, RG_ACR] } };
}
