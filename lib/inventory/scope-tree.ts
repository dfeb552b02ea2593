import { normalizeId, resourceGroupIdOf, sameId, scopeContains, subscriptionOf, tryParseScope } from "@/lib/model/scope";
import { ScopeLevel, type ParsedScope, type Resource } from "@/lib/model/types";
import type { InventoryIndex } from "./indexes";

/**
 * ARM scope inheritance over one inventory, memoised: which scopes an assignment reaches and
 * which resources sit under a scope. Management groups are not part of an ARM id, so an
 * assignment at a group reaches a subscription only through the subscription's parent chain;
 * walking that chain (seven levels in deep trees) once per question made every rule that
 * asks "what does this grant reach" grow with assignments × resources. Answers are cached per
 * tree, and a tree lives as long as its index (an inventory is not changed after it is built).
 */
export interface ScopeTree {
  /** True when an assignment at `scope` applies to `target`, management groups included. */
  applies(scope: string, target: string): boolean;
  /** Normalised ids of the management groups a subscription (GUID or id) sits under, nearest first. */
  managementGroupsOf(subscriptionId: string): readonly string[];
  /**
   * Resources of the given types (case-insensitive) that an assignment at `scope` reaches,
   * sorted by id. The array is shared between callers: copy it before changing it.
   */
  resourcesUnder(scope: string, types: readonly string[]): readonly Resource[];
}

const trees = new WeakMap<InventoryIndex, ScopeTree>();

export function scopeTreeOf(index: InventoryIndex): ScopeTree {
  let tree = trees.get(index);
  if (!tree) {
    tree = buildScopeTree(index);
    trees.set(index, tree);
  }
  return tree;
}

/** `/subscriptions/<guid>` of a normalised id, the bucket a subscription-scope lookup reads. */
function subscriptionPrefix(normalized: string): string | undefined {
  const m = /^\/subscriptions\/[^/]+/.exec(normalized);
  return m?.[0];
}

const SUBSCRIPTION_SCOPE = /^\/subscriptions\/[^/]+$/;
/** The order of `String#localeCompare` without building a collator per comparison. */
const byLocale = new Intl.Collator();

function buildScopeTree(index: InventoryIndex): ScopeTree {
  const parsed = new Map<string, ParsedScope | undefined>();
  const parse = (scope: string) => {
    if (parsed.has(scope)) return parsed.get(scope);
    const p = tryParseScope(scope);
    parsed.set(scope, p);
    return p;
  };

  const chains = new Map<string, { list: string[]; set: Set<string> }>();
  const chainOf = (subscriptionId: string) => {
    const k = normalizeId(subscriptionId);
    let chain = chains.get(k);
    if (!chain) {
      const sub = index.subscriptionById.get(k);
      const list: string[] = [];
      const set = new Set<string>();
      let mg = sub?.managementGroupId ? index.managementGroupById.get(normalizeId(sub.managementGroupId)) : undefined;
      while (mg && !set.has(normalizeId(mg.id))) {
        set.add(normalizeId(mg.id));
        list.push(normalizeId(mg.id));
        mg = mg.parentId ? index.managementGroupById.get(normalizeId(mg.parentId)) : undefined;
      }
      chain = { list, set };
      chains.set(k, chain);
    }
    return chain;
  };

  const applies = (scope: string, target: string): boolean => {
    if (scopeContains(scope, target)) return true;
    if (parse(scope)?.level !== ScopeLevel.ManagementGroup) return false;
    const sub = subscriptionOf(target);
    return !!sub && chainOf(sub).set.has(normalizeId(scope));
  };

  // Resources by lower-cased type and the `/subscriptions/<guid>` prefix of their id, built on first use.
  let byTypeAndSubscription: Map<string, Resource[]> | undefined;
  const ofTypeInSubscription = (type: string, subscriptionScope: string): readonly Resource[] => {
    if (!byTypeAndSubscription) {
      byTypeAndSubscription = new Map();
      for (const [t, list] of index.resourcesByType) {
        for (const r of list) {
          const prefix = subscriptionPrefix(normalizeId(r.id));
          if (!prefix) continue;
          const k = `${t}|${prefix}`;
          const bucket = byTypeAndSubscription.get(k);
          if (bucket) bucket.push(r);
          else byTypeAndSubscription.set(k, [r]);
        }
      }
    }
    return byTypeAndSubscription.get(`${type}|${subscriptionScope}`) ?? [];
  };

  const under = new Map<string, readonly Resource[]>();
  const resourcesUnder = (scope: string, types: readonly string[]): readonly Resource[] => {
    const memoKey = `${scope}\u0000${types.join("\u0000")}`;
    const hit = under.get(memoKey);
    if (hit) return hit;
    const out: Resource[] = [];
    const seen = new Set<string>();
    const p = parse(scope);
    const normalizedScope = normalizeId(scope);
    // Resource-group and resource scopes only look inside their group: O(group), not O(tenant);
    // a subscription scope only inside its subscription.
    const group = p && (p.level === ScopeLevel.ResourceGroup || p.level === ScopeLevel.Resource) ? (index.resourcesByGroup.get(normalizeId(resourceGroupIdOf(scope)!)) ?? []) : undefined;
    const inSubscription = p?.level === ScopeLevel.Subscription && SUBSCRIPTION_SCOPE.test(normalizedScope);
    for (const t of types) {
      const type = t.toLowerCase();
      const list = group
        ? group.filter((r) => r.type.toLowerCase() === type)
        : inSubscription
          ? ofTypeInSubscription(type, normalizedScope)
          : (index.resourcesByType.get(type) ?? []);
      for (const r of list) {
        const k = normalizeId(r.id);
        if (seen.has(k)) continue;
        const inside = p?.level === ScopeLevel.ResourceGroup ? sameId(resourceGroupIdOf(r.id), scope) : applies(scope, r.id);
        if (inside) {
          seen.add(k);
          out.push(r);
        }
      }
    }
    out.sort((a, b) => byLocale.compare(a.id, b.id));
    under.set(memoKey, out);
    return out;
  };

  return { applies, managementGroupsOf: (subscriptionId) => chainOf(subscriptionId).list, resourcesUnder };
}
