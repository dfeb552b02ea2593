import { managementGroupId, normalizeId, tryParseScope, lastSegment } from "@/lib/model/scope";
import { ScopeLevel } from "@/lib/model/types";
import type { InventoryIndex } from "@/lib/inventory/indexes";

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

export const scopeLevelLabels: Record<ScopeLevel, string> = {
  root: "Tenant root",
  managementGroup: "Management group",
  subscription: "Subscription",
  resourceGroup: "Resource group",
  resource: "Resource",
};

/** Walks a management group up to the tenant root; a cycle or a missing parent ends the chain. */
function managementGroupChain(index: InventoryIndex, mgId: string): ScopeCrumb[] {
  const chain: ScopeCrumb[] = [];
  const seen = new Set<string>();
  let current: string | undefined = mgId;
  while (current && !seen.has(normalizeId(current))) {
    seen.add(normalizeId(current));
    const mg = index.managementGroupById.get(normalizeId(current));
    chain.unshift({
      level: ScopeLevel.ManagementGroup,
      id: mg?.id ?? current,
      label: mg?.displayName || mg?.name || lastSegment(current),
      known: mg !== undefined,
    });
    current = mg?.parentId;
  }
  return chain;
}

/**
 * The breadcrumb of an ARM scope, widest first, with names resolved from the inventory.
 * Management groups come from the subscription's parent chain (they are not part of an ARM id).
 * An unparseable scope yields a single step carrying the raw string.
 */
export function buildScopeCrumbs(scope: string, index: InventoryIndex): ScopeCrumb[] {
  const parsed = tryParseScope(scope);
  if (!parsed) return [{ level: ScopeLevel.Resource, id: scope, label: scope, known: false }];
  if (parsed.level === ScopeLevel.Root) {
    return [{ level: ScopeLevel.Root, id: "/", label: "Tenant root (/)", known: true }];
  }
  if (parsed.level === ScopeLevel.ManagementGroup) {
    return managementGroupChain(index, managementGroupId(parsed.managementGroup!));
  }
  const subId = parsed.subscriptionId!;
  const sub = index.subscriptionById.get(normalizeId(subId));
  const crumbs: ScopeCrumb[] = sub?.managementGroupId ? managementGroupChain(index, sub.managementGroupId) : [];
  crumbs.push({
    level: ScopeLevel.Subscription,
    id: `/subscriptions/${subId}`,
    label: sub?.displayName || subId,
    known: sub !== undefined,
  });
  if (parsed.resourceGroup) {
    const rgId = `/subscriptions/${subId}/resourceGroups/${parsed.resourceGroup}`;
    const rg = index.resourceGroupById.get(normalizeId(rgId));
    crumbs.push({ level: ScopeLevel.ResourceGroup, id: rg?.id ?? rgId, label: rg?.name ?? parsed.resourceGroup, known: rg !== undefined });
  }
  if (parsed.level === ScopeLevel.Resource) {
    const res = index.byResourceId.get(normalizeId(parsed.id));
    // A child resource (a subnet) is named parent/child so the vnet it belongs to stays visible.
    const names = childNames(parsed.id);
    crumbs.push({
      level: ScopeLevel.Resource,
      id: parsed.id,
      label: res?.name && !parsed.isChildResource ? res.name : names.join("/"),
      resourceType: parsed.resourceType,
      known: res !== undefined,
    });
  }
  return crumbs;
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

/** A short name for a scope: its most specific crumb's label. */
export function scopeDisplayName(scope: string, index: InventoryIndex): string {
  const crumbs = buildScopeCrumbs(scope, index);
  return crumbs[crumbs.length - 1]?.label ?? scope;
}
