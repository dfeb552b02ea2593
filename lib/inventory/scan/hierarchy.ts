import type { AzureClients } from "@/lib/azure/clients";
import { listManagementGroups } from "@/lib/azure/management-groups";
import { normalizeId } from "@/lib/model/scope";
import { errorStatus, toSourceError } from "@/lib/model/source-error";
import type { SourceError } from "@/lib/model/types";
import { at, type ArmWireObject, type WireObject } from "@/lib/model/wire";

/** The visible subscriptions the scan reads: all of them, or the wanted ones (each missing one is an error). */
export function selectSubscriptions(visible: WireObject[], wanted: string[] | undefined, errors: SourceError[]): WireObject[] {
  const usable = visible.filter((s) => typeof s.subscriptionId === "string");
  if (usable.length === 0) {
    // Not "no clusters": the credential holds no role on any subscription (or above one).
    errors.push({
      source: "arm:subscriptions",
      message: "the credential can see no subscriptions: it holds no Azure role on any subscription, or on a management group above one",
      scope: "/subscriptions",
    });
    return [];
  }
  if (!wanted || wanted.length === 0) return usable;
  const byId = new Map(usable.map((s) => [String(s.subscriptionId).toLowerCase(), s]));
  const out: WireObject[] = [];
  for (const id of wanted) {
    const sub = byId.get(id.trim().toLowerCase());
    if (sub) {
      if (!out.includes(sub)) out.push(sub);
    } else {
      errors.push({
        source: "arm:subscriptions",
        message: `subscription ${id} is not visible to the credential (no role at or above it, or it does not exist)`,
        status: 404,
        scope: `/subscriptions/${id}`,
      });
    }
  }
  return out;
}

export async function readManagementGroups(clients: AzureClients, concurrency: number, errors: SourceError[]): Promise<ArmWireObject[]> {
  try {
    return await listManagementGroups(clients, concurrency);
  } catch (error) {
    // Management groups are best effort: inherited assignments still arrive through each
    // subscription's role assignment list. An ARM endpoint that does not serve
    // Microsoft.Management at all (404) simply has none to show.
    if (errorStatus(error) !== 404) {
      errors.push(toSourceError(error, { source: "arm:managementGroups", scope: "/providers/Microsoft.Management/managementGroups" }));
    }
    return [];
  }
}

/** Fills the tenant format's `managementGroupId` from the groups' `children` (GET with $expand=children). */
export function assignSubscriptionParents(subscriptions: WireObject[], groups: ArmWireObject[]): void {
  const parentOf = new Map<string, string>();
  for (const group of groups) {
    const children = at(group, "properties.children");
    if (!Array.isArray(children)) continue;
    for (const child of children as { id?: unknown; type?: unknown }[]) {
      if (typeof child.id === "string" && String(child.type ?? "").toLowerCase() === "/subscriptions") {
        parentOf.set(normalizeId(child.id), group.id);
      }
    }
  }
  for (const sub of subscriptions) {
    if (sub.managementGroupId) continue;
    const parent = parentOf.get(normalizeId(`/subscriptions/${String(sub.subscriptionId)}`));
    if (parent) sub.managementGroupId = parent;
  }
}
