import { indexInventory, type InventoryIndex } from "@/lib/inventory/indexes";
import { scopeDisplayName, type NameLookups } from "@/lib/model/names";
import { normalizeId, roleDefinitionGuid } from "@/lib/model/scope";
import type { Inventory } from "@/lib/model/types";

/**
 * The inventory's index, built once per inventory object: an Inventory is immutable once
 * scanned, and every page render of a 10k-identity tenant reuses the same maps.
 */
const indexes = new WeakMap<Inventory, InventoryIndex>();

export function getIndex(inv: Inventory): InventoryIndex {
  let index = indexes.get(inv);
  if (!index) {
    index = indexInventory(inv);
    indexes.set(inv, index);
  }
  return index;
}

/** Names of what the scan saw: identities and directory objects, user-assigned identities, clusters, roles, scopes. */
export function nameLookupsOf(index: InventoryIndex): NameLookups {
  return {
    principal: (id) => index.identityByPrincipalId.get(normalizeId(id))?.displayName ?? index.principalById.get(normalizeId(id))?.displayName,
    identity: (id) => index.identityByResourceId.get(normalizeId(id))?.displayName ?? index.userAssignedIdentityById.get(normalizeId(id))?.name,
    cluster: (id) => index.clusterById.get(normalizeId(id))?.name,
    role: (id) => index.roleDefinitionByGuid.get(roleDefinitionGuid(id))?.roleName,
    scopeName: (scope) => scopeDisplayName(scope, index),
  };
}

/** Name lookups over an inventory (its cached index). */
export function buildNameLookups(inv: Inventory): NameLookups {
  return nameLookupsOf(getIndex(inv));
}
