import type { ExportColumn } from "@/components/exports/table";
import { getIndex } from "@/components/inventory/lookup";
import { scopeDisplayName } from "@/lib/model/names";
import { normalizeId, scopeLevelRank, subscriptionOf } from "@/lib/model/scope";
import type { IdentityKind, Inventory, RoleAssignment, ScopeLevel } from "@/lib/model/types";
import type { IdentityRow } from "./rows";

/** The identities list as exported: the table's columns plus the ids behind each name. */
export const identityExportColumns: readonly ExportColumn<IdentityRow>[] = [
  { key: "key", header: "Identity key", value: (r) => r.key },
  { key: "displayName", header: "Name", value: (r) => r.displayName },
  { key: "kind", header: "Kind", value: (r) => r.kind },
  { key: "principalId", header: "Principal id", value: (r) => r.principalId },
  { key: "clientId", header: "Client id", value: (r) => r.clientId },
  { key: "clusters", header: "Clusters", value: (r) => r.clusters.map((c) => c.name) },
  { key: "clusterIds", header: "Cluster ids", value: (r) => r.clusters.map((c) => c.id) },
  { key: "subscriptionIds", header: "Subscriptions", value: (r) => r.subscriptionIds },
  { key: "assignmentCount", header: "Role assignments", value: (r) => r.assignmentCount },
  { key: "widestScopeLevel", header: "Widest scope level", value: (r) => r.widest?.level },
  { key: "widestScope", header: "Widest scope id", value: (r) => r.widest?.scope },
  { key: "widestScopeName", header: "Widest scope", value: (r) => r.widest?.name },
  { key: "roles", header: "Roles", value: (r) => r.roles },
  { key: "workloadCount", header: "Workloads", value: (r) => r.workloadCount },
];

/** One role assignment with its holder, as exported. */
export interface AssignmentExportRow {
  id: string;
  roleName: string;
  roleDefinitionId: string;
  scope: string;
  scopeName: string;
  scopeLevel: ScopeLevel;
  principalId: string;
  principalType: string;
  /** The identity holding it, when the scan knows the principal as one. */
  identity?: { key: string; name: string; kind: IdentityKind };
  condition?: string;
  description?: string;
  createdOn?: string;
}

export const assignmentExportColumns: readonly ExportColumn<AssignmentExportRow>[] = [
  { key: "id", header: "Role assignment id", value: (r) => r.id },
  { key: "identityName", header: "Identity", value: (r) => r.identity?.name },
  { key: "identityKind", header: "Identity kind", value: (r) => r.identity?.kind },
  { key: "identityKey", header: "Identity key", value: (r) => r.identity?.key },
  { key: "principalId", header: "Principal id", value: (r) => r.principalId },
  { key: "principalType", header: "Principal type", value: (r) => r.principalType },
  { key: "roleName", header: "Role", value: (r) => r.roleName },
  { key: "roleDefinitionId", header: "Role definition id", value: (r) => r.roleDefinitionId },
  { key: "scopeLevel", header: "Scope level", value: (r) => r.scopeLevel },
  { key: "scope", header: "Scope id", value: (r) => r.scope },
  { key: "scopeName", header: "Scope", value: (r) => r.scopeName },
  { key: "condition", header: "Condition", value: (r) => r.condition },
  { key: "description", header: "Description", value: (r) => r.description },
  { key: "createdOn", header: "Created", value: (r) => r.createdOn },
];

const collator = new Intl.Collator(undefined, { sensitivity: "base", numeric: true });

/**
 * The role assignments of the scan (or of one identity, by key; undefined when no identity has
 * it), optionally only those whose scope lies in a subscription: by holder name, then widest
 * scope first, then role, as the identity page orders its own.
 */
export function buildAssignmentExportRows(inv: Inventory, filter: { identity?: string; subscription?: string } = {}): AssignmentExportRow[] | undefined {
  const index = getIndex(inv);
  let assignments: readonly RoleAssignment[] = inv.roleAssignments;
  if (filter.identity !== undefined) {
    const identity = index.identityByKey.get(normalizeId(filter.identity));
    if (!identity) return undefined;
    assignments = identity.principalId ? (index.assignmentsByPrincipal.get(normalizeId(identity.principalId)) ?? []) : [];
  }
  const subscription = filter.subscription?.toLowerCase();
  const rows = assignments
    .filter((ra) => !subscription || subscriptionOf(ra.scope)?.toLowerCase() === subscription)
    .map((ra): AssignmentExportRow => {
      const holder = index.identityByPrincipalId.get(normalizeId(ra.principalId));
      const row: AssignmentExportRow = {
        id: ra.id,
        roleName: ra.roleName ?? ra.roleDefinitionName,
        roleDefinitionId: ra.roleDefinitionId,
        scope: ra.scope,
        scopeName: scopeDisplayName(ra.scope, index),
        scopeLevel: ra.scopeLevel,
        principalId: ra.principalId,
        principalType: ra.principalType,
      };
      if (holder) row.identity = { key: holder.key, name: holder.displayName, kind: holder.kind };
      if (ra.condition) row.condition = ra.condition;
      if (ra.description) row.description = ra.description;
      if (ra.createdOn) row.createdOn = ra.createdOn;
      return row;
    });
  return rows.sort(
    (a, b) =>
      collator.compare(a.identity?.name ?? a.principalId, b.identity?.name ?? b.principalId) ||
      scopeLevelRank(a.scopeLevel) - scopeLevelRank(b.scopeLevel) ||
      collator.compare(a.roleName, b.roleName) ||
      (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
  );
}
