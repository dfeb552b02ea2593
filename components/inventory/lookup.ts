import type { InventoryIndex } from "@/lib/inventory/indexes";
import { lastSegment, normalizeId, sameId } from "@/lib/model/scope";
import type { FederatedCredential, Identity, RoleAssignment } from "@/lib/model/types";

export { getIndex } from "@/lib/inventory/names";

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

