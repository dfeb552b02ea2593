import { normalizeId, scopeLevelRank, subscriptionOf } from "@/lib/model/scope";
import type { Identity, IdentityKind, Inventory, ScopeLevel } from "@/lib/model/types";
import type { InventoryIndex } from "@/lib/inventory/indexes";
import { assignmentsOf, clusterName, getIndex } from "@/components/inventory/lookup";
import { scopeDisplayName } from "@/lib/model/names";

/** One line of the identities table. */
export interface IdentityRow {
  key: string;
  displayName: string;
  kind: IdentityKind;
  principalId?: string;
  clientId?: string;
  clusters: { id: string; name: string }[];
  /** Subscription GUIDs (lower-case) the identity lives in, serves a cluster in, or holds a role in. */
  subscriptionIds: string[];
  assignmentCount: number;
  /** The widest scope it holds a role at; undefined with no role assignments. */
  widest?: { level: ScopeLevel; scope: string; name: string };
  /** Distinct role names, sorted; an unresolvable definition shows as its GUID. */
  roles: string[];
  workloadCount: number;
  /** Lower-cased name, principal id, client id and roles, for free-text search. */
  searchText: string;
}

const rowCache = new WeakMap<Inventory, IdentityRow[]>();

export function buildIdentityRow(identity: Identity, index: InventoryIndex): IdentityRow {
  const assignments = assignmentsOf(index, identity);
  let widest: IdentityRow["widest"];
  let widestRank = Number.POSITIVE_INFINITY;
  const roles = new Set<string>();
  const subs = new Set<string>();
  for (const ra of assignments) {
    roles.add(ra.roleName ?? ra.roleDefinitionName);
    const rank = scopeLevelRank(ra.scopeLevel);
    if (rank < widestRank) {
      widestRank = rank;
      widest = { level: ra.scopeLevel, scope: ra.scope, name: "" };
    }
    const sub = subscriptionOf(ra.scope);
    if (sub) subs.add(sub.toLowerCase());
  }
  if (widest) widest.name = scopeDisplayName(widest.scope, index);
  const clusters = identity.clusterIds.map((id) => ({ id, name: clusterName(index, id) }));
  for (const id of [...identity.clusterIds, identity.resourceId]) {
    const sub = id ? subscriptionOf(id) : undefined;
    if (sub) subs.add(sub.toLowerCase());
  }
  const workloads = new Set((index.linksByIdentity.get(normalizeId(identity.key)) ?? []).map((l) => normalizeId(l.workloadId)));
  const roleList = [...roles].sort((a, b) => a.localeCompare(b));
  return {
    key: identity.key,
    displayName: identity.displayName,
    kind: identity.kind,
    principalId: identity.principalId,
    clientId: identity.clientId,
    clusters,
    subscriptionIds: [...subs].sort(),
    assignmentCount: assignments.length,
    widest,
    roles: roleList,
    workloadCount: workloads.size,
    searchText: [identity.displayName, identity.principalId, identity.clientId, identity.key, ...roleList]
      .filter(Boolean)
      .join("\n")
      .toLowerCase(),
  };
}

/** All identity rows of an inventory, built once per inventory object. */
export function buildIdentityRows(inv: Inventory): IdentityRow[] {
  const cached = rowCache.get(inv);
  if (cached) return cached;
  const index = getIndex(inv);
  const rows = inv.identities.map((identity) => buildIdentityRow(identity, index));
  rowCache.set(inv, rows);
  return rows;
}
