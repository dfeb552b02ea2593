import type { ServerEnv } from "@/lib/env";
import type { Finding, FixPlan } from "@/lib/model/findings";
import { normalizeId } from "@/lib/model/scope";
import type { Inventory } from "@/lib/model/types";

/** Which clusters are production: by name (SCOPEWISE_PRODUCTION_CLUSTERS) or by a `key=value` tag on the managedCluster (SCOPEWISE_PRODUCTION_TAGS). */
export interface ProductionRule {
  names: string[];
  tags: { key: string; value: string }[];
}

/** Unset, a cluster tagged `environment=production` is production (the demo's clusters say `prod`, so they are not unless configured). */
const DEFAULT_TAGS = ["environment=production"];

export function productionRuleOf(env: Pick<ServerEnv, "SCOPEWISE_PRODUCTION_CLUSTERS" | "SCOPEWISE_PRODUCTION_TAGS">): ProductionRule {
  const tags = (env.SCOPEWISE_PRODUCTION_TAGS ?? DEFAULT_TAGS).map((t) => {
    const i = t.indexOf("=");
    return { key: t.slice(0, i).trim().toLowerCase(), value: t.slice(i + 1).trim().toLowerCase() };
  });
  return { names: (env.SCOPEWISE_PRODUCTION_CLUSTERS ?? []).map((n) => n.toLowerCase()), tags };
}

/**
 * The production cluster a fix plan changes, by name, for the typed confirmation: the finding's
 * cluster, or a cluster a Kubernetes step of the plan writes to. Tag keys compare without case,
 * as ARM treats them; values too, since people write "Production" and "production".
 */
export function productionClusterOf(finding: Pick<Finding, "clusterId">, plan: Pick<FixPlan, "steps">, inventory: Inventory, rule: ProductionRule): string | undefined {
  const ids = new Set([finding.clusterId, ...plan.steps.map((s) => ("clusterId" in s ? s.clusterId : undefined))].filter((x): x is string => !!x).map(normalizeId));
  for (const cluster of inventory.clusters) {
    if (!ids.has(normalizeId(cluster.id))) continue;
    if (rule.names.includes(cluster.name.toLowerCase())) return cluster.name;
    const tags = inventory.resources.find((r) => normalizeId(r.id) === normalizeId(cluster.id))?.tags ?? {};
    const lower = new Map(Object.entries(tags).map(([k, v]) => [k.toLowerCase(), String(v).toLowerCase()]));
    if (rule.tags.some((t) => lower.get(t.key) === t.value)) return cluster.name;
  }
  return undefined;
}
