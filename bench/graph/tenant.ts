import { buildGraph } from "@/lib/graph/build";
import type { Graph } from "@/lib/graph/types";
import { selectView } from "@/lib/graph/view";
import { buildInventory } from "@/lib/inventory/build";
import { evaluateRules } from "@/lib/rules/evaluate";
import { generateTenant } from "@/lib/tenant/generate";
import { PODS_PER_APP } from "@/lib/tenant/generators/standard-clusters";
import { rawFromTenant } from "@/lib/tenant/raw-from-tenant";
import type { TenantFile } from "@/lib/tenant/types";

/**
 * In the generated standard tenant (lib/tenant/generators/standard*.ts) every workload-identity app adds four
 * graph nodes to its cluster's view: the workload (its 20 pods folded into one node), its
 * service account, the federated credential and the user-assigned identity. Around them sit
 * a fixed ~22: the cluster, its namespaces, the kubelet and control-plane identities, and
 * the scopes they reach with their management groups, subscription and resource groups.
 */
const NODES_PER_APP = 4;
const FIXED_NODES = 22;

export interface GraphBenchTenant {
  tenant: TenantFile;
  /** The one cluster's ARM id: the page's `?cluster=` and the view the benchmark lays out. */
  clusterId: string;
  pods: number;
}

/**
 * One subscription, one cluster, as many apps as it takes for the cluster view to hold
 * about `targetNodes` nodes. Deterministic for a given seed.
 */
export function generateGraphBenchTenant(targetNodes: number, seed = 7): GraphBenchTenant {
  if (!Number.isInteger(targetNodes) || targetNodes < FIXED_NODES + NODES_PER_APP) {
    throw new Error(`graph bench: a size must be a whole number of nodes ≥ ${FIXED_NODES + NODES_PER_APP}, got ${targetNodes}`);
  }
  const apps = Math.max(1, Math.round((targetNodes - FIXED_NODES) / NODES_PER_APP));
  const pods = apps * PODS_PER_APP;
  const { tenant } = generateTenant({ subscriptions: 1, assignments: 0, clusters: 1, pods, seed });
  const clusterId = Object.keys(tenant.kubernetes ?? {})[0];
  if (!clusterId) throw new Error("graph bench: the generated tenant has no cluster");
  return { tenant, clusterId, pods };
}

/**
 * The graph the page draws for the cluster view with `expand=all`: the same path as
 * app/graph/page.tsx (inventory → rules → buildGraph → selectView), offline, no collapsing.
 */
export function buildClusterView(tenant: TenantFile, clusterId: string): Graph {
  const inventory = buildInventory(rawFromTenant(tenant));
  const graph = buildGraph(inventory, evaluateRules(inventory));
  return selectView(graph, { view: "cluster", clusterId });
}
