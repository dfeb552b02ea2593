/**
 * Names for ids: the one resolver behind every scope label, breadcrumb, identity and role name
 * Scopewise shows. Pure; the lookups come from the caller (an inventory's index, or a small
 * table shipped with a rendering). Whatever the scan did not see is named from its id, never
 * left blank, and the id itself stays available for "copy id".
 */
import { lastSegment, managementGroupId, normalizeId, roleDefinitionGuid, tryParseScope } from "./scope";
import { ScopeLevel, type ManagementGroup, type Resource, type ResourceGroup, type Subscription } from "./types";
import { scopeNoun } from "./vocabulary";

/** Objects by `normalizeId` of their id (subscriptions also by bare GUID): an InventoryIndex is one. */
export interface ScopeDirectory {
  managementGroupById: ReadonlyMap<string, ManagementGroup>;
  subscriptionById: ReadonlyMap<string, Subscription>;
  resourceGroupById: ReadonlyMap<string, ResourceGroup>;
  byResourceId: ReadonlyMap<string, Pick<Resource, "id" | "name">>;
}

/** One step of a scope breadcrumb: management group › subscription › resource group › resource. */
export interface ScopeCrumb {
  level: ScopeLevel;
  /** The ARM id of this step. */
  id: string;
  /** A display name resolved from the inventory, or the id's own name when the scan did not see it. */
  label: string;
  /** Resource type for resource steps (e.g. `Microsoft.KeyVault/vaults`). */
  resourceType?: string;
  /** False when the inventory has no object with this id (deleted, or outside what the scan could read). */
  known: boolean;
}

/** Walks a management group up to the tenant root; a cycle or a missing parent ends the chain. */
function managementGroupChain(dir: ScopeDirectory, mgId: string): ScopeCrumb[] {
  const chain: ScopeCrumb[] = [];
  const seen = new Set<string>();
  let current: string | undefined = mgId;
  while (current && !seen.has(normalizeId(current))) {
    seen.add(normalizeId(current));
    const mg = dir.managementGroupById.get(normalizeId(current));
    chain.unshift({ level: ScopeLevel.ManagementGroup, id: mg?.id ?? current, label: mg?.displayName || mg?.name || lastSegment(current), known: mg !== undefined });
    current = mg?.parentId;
  }
  return chain;
}

/** The name segments after `/providers/<namespace>/`: `[vnet, subnet]` for a subnet id. */
function childNames(id: string): string[] {
  const parts = id.split("/").filter(Boolean);
  const i = parts.findIndex((p, idx) => idx >= 4 && p.toLowerCase() === "providers");
  const rest = i >= 0 ? parts.slice(i + 2) : [];
  const names: string[] = [];
  for (let k = 1; k < rest.length; k += 2) names.push(rest[k]!);
  return names.length > 0 ? names : [lastSegment(id)];
}

/**
 * The breadcrumb of an ARM scope, widest first, with names resolved from `dir`.
 * Management groups come from the subscription's parent chain (they are not part of an ARM id).
 * An unparseable scope yields a single step carrying the raw string.
 */
export function buildScopeCrumbs(scope: string, dir: ScopeDirectory): ScopeCrumb[] {
  const parsed = tryParseScope(scope);
  if (!parsed) return [{ level: ScopeLevel.Resource, id: scope, label: scope, known: false }];
  if (parsed.level === ScopeLevel.Root) return [{ level: ScopeLevel.Root, id: "/", label: "Tenant root (/)", known: true }];
  if (parsed.level === ScopeLevel.ManagementGroup) return managementGroupChain(dir, managementGroupId(parsed.managementGroup!));
  const subId = parsed.subscriptionId!;
  const sub = dir.subscriptionById.get(normalizeId(subId));
  const crumbs: ScopeCrumb[] = sub?.managementGroupId ? managementGroupChain(dir, sub.managementGroupId) : [];
  crumbs.push({ level: ScopeLevel.Subscription, id: `/subscriptions/${subId}`, label: sub?.displayName || subId, known: sub !== undefined });
  if (parsed.resourceGroup) {
    const rgId = `/subscriptions/${subId}/resourceGroups/${parsed.resourceGroup}`;
    const rg = dir.resourceGroupById.get(normalizeId(rgId));
    crumbs.push({ level: ScopeLevel.ResourceGroup, id: rg?.id ?? rgId, label: rg?.name ?? parsed.resourceGroup, known: rg !== undefined });
  }
  if (parsed.level === ScopeLevel.Resource) {
    const res = dir.byResourceId.get(normalizeId(parsed.id));
    // A child resource (a subnet) is named parent/child so the vnet it belongs to stays visible.
    crumbs.push({ level: ScopeLevel.Resource, id: parsed.id, label: res?.name && !parsed.isChildResource ? res.name : childNames(parsed.id).join("/"), resourceType: parsed.resourceType, known: res !== undefined });
  }
  return crumbs;
}

/** A short name for a scope: its most specific crumb's label ("crcontosohub", "Contoso Prod"). */
export function scopeDisplayName(scope: string, dir: ScopeDirectory): string {
  const crumbs = buildScopeCrumbs(scope, dir);
  return crumbs[crumbs.length - 1]?.label ?? scope;
}

const NO_OBJECTS: ScopeDirectory = { managementGroupById: new Map(), subscriptionById: new Map(), resourceGroupById: new Map(), byResourceId: new Map() };

/** Name lookups by id; each answers undefined for what the scan did not see. */
export interface NameLookups {
  /** Display name of a principal (object) id: an identity's, or a directory object's. */
  principal(principalId: string): string | undefined;
  /** Name of a user-assigned identity by its resource id. */
  identity(resourceId: string): string | undefined;
  cluster(clusterId: string): string | undefined;
  /** Role name of a role definition id or GUID. */
  role(roleDefinitionId: string): string | undefined;
  /** A scope's most specific display name (a resource's name, a subscription's display name). */
  scopeName(scope: string): string;
}

/** "registry crcontosohub", "resource group rg-app", "subscription Contoso Prod", "the tenant root". */
export function scopeLabel(scope: string, names: Pick<NameLookups, "scopeName">): string {
  const p = tryParseScope(scope);
  if (!p) return names.scopeName(scope);
  if (p.level === ScopeLevel.Root) return "the tenant root";
  return `${scopeNoun(scope)} ${names.scopeName(scope)}`;
}

/** A principal's display name, or "principal <object id>" when the scan does not know it. */
export const principalLabel = (principalId: string, names: NameLookups) => names.principal(principalId) ?? `principal ${principalId}`;
/** A user-assigned identity's name, or the last segment of its id. */
export const identityName = (resourceId: string, names: NameLookups) => names.identity(resourceId) ?? lastSegment(resourceId);
/** A cluster's name, or the last segment of its id. */
export const clusterName = (clusterId: string, names: NameLookups) => names.cluster(clusterId) ?? lastSegment(clusterId);
/** A role's name, or its definition GUID. */
export const roleName = (roleDefinitionId: string, names: NameLookups) => names.role(roleDefinitionId) ?? roleDefinitionGuid(roleDefinitionId);

/**
 * Names as plain JSON, for a few ids (a rendering's context carries one): principals,
 * identities, clusters and scopes by `normalizeId`, roles by definition GUID.
 */
export interface NameTable {
  principals: Record<string, string>;
  identities: Record<string, string>;
  clusters: Record<string, string>;
  roles: Record<string, string>;
  scopes: Record<string, string>;
}

export function emptyNameTable(): NameTable {
  return { principals: {}, identities: {}, clusters: {}, roles: {}, scopes: {} };
}

/** Lookups over a table; a scope the table lacks is named from its id. */
export function lookupsFromTable(table: NameTable): NameLookups {
  return {
    principal: (id) => table.principals[normalizeId(id)],
    identity: (id) => table.identities[normalizeId(id)],
    cluster: (id) => table.clusters[normalizeId(id)],
    role: (id) => table.roles[roleDefinitionGuid(id)],
    scopeName: (scope) => table.scopes[normalizeId(scope)] ?? scopeDisplayName(scope, NO_OBJECTS),
  };
}

/** The names of these ids, as a table (ids `names` does not know are left out). */
export function buildNameTable(names: NameLookups, ids: { principals?: Iterable<string>; identities?: Iterable<string>; clusters?: Iterable<string>; roles?: Iterable<string>; scopes?: Iterable<string> }): NameTable {
  const table = emptyNameTable();
  const fill = (into: Record<string, string>, list: Iterable<string> | undefined, look: (id: string) => string | undefined, key: (id: string) => string = normalizeId) => {
    for (const id of list ?? []) {
      const name = look(id);
      if (name !== undefined) into[key(id)] = name;
    }
  };
  fill(table.principals, ids.principals, names.principal);
  fill(table.identities, ids.identities, names.identity);
  fill(table.clusters, ids.clusters, names.cluster);
  fill(table.roles, ids.roles, names.role, roleDefinitionGuid);
  fill(table.scopes, ids.scopes, names.scopeName);
  return table;
}
