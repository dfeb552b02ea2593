import { normalizeId, subscriptionOf, tryParseScope } from "@/lib/model/scope";
import { ScopeLevel, type Inventory } from "@/lib/model/types";

/**
 * Whether the person whose scan this is can read an ARM scope, as ARM told that scan: the
 * subscription is one they see and no read under it was refused for the scope; a management
 * group is one the scan could read. The tenant root and anything unparseable are not readable
 * from a person's scan (their scan never reads the root).
 */
export function readableScopes(inventory: Pick<Inventory, "subscriptions" | "managementGroups" | "errors">): (scope: string) => boolean {
  const subscriptions = new Set(inventory.subscriptions.map((s) => s.subscriptionId.toLowerCase()));
  const groups = new Set(inventory.managementGroups.map((g) => normalizeId(g.id)));
  const refused = inventory.errors.filter((e) => e.status === 403 && e.scope).map((e) => normalizeId(e.scope!));
  return (scope) => {
    const parsed = tryParseScope(scope);
    if (!parsed) return false;
    if (parsed.level === ScopeLevel.ManagementGroup) return groups.has(normalizeId(scope));
    const sub = subscriptionOf(scope);
    if (!sub || !subscriptions.has(sub.toLowerCase())) return false;
    const id = normalizeId(scope);
    return !refused.some((r) => id === r || id.startsWith(`${r}/`));
  };
}
