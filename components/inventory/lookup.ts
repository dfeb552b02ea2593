import { indexInventory, type InventoryIndex } from "@/lib/inventory/indexes";
import { lastSegment, normalizeId, sameId } from "@/lib/model/scope";
import type { FederatedCredential, Identity, Inventory, RoleAssignment } from "@/lib/model/types";

/**
 * The inventory's index, built once per inventory object: an Inventory is immutable once
 * scanned, and every page render of a 10k-identity tenant reuses the same maps.
 */
const cache = new WeakMap<Inventory, InventoryIndex>();

export function getIndex(inv: Inventory): InventoryIndex {
  let index = cache.get(inv);
  if (!index) {
    index = indexInventory(inv);
    cache.set(inv, index);
  }
  return index;
}

/** The role assignments made directly to an identity's principal (object) id. */
export function assignmentsOf(index: InventoryIndex, identity: Identity): RoleAssignment[] {
  if (!identity.principalId) return [];
  return index.assignmentsByPrincipal.get(normalizeId(identity.principalId)) ?? [];
}

/** The cluster's name when the scan saw it, else the last segment of its id. */
export function clusterName(index: InventoryIndex, clusterId: string): string {
  return index.clusterById.get(normalizeId(clusterId))?.name ?? lastSegment(clusterId);
}

/** A federated credential by its id (`<identity id>/federatedIdentityCredentials/<name>`). */
export function federatedCredential(index: InventoryIndex, id: string): FederatedCredential | undefined {
  const owner = id.replace(/\/federatedIdentityCredentials\/[^/]+\/?$/i, "");
  return index.federatedCredentialsByIdentity.get(normalizeId(owner))?.find((f) => sameId(f.id, id));
}

