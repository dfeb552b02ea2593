import type { ManagementGroup, ResourceGroup, Subscription } from "@/lib/model/types";
import { managementGroupId, parseScope } from "@/lib/model/scope";
import { asWire, armReader, FieldReader } from "@/lib/model/wire";

/** Microsoft.Management/managementGroups GET shape (`properties.details.parent.id` is null for the tenant root group). */
export function adaptManagementGroup(wire: unknown): ManagementGroup {
  const r = armReader("managementGroup", wire);
  const id = r.reqString("id");
  const parsed = parseScopeOrFail(r, id);
  if (parsed.level !== "managementGroup") r.fail("id", "is not a management group id");
  const name = r.optString("name") ?? parsed.managementGroup!;
  return {
    id,
    name,
    displayName: r.optString("properties.displayName") ?? name,
    parentId: r.optString("properties.details.parent.id"),
  };
}

/**
 * Subscriptions GET shape, or a Resource Graph `resourcecontainers` row (display name in
 * `name`, state and `managementGroupAncestorsChain` under properties). `managementGroupId`
 * is the tenant format's own field; live readers fill it from the hierarchy when they can.
 */
export function adaptSubscription(wire: unknown): Subscription {
  const obj = asWire("subscription", wire);
  const label = typeof obj.id === "string" ? obj.id : typeof obj.subscriptionId === "string" ? obj.subscriptionId : "(unknown)";
  const r = new FieldReader("subscription", label, obj);
  const subscriptionId =
    r.optString("subscriptionId") ??
    subscriptionFromId(r.optString("id")) ??
    r.fail("subscriptionId", "is missing (and no /subscriptions/<id> id to take it from)");
  // The ancestors chain lists the direct parent first.
  const chain = r.optArray("properties.managementGroupAncestorsChain");
  const parentFromChain = chain.length > 0 && typeof (chain[0] as { name?: unknown }).name === "string" ? (chain[0] as { name: string }).name : undefined;
  const mg = r.optString("managementGroupId") ?? parentFromChain;
  return {
    id: r.optString("id") ?? `/subscriptions/${subscriptionId}`,
    subscriptionId,
    displayName: r.optString("displayName") ?? r.optString("name") ?? subscriptionId,
    state: r.optString("state") ?? r.optString("properties.state") ?? "Enabled",
    tenantId: r.optString("tenantId"),
    // A bare name is accepted and turned into the management group's id.
    managementGroupId: mg === undefined ? undefined : mg.startsWith("/") ? mg : managementGroupId(mg),
  };
}

/** Resource group GET shape; `managedBy` names the managedCluster that owns an AKS node resource group. */
export function adaptResourceGroup(wire: unknown): ResourceGroup {
  const r = armReader("resourceGroup", wire);
  const id = r.reqString("id");
  const parsed = parseScopeOrFail(r, id);
  if (parsed.level !== "resourceGroup") r.fail("id", "is not a resource group id (/subscriptions/<s>/resourceGroups/<name>)");
  return {
    id,
    name: r.optString("name") ?? parsed.resourceGroup!,
    subscriptionId: parsed.subscriptionId!,
    location: r.optString("location") ?? "",
    managedBy: r.optString("managedBy"),
  };
}

function subscriptionFromId(id: string | undefined): string | undefined {
  if (!id) return undefined;
  const m = /^\/subscriptions\/([^/]+)\/?$/i.exec(id.trim());
  return m?.[1];
}

export function parseScopeOrFail(r: FieldReader, id: string, field = "id") {
  try {
    return parseScope(id);
  } catch (e) {
    return r.fail(field, (e as Error).message);
  }
}

