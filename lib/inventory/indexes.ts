import type {
  Cluster,
  FederatedCredential,
  Identity,
  IdentityLink,
  Inventory,
  ManagementGroup,
  Pod,
  Principal,
  Resource,
  ResourceGroup,
  RoleAssignment,
  RoleDefinition,
  ServiceAccount,
  Subscription,
  UserAssignedIdentity,
  Workload,
} from "@/lib/model/types";
import { normalizeId } from "@/lib/model/scope";

/**
 * Lookups over one Inventory, built once. Every key is `normalizeId(x)` (ids and GUIDs
 * alike), so callers look up with `index.x.get(normalizeId(id))` or the `key` helper.
 */
export interface InventoryIndex {
  byResourceId: Map<string, Resource>;
  /** Lower-cased resource type → resources (Resource Graph returns types lower-cased). */
  resourcesByType: Map<string, Resource[]>;
  /** Resource group id → resources in it. */
  resourcesByGroup: Map<string, Resource[]>;
  resourceGroupById: Map<string, ResourceGroup>;
  /** By `/subscriptions/<guid>` and by the bare GUID. */
  subscriptionById: Map<string, Subscription>;
  managementGroupById: Map<string, ManagementGroup>;
  identityByKey: Map<string, Identity>;
  identityByPrincipalId: Map<string, Identity>;
  identityByClientId: Map<string, Identity>;
  identityByResourceId: Map<string, Identity>;
  /** Resource id → its system-assigned identity. */
  identityBySystemAssignedTo: Map<string, Identity>;
  userAssignedIdentityById: Map<string, UserAssignedIdentity>;
  federatedCredentialsByIdentity: Map<string, FederatedCredential[]>;
  principalById: Map<string, Principal>;
  roleDefinitionByGuid: Map<string, RoleDefinition>;
  assignmentsByPrincipal: Map<string, RoleAssignment[]>;
  assignmentsByScope: Map<string, RoleAssignment[]>;
  assignmentById: Map<string, RoleAssignment>;
  clusterById: Map<string, Cluster>;
  /** Node resource group id → the cluster it belongs to. */
  clusterByNodeResourceGroup: Map<string, Cluster>;
  workloadById: Map<string, Workload>;
  workloadsByCluster: Map<string, Workload[]>;
  /** Pod id → the workload it belongs to. */
  workloadByPodId: Map<string, Workload>;
  linksByIdentity: Map<string, IdentityLink[]>;
  linksByWorkload: Map<string, IdentityLink[]>;
  podsById: Map<string, Pod>;
  /** `${clusterId}|${namespace}|${name}` (cluster id normalised) → service account; see `serviceAccountKey`. */
  serviceAccountByKey: Map<string, ServiceAccount>;
  /** Cluster ids whose Kubernetes API was read completely. */
  kubernetesRead: Set<string>;
}

export const key = normalizeId;

export function serviceAccountKey(clusterId: string, namespace: string, name: string): string {
  return `${normalizeId(clusterId)}|${namespace}|${name}`;
}

export function indexInventory(inv: Inventory): InventoryIndex {
  const one = <T>(items: readonly T[], k: (x: T) => string | undefined): Map<string, T> => {
    const m = new Map<string, T>();
    for (const x of items) {
      const id = k(x);
      if (id !== undefined && !m.has(normalizeId(id))) m.set(normalizeId(id), x);
    }
    return m;
  };
  const many = <T>(items: readonly T[], k: (x: T) => string | undefined): Map<string, T[]> => {
    const m = new Map<string, T[]>();
    for (const x of items) {
      const id = k(x);
      if (id === undefined) continue;
      const nk = normalizeId(id);
      const list = m.get(nk);
      if (list) list.push(x);
      else m.set(nk, [x]);
    }
    return m;
  };

  const subscriptionById = one(inv.subscriptions, (s) => s.id);
  for (const s of inv.subscriptions) if (!subscriptionById.has(normalizeId(s.subscriptionId))) subscriptionById.set(normalizeId(s.subscriptionId), s);

  const workloadByPodId = new Map<string, Workload>();
  for (const w of inv.workloads) for (const p of w.podIds) workloadByPodId.set(normalizeId(p), w);

  return {
    byResourceId: one(inv.resources, (r) => r.id),
    resourcesByType: many(inv.resources, (r) => r.type),
    resourcesByGroup: many(inv.resources, (r) => `/subscriptions/${r.subscriptionId}/resourceGroups/${r.resourceGroup}`),
    resourceGroupById: one(inv.resourceGroups, (g) => g.id),
    subscriptionById,
    managementGroupById: one(inv.managementGroups, (g) => g.id),
    identityByKey: one(inv.identities, (i) => i.key),
    identityByPrincipalId: one(inv.identities, (i) => i.principalId),
    identityByClientId: one(inv.identities, (i) => i.clientId),
    identityByResourceId: one(inv.identities, (i) => i.resourceId),
    identityBySystemAssignedTo: one(inv.identities, (i) => i.systemAssignedTo),
    userAssignedIdentityById: one(inv.userAssignedIdentities, (u) => u.id),
    federatedCredentialsByIdentity: many(inv.federatedCredentials, (f) => f.identityId),
    principalById: one(inv.principals, (p) => p.id),
    roleDefinitionByGuid: one(inv.roleDefinitions, (d) => d.name),
    assignmentsByPrincipal: many(inv.roleAssignments, (a) => a.principalId),
    assignmentsByScope: many(inv.roleAssignments, (a) => a.scope),
    assignmentById: one(inv.roleAssignments, (a) => a.id),
    clusterById: one(inv.clusters, (c) => c.id),
    clusterByNodeResourceGroup: one(inv.clusters, (c) => c.nodeResourceGroupId),
    workloadById: one(inv.workloads, (w) => w.id),
    workloadsByCluster: many(inv.workloads, (w) => w.clusterId),
    workloadByPodId,
    linksByIdentity: many(inv.links, (l) => l.identityKey),
    linksByWorkload: many(inv.links, (l) => l.workloadId),
    podsById: one(inv.kubernetes.pods, (p) => p.id),
    serviceAccountByKey: new Map(inv.kubernetes.serviceAccounts.map((s) => [serviceAccountKey(s.clusterId, s.namespace, s.name), s])),
    kubernetesRead: new Set(inv.kubernetes.readClusterIds.map(normalizeId)),
  };
}
