import { normalizeId, resourceGroupIdOf, roleDefinitionGuid, sameId } from "@/lib/model/scope";
import { IdentityKind, type Cluster, type Identity, type Inventory, type RoleAssignment, type RoleDefinition } from "@/lib/model/types";
import { BuiltinRoleId } from "@/lib/roles/catalog";
import type { InventoryIndex } from "@/lib/inventory/indexes";
import type { RoleCatalog } from "@/lib/roles/catalog";
import { addonOf, addonProfileOf } from "./addon-profiles";
import { isNetworkRole } from "./network-role";

/**
 * Role profiles (RULES.md): what each AKS identity is expected to hold, and where. An
 * assignment matching its identity's profile at the profile's scope is never a finding.
 */
export interface ProfileMatch {
  kind: IdentityKind;
  clusterId: string;
  addon?: string;
  /** Plain words for evidence: "Network Contributor on the cluster's subnet". */
  description: string;
}

/** What profile matching reads: the part of the rule context (context.ts) it needs. */
export interface ProfileFacts {
  inventory: Inventory;
  index: InventoryIndex;
  roles: RoleCatalog;
  roleOf(assignment: RoleAssignment): RoleDefinition | undefined;
  cluster(id: string | undefined): Cluster | undefined;
  runsPodIdentity(cluster: Cluster): boolean;
}

const g = (id: string) => id.toLowerCase();

/** The cluster's agent-pool subnets and the route tables attached to them (from the virtual network's inline subnets). */
export function clusterNetworkScopes(ctx: ProfileFacts, cluster: Cluster): { subnets: string[]; routeTables: string[] } {
  const subnets = new Map<string, string>();
  for (const pool of cluster.agentPools) {
    for (const s of [pool.vnetSubnetId, pool.podSubnetId]) if (s) subnets.set(normalizeId(s), s);
  }
  const routeTables = new Map<string, string>();
  for (const subnetId of subnets.values()) {
    const vnetId = subnetId.replace(/\/subnets\/[^/]+$/i, "");
    const vnet = ctx.index.byResourceId.get(normalizeId(vnetId));
    const inline = (vnet?.properties.subnets as { id?: string; properties?: { routeTable?: { id?: string } } }[] | undefined) ?? [];
    for (const s of inline) {
      const rt = s.properties?.routeTable?.id;
      if (s.id && sameId(s.id, subnetId) && rt) routeTables.set(normalizeId(rt), rt);
    }
  }
  return { subnets: [...subnets.values()], routeTables: [...routeTables.values()] };
}

/** The lower-cased resource type at an id: from the inventory, else (no read access) from the id's shape. */
function typeAt(ctx: ProfileFacts, id: string): string | undefined {
  const known = ctx.index.byResourceId.get(normalizeId(id))?.type.toLowerCase();
  return known ?? /\/providers\/([^/]+\/[^/]+)\/[^/]+$/i.exec(id)?.[1]?.toLowerCase();
}

function isType(ctx: ProfileFacts, scope: string, type: string): boolean {
  return typeAt(ctx, scope) === type.toLowerCase();
}

/** Identities bound to pods of this cluster through aad-pod-identity (AzureIdentity resourceID / clientID). */
function podIdentityBoundIdentities(ctx: ProfileFacts, cluster: Cluster): Identity[] {
  const out: Identity[] = [];
  for (const ai of ctx.inventory.kubernetes.azureIdentities) {
    if (!sameId(ai.clusterId, cluster.id)) continue;
    const identity =
      (ai.resourceId && ctx.index.identityByResourceId.get(normalizeId(ai.resourceId))) ||
      (ai.clientId && ctx.index.identityByClientId.get(normalizeId(ai.clientId))) ||
      undefined;
    if (identity) out.push(identity);
  }
  for (const pi of cluster.podIdentities) {
    const identity = pi.identity.resourceId ? ctx.index.identityByResourceId.get(normalizeId(pi.identity.resourceId)) : undefined;
    if (identity) out.push(identity);
  }
  return out;
}

export function matchProfile(ctx: ProfileFacts, identity: Identity, assignment: RoleAssignment): ProfileMatch | undefined {
  const role = ctx.roleOf(assignment);
  const guid = roleDefinitionGuid(assignment.roleDefinitionId);
  const scope = assignment.scope;
  for (const use of identity.uses) {
    const cluster = ctx.cluster(use.clusterId);
    if (!cluster) continue;
    const base = { kind: use.kind, clusterId: cluster.id } as const;
    if (use.kind === IdentityKind.ControlPlane) {
      if (guid === g(BuiltinRoleId.Contributor) && cluster.nodeResourceGroupId && sameId(scope, cluster.nodeResourceGroupId)) {
        return { ...base, description: "Contributor on the cluster's own node resource group (AKS grants it itself)" };
      }
      if (isNetworkRole(role)) {
        const { subnets, routeTables } = clusterNetworkScopes(ctx, cluster);
        if (subnets.some((s) => sameId(s, scope))) return { ...base, description: "network role on the cluster's subnet" };
        if (routeTables.some((r) => sameId(r, scope))) return { ...base, description: "network role on the route table attached to the cluster's subnet" };
      }
      if (guid === g(BuiltinRoleId.PrivateDnsZoneContributor) && cluster.privateCluster && cluster.privateDnsZone && sameId(scope, cluster.privateDnsZone)) {
        return { ...base, description: "Private DNS Zone Contributor on the private cluster's own DNS zone" };
      }
      if (guid === g(BuiltinRoleId.ManagedIdentityOperator) && cluster.kubelet?.resourceId && sameId(scope, cluster.kubelet.resourceId)) {
        return { ...base, description: "Managed Identity Operator on the cluster's own user-assigned kubelet identity" };
      }
    } else if (use.kind === IdentityKind.Kubelet) {
      if (guid === g(BuiltinRoleId.AcrPull) && isType(ctx, scope, "Microsoft.ContainerRegistry/registries")) {
        return { ...base, description: "AcrPull on a container registry" };
      }
      if (guid === g(BuiltinRoleId.DnsZoneContributor) && isType(ctx, scope, "Microsoft.Network/dnszones")) {
        return { ...base, description: "DNS Zone Contributor on a DNS zone" };
      }
      if (guid === g(BuiltinRoleId.PrivateDnsZoneContributor) && isType(ctx, scope, "Microsoft.Network/privateDnsZones")) {
        return { ...base, description: "Private DNS Zone Contributor on a private DNS zone" };
      }
      const podIdentityRole = guid === g(BuiltinRoleId.ManagedIdentityOperator) || guid === g(BuiltinRoleId.VirtualMachineContributor);
      if (podIdentityRole && ctx.runsPodIdentity(cluster)) {
        if (cluster.nodeResourceGroupId && sameId(scope, cluster.nodeResourceGroupId)) {
          return { ...base, description: "aad-pod-identity role on the node resource group while aad-pod-identity runs" };
        }
        if (guid === g(BuiltinRoleId.ManagedIdentityOperator)) {
          const bound = podIdentityBoundIdentities(ctx, cluster);
          if (bound.some((b) => b.resourceId && (sameId(b.resourceId, scope) || sameId(resourceGroupIdOf(b.resourceId), scope)))) {
            return { ...base, description: "Managed Identity Operator on an identity bound through aad-pod-identity (or its resource group)" };
          }
        }
      }
    } else if (use.kind === IdentityKind.Addon) {
      const profile = addonProfileOf(use.addon);
      if (!profile) continue;
      const facts = { cluster, ...addonOf(cluster, use.addon), scope, role, typeAt: (id: string) => typeAt(ctx, id) };
      const grant = profile.grants.find((x) => x.role(guid, role) && x.at(facts));
      if (grant) return { ...base, addon: use.addon, description: grant.description };
    }
  }
  return undefined;
}

/** Role GUIDs in the profile of this identity's AKS jobs, regardless of scope (for aks-identity-extra-role). */
export function profileRoleGuids(identity: Identity, ctx: ProfileFacts): Set<string> {
  const out = new Set<string>();
  for (const use of identity.uses) {
    if (use.kind === IdentityKind.ControlPlane) {
      [BuiltinRoleId.Contributor, BuiltinRoleId.NetworkContributor, BuiltinRoleId.PrivateDnsZoneContributor, BuiltinRoleId.ManagedIdentityOperator].forEach((r) => out.add(g(r)));
      for (const r of ctx.roles.listCustom()) if (isNetworkRole(r)) out.add(g(r.name));
    } else if (use.kind === IdentityKind.Kubelet) {
      [BuiltinRoleId.AcrPull, BuiltinRoleId.ManagedIdentityOperator, BuiltinRoleId.VirtualMachineContributor, BuiltinRoleId.DnsZoneContributor, BuiltinRoleId.PrivateDnsZoneContributor].forEach((r) => out.add(g(r)));
    } else if (use.kind === IdentityKind.Addon) {
      addonProfileOf(use.addon)?.roles.forEach((r) => out.add(r));
    }
  }
  return out;
}
