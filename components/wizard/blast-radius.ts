import type { FixPlan } from "@/lib/model/findings";
import { normalizeId, scopeContains, subscriptionOf, tryParseScope } from "@/lib/model/scope";
import type { Inventory, RoleDefinition } from "@/lib/model/types";
import { RoleCatalog } from "@/lib/roles/catalog";
import { DATA_READ_PATTERNS, governedResourceTypes, READ_ONLY_PATTERNS } from "@/lib/roles/classify";
import { findGrantedOperation } from "@/lib/roles/permissions";

/** One role held at one scope, before or after a fix. */
export interface Grant {
  /** The assignment's id; absent for grants a plan would create. */
  assignmentId?: string;
  roleDefinitionId: string;
  roleName?: string;
  scope: string;
}

export const Access = { Write: "write", Read: "read" } as const;
export type Access = (typeof Access)[keyof typeof Access];

export interface ReachedResource {
  id: string;
  name: string;
  type: string;
  access: Access;
  /** Role names that give this access, for the "via" column. */
  via: string[];
}

export interface Reach {
  /** Resources the identity can change (control plane or data), most specific first by name. */
  write: ReachedResource[];
  /** Resources it can only read. */
  read: ReachedResource[];
  /** Grants whose role definition the scan did not have: their reach is unknown, not empty. */
  unknownRoles: string[];
}

export interface BlastRadius {
  /** Everything the principal reaches through all its assignments, now and after the fix. */
  now: Reach;
  after: Reach;
  /** Only the grants the fix removes (now) and creates (after): what the fix itself changes. */
  changedNow: Reach;
  changedAfter: Reach;
  /** Resources writable now and not after. */
  noLongerWritable: ReachedResource[];
  /** Resources readable (or writable) now and not reachable at all after. */
  noLongerReachable: ReachedResource[];
  /** Resources reachable after that are not now: a fix must never widen reach; shown when it does. */
  newlyReachable: ReachedResource[];
}

interface Candidate {
  id: string;
  name: string;
  type: string;
  subscriptionId?: string;
}

/**
 * Resources a scope can reach: the inventory's resources plus the subnets listed in each
 * virtual network's properties (ARM lists subnets as child objects, not resources, yet
 * network roles are assigned on them).
 */
function candidates(inventory: Inventory): Candidate[] {
  const out: Candidate[] = [];
  for (const r of inventory.resources) {
    out.push({ id: r.id, name: r.name, type: r.type, subscriptionId: r.subscriptionId });
    if (r.type.toLowerCase() !== "microsoft.network/virtualnetworks") continue;
    const subnets = (r.properties as { subnets?: { id?: unknown; name?: unknown }[] }).subnets;
    if (!Array.isArray(subnets)) continue;
    for (const s of subnets) {
      if (typeof s?.id === "string" && typeof s.name === "string") {
        out.push({ id: s.id, name: `${r.name}/${s.name}`, type: "Microsoft.Network/virtualNetworks/subnets", subscriptionId: r.subscriptionId });
      }
    }
  }
  return out;
}

/** Subscriptions under a management group, through nested groups (an assignment there reaches all of them). */
function subscriptionsUnder(inventory: Inventory, managementGroupId: string): Set<string> {
  const groups = new Set([normalizeId(managementGroupId)]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const g of inventory.managementGroups) {
      if (g.parentId && groups.has(normalizeId(g.parentId)) && !groups.has(normalizeId(g.id))) {
        groups.add(normalizeId(g.id));
        grew = true;
      }
    }
  }
  return new Set(
    inventory.subscriptions.filter((s) => s.managementGroupId && groups.has(normalizeId(s.managementGroupId))).map((s) => s.subscriptionId.toLowerCase()),
  );
}

function under(inventory: Inventory, scope: string): (c: Candidate) => boolean {
  const parsed = tryParseScope(scope);
  if (parsed?.level === "root") return () => true;
  if (parsed?.level === "managementGroup") {
    const subs = subscriptionsUnder(inventory, scope);
    return (c) => subs.has((c.subscriptionId ?? subscriptionOf(c.id) ?? "").toLowerCase());
  }
  return (c) => scopeContains(scope, c.id);
}

/** `Microsoft.Network/virtualNetworks` governs its subnets too: type equal or a child type. */
function typeGoverned(types: string[], type: string): string | undefined {
  const t = type.toLowerCase();
  return types.find((g) => t === g.toLowerCase() || t.startsWith(g.toLowerCase() + "/"));
}

/** What the role lets its holder do to resources of `type`: write (any non-read action or data action), read, or nothing. */
function accessTo(role: RoleDefinition, type: string): Access | undefined {
  const pattern = `${type}/*`;
  if (findGrantedOperation(role, pattern, { except: READ_ONLY_PATTERNS }) || findGrantedOperation(role, pattern, { data: true, except: DATA_READ_PATTERNS })) {
    return Access.Write;
  }
  if (findGrantedOperation(role, pattern) || findGrantedOperation(role, pattern, { data: true })) return Access.Read;
  return undefined;
}

/**
 * Which resources a set of grants reaches, and how. A role that governs particular resource
 * types (AcrPull → registries) reaches only resources of those types under its scope; a
 * role that crosses providers (Contributor, Reader, Owner) reaches every resource under it.
 * Whether the reach is write or read follows from the role's actions and data actions on
 * that type, after notActions.
 */
export function buildReach(inventory: Inventory, grants: readonly Grant[], catalog: RoleCatalog = RoleCatalog.withBuiltins(inventory.roleDefinitions)): Reach {
  const all = candidates(inventory);
  const byId = new Map<string, ReachedResource>();
  const unknownRoles: string[] = [];
  for (const g of grants) {
    const role = catalog.get(g.roleDefinitionId);
    if (!role) {
      unknownRoles.push(g.roleName ?? g.roleDefinitionId);
      continue;
    }
    const types = governedResourceTypes(role);
    const inScope = under(inventory, g.scope);
    for (const c of all) {
      if (!inScope(c)) continue;
      if (types.length > 0 && !typeGoverned(types, c.type)) continue;
      const access = accessTo(role, c.type);
      if (!access) continue;
      const key = normalizeId(c.id);
      const seen = byId.get(key);
      if (!seen) byId.set(key, { id: c.id, name: c.name, type: c.type, access, via: [role.roleName] });
      else {
        if (access === Access.Write) seen.access = Access.Write;
        if (!seen.via.includes(role.roleName)) seen.via.push(role.roleName);
      }
    }
  }
  const sorted = [...byId.values()].sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name));
  return { write: sorted.filter((r) => r.access === Access.Write), read: sorted.filter((r) => r.access === Access.Read), unknownRoles };
}

/** The role assignments a principal holds directly, as grants. */
export function grantsOfPrincipal(inventory: Inventory, principalId: string): Grant[] {
  const p = principalId.toLowerCase();
  return inventory.roleAssignments
    .filter((a) => a.principalId.toLowerCase() === p)
    .map((a) => ({ assignmentId: a.id, roleDefinitionId: a.roleDefinitionName || a.roleDefinitionId, roleName: a.roleName, scope: a.scope }));
}

/** The principal's grants once the plan is applied: its deletions gone, its creations for this principal added. */
export function grantsAfterPlan(before: readonly Grant[], plan: FixPlan, principalId: string): Grant[] {
  const deleted = new Set<string>();
  const added: Grant[] = [];
  for (const s of plan.steps) {
    if (s.kind === "delete-role-assignment") deleted.add(normalizeId(s.roleAssignmentId));
    if (s.kind === "create-role-assignment" && s.principalId.toLowerCase() === principalId.toLowerCase()) {
      added.push({ roleDefinitionId: s.roleDefinitionId, roleName: s.roleName, scope: s.scope });
    }
  }
  return [...before.filter((g) => !g.assignmentId || !deleted.has(normalizeId(g.assignmentId))), ...added];
}

/** Now vs after the plan, for the principal the finding is about. */
export function buildBlastRadius(inventory: Inventory, principalId: string, plan: FixPlan, catalog: RoleCatalog = RoleCatalog.withBuiltins(inventory.roleDefinitions)): BlastRadius {
  const before = grantsOfPrincipal(inventory, principalId);
  const afterGrants = grantsAfterPlan(before, plan, principalId);
  const now = buildReach(inventory, before, catalog);
  const after = buildReach(inventory, afterGrants, catalog);
  const removed = before.filter((g) => !afterGrants.includes(g));
  const created = afterGrants.filter((g) => !before.includes(g));
  const ids = (list: ReachedResource[]) => new Set(list.map((r) => normalizeId(r.id)));
  const writeAfter = ids(after.write);
  const reachAfter = ids([...after.write, ...after.read]);
  const reachNow = ids([...now.write, ...now.read]);
  return {
    now,
    after,
    changedNow: buildReach(inventory, removed, catalog),
    changedAfter: buildReach(inventory, created, catalog),
    noLongerWritable: now.write.filter((r) => !writeAfter.has(normalizeId(r.id))),
    noLongerReachable: [...now.write, ...now.read].filter((r) => !reachAfter.has(normalizeId(r.id))),
    newlyReachable: [...after.write, ...after.read].filter((r) => !reachNow.has(normalizeId(r.id))),
  };
}

/** The first `limit` items and how many more there are ("+N more"). */
export function capList<T>(items: readonly T[], limit: number): { shown: T[]; more: number } {
  return { shown: items.slice(0, limit), more: Math.max(0, items.length - limit) };
}
