import type { Resource, ResourceIdentityBlock } from "@/lib/model/types";
import { parseScopeOrFail } from "./hierarchy.adapter";
import { armReader, type FieldReader, isRecord } from "@/lib/model/wire";

/**
 * Any ARM resource in its GET shape, or a generic-list / Resource Graph row (which may
 * lack properties, and whose `type` Resource Graph returns lower-cased).
 */
export function adaptResource(wire: unknown): Resource {
  const r = armReader("resource", wire);
  const id = r.reqString("id");
  const parsed = parseScopeOrFail(r, id);
  if (parsed.level !== "resource") r.fail("id", "is not a resource id (/subscriptions/<s>/resourceGroups/<rg>/providers/<type>/<name>)");
  return {
    id,
    name: r.optString("name") ?? parsed.resourceName!,
    type: r.optString("type") ?? parsed.resourceType!,
    location: r.optString("location"),
    subscriptionId: parsed.subscriptionId!,
    resourceGroup: parsed.resourceGroup!,
    tags: r.optRecord("tags") ? r.stringMap("tags") : undefined,
    identity: adaptIdentityBlock(r),
    properties: r.optRecord("properties") ?? {},
  };
}

/** The `identity` block: `type` is "SystemAssigned", "UserAssigned", "SystemAssigned, UserAssigned" or "None". */
export function adaptIdentityBlock(r: FieldReader): ResourceIdentityBlock | undefined {
  const block = r.optRecord("identity");
  if (!block) return undefined;
  const type = r.optString("identity.type") ?? "None";
  const uai = r.optRecord("identity.userAssignedIdentities");
  let userAssignedIdentities: ResourceIdentityBlock["userAssignedIdentities"];
  if (uai) {
    userAssignedIdentities = {};
    for (const [resourceId, v] of Object.entries(uai)) {
      // ARM returns `{}` for a user-assigned identity on PUT bodies and {principalId, clientId} on GET.
      const entry = isRecord(v) ? v : {};
      userAssignedIdentities[resourceId] = {
        principalId: typeof entry.principalId === "string" ? entry.principalId : undefined,
        clientId: typeof entry.clientId === "string" ? entry.clientId : undefined,
      };
    }
  }
  return {
    type,
    principalId: r.optString("identity.principalId"),
    tenantId: r.optString("identity.tenantId"),
    userAssignedIdentities,
  };
}

/** True when the identity block type includes `SystemAssigned` (e.g. "SystemAssigned, UserAssigned"). */
export function hasSystemAssigned(block: ResourceIdentityBlock | undefined): boolean {
  return !!block && /systemassigned/i.test(block.type.replace(/\s+/g, ""));
}

export function hasUserAssigned(block: ResourceIdentityBlock | undefined): boolean {
  return !!block && /userassigned/i.test(block.type.replace(/\s+/g, ""));
}
