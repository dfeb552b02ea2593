import type { GraphView } from "@/lib/graph/view";

/** The graph page's URL state: which view, for what, and the filters. */
export interface GraphQuery {
  view: GraphView;
  /** Cluster ARM id (cluster view). Empty: the first cluster. */
  cluster: string;
  /** Identity key (identity view). */
  identity: string;
  /** Subscription GUID: only scopes in it. */
  subscription: string;
  overBroad: boolean;
  /**
   * `expand=all`: open with no group collapsed, even when the view is large or the tenant
   * view. Aggregation stays the default; this is for people who want every node, and for
   * the graph benchmark (bench/graph.ts), which must draw N real nodes.
   */
  expandAll: boolean;
  /** "Who can reach this?": an ARM scope (management group, subscription, resource group or resource). */
  to: string;
  /** With `to`: "how does this node reach it?" A graph node id (`<kind>:<entity id>`). */
  from: string;
  /** The node whose details are open. */
  select: string;
}

export const defaultGraphQuery: GraphQuery = { view: "cluster", cluster: "", identity: "", subscription: "", overBroad: false, expandAll: false, to: "", from: "", select: "" };

export function graphHref(query: GraphQuery, changes: Partial<GraphQuery> = {}): string {
  const q = { ...query, ...changes };
  const p = new URLSearchParams();
  if (q.view !== "cluster") p.set("view", q.view);
  if (q.view === "cluster" && q.cluster) p.set("cluster", q.cluster);
  if (q.view === "identity" && q.identity) p.set("identity", q.identity);
  if (q.subscription) p.set("subscription", q.subscription);
  if (q.overBroad) p.set("overbroad", "1");
  if (q.expandAll) p.set("expand", "all");
  if (q.to) p.set("to", q.to);
  if (q.to && q.from) p.set("from", q.from);
  if (q.select) p.set("select", q.select);
  const s = p.toString();
  return s ? `/graph?${s}` : "/graph";
}

/** "Open in graph" for a scope: who can reach it. */
export const reachHref = (scopeId: string) => graphHref(defaultGraphQuery, { to: scopeId });
/** "Open in graph" for an identity: its chain both ways. */
export const identityGraphHref = (identityKey: string) => graphHref(defaultGraphQuery, { view: "identity", identity: identityKey });
/** "Open in graph" for a grant: how a node (an identity's `identity:<key>`) reaches a scope. */
export const pathHref = (fromNodeId: string, scopeId: string) => graphHref(defaultGraphQuery, { to: scopeId, from: fromNodeId });
