import { managementGroupId, normalizeId, scopeAncestors, tryParseScope } from "@/lib/model/scope";
import { ScopeLevel, type ManagementGroup, type Subscription } from "@/lib/model/types";

/** What scope inheritance needs beyond the ARM id: management groups are not part of it. An InventoryIndex is one. */
export interface ScopeParents {
  managementGroupById: ReadonlyMap<string, Pick<ManagementGroup, "parentId">>;
  subscriptionById: ReadonlyMap<string, Pick<Subscription, "managementGroupId">>;
}

/**
 * The scope's parent as ARM inheritance sees it: resource → (parent resource) → resource
 * group → subscription → management groups up to the root group. Management groups come from
 * the subscription's managementGroupId and each group's parent, since an ARM id does not name them.
 */
export function scopeParent(scopeId: string, dir: ScopeParents): string | undefined {
  const parsed = tryParseScope(scopeId);
  if (!parsed || parsed.level === ScopeLevel.Root) return undefined;
  if (parsed.level === ScopeLevel.ManagementGroup) return dir.managementGroupById.get(normalizeId(scopeId))?.parentId;
  if (parsed.level === ScopeLevel.Subscription) {
    const mg = dir.subscriptionById.get(normalizeId(scopeId))?.managementGroupId;
    if (!mg) return undefined;
    return mg.startsWith("/") ? mg : managementGroupId(mg);
  }
  const chain = scopeAncestors(parsed.id);
  return chain.length >= 2 ? chain[chain.length - 2] : undefined;
}

/**
 * The scope itself, then every scope whose role assignments apply to it, narrowest first:
 * a Key Vault, its resource group, its subscription, the management groups above. A cycle
 * in the management-group data ends the chain instead of looping.
 */
export function scopeChain(scopeId: string, dir: ScopeParents): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (let s: string | undefined = scopeId; s && !seen.has(normalizeId(s)); s = scopeParent(s, dir)) {
    seen.add(normalizeId(s));
    out.push(s);
  }
  return out;
}
