import { CONTROL_EDGE_KINDS, EdgeKind, ESCALATION_EDGE_KINDS, SCOPE_NODE_KINDS } from "@/lib/model/graph-schema";
import { normalizeId } from "@/lib/model/scope";
import type { Graph, GraphEdge, GraphFinding, GraphNode } from "./types";

export const GraphView = {
  Cluster: "cluster",
  Identity: "identity",
  Tenant: "tenant",
} as const;
export type GraphView = (typeof GraphView)[keyof typeof GraphView];

export type GraphViewSpec =
  | { view: "cluster"; clusterId: string }
  | { view: "identity"; identityKey: string }
  | { view: "tenant" };

export interface GraphFilter {
  /** Only scopes in this subscription (GUID), and the management groups above it. */
  subscriptionId?: string;
  /** Only the paths that end in an edge or node with a finding. */
  overBroadOnly?: boolean;
}

export interface Adjacency {
  out: Map<string, GraphEdge[]>;
  in: Map<string, GraphEdge[]>;
  node: Map<string, GraphNode>;
}

export function adjacency(graph: Pick<Graph, "nodes" | "edges">): Adjacency {
  const out = new Map<string, GraphEdge[]>();
  const inn = new Map<string, GraphEdge[]>();
  for (const e of graph.edges) {
    (out.get(e.source) ?? out.set(e.source, []).get(e.source)!).push(e);
    (inn.get(e.target) ?? inn.set(e.target, []).get(e.target)!).push(e);
  }
  return { out, in: inn, node: new Map(graph.nodes.map((n) => [n.id, n])) };
}

/**
 * Control edges except scope inheritance and escalation: the binding chain from a workload to
 * the scope a role is held at. The questions (questions.ts) follow escalation too.
 */
export const isChainEdge = (e: Pick<GraphEdge, "kind">) => CONTROL_EDGE_KINDS.has(e.kind) && e.kind !== EdgeKind.ScopeContains && !ESCALATION_EDGE_KINDS.has(e.kind);

function closure(adj: Adjacency, start: Iterable<string>, dir: "out" | "in", follow: (e: GraphEdge) => boolean): Set<string> {
  const seen = new Set<string>();
  const stack = [...start];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seen.has(id)) continue;
    seen.add(id);
    for (const e of (dir === "out" ? adj.out : adj.in).get(id) ?? []) {
      if (!follow(e)) continue;
      const next = dir === "out" ? e.target : e.source;
      if (!seen.has(next)) stack.push(next);
    }
  }
  return seen;
}

/** Adds every node's containment parents (namespace → cluster, resource → resource group → subscription → management groups). */
function withParents(adj: Adjacency, keep: Set<string>): Set<string> {
  for (const id of [...keep]) {
    let p = adj.node.get(id)?.parentId;
    while (p && !keep.has(p)) {
      keep.add(p);
      p = adj.node.get(p)?.parentId;
    }
  }
  return keep;
}

/** The subgraph on `keep`: those nodes and the edges between them, and the findings they still reference. */
export function induce(graph: Graph, keep: ReadonlySet<string>, edgeFilter: (e: GraphEdge) => boolean = () => true): Graph {
  const nodes = graph.nodes.filter((n) => keep.has(n.id));
  const edges = graph.edges.filter((e) => keep.has(e.source) && keep.has(e.target) && edgeFilter(e));
  const findings: Record<string, GraphFinding> = {};
  for (const x of [...nodes, ...edges]) for (const f of x.findingIds) if (graph.findings[f]) findings[f] = graph.findings[f]!;
  return { nodes, edges, findings };
}

/** The subgraph on `ids` and their containment parents, so every node sits under its namespace, cluster or subscription. */
export function selectNodes(graph: Graph, ids: Iterable<string>): Graph {
  const adj = adjacency(graph);
  return induce(graph, withParents(adj, new Set([...ids].filter((id) => adj.node.has(id)))));
}

function clusterNodeIds(graph: Graph, clusterId: string): string[] {
  const c = normalizeId(clusterId);
  return graph.nodes
    .filter((n) => n.clusterId && normalizeId(n.clusterId) === c && n.kind !== "identity" && n.kind !== "federated-credential")
    .map((n) => n.id);
}

/**
 * The part of the graph a view shows:
 * - cluster: the cluster, its namespaces and workloads, everything they and the cluster act as, and the scopes reached;
 * - identity: the identity's full chain both ways (who can act as it, and where it holds roles);
 * - tenant: everything.
 * Scope ancestors and containment parents are always added, so every scope sits under its subscription.
 */
export function selectView(graph: Graph, spec: GraphViewSpec, filter: GraphFilter = {}): Graph {
  const adj = adjacency(graph);
  let keep: Set<string>;
  if (spec.view === "cluster") {
    keep = closure(adj, clusterNodeIds(graph, spec.clusterId), "out", isChainEdge);
  } else if (spec.view === "identity") {
    const start = graph.nodes.find((n) => n.kind === "identity" && normalizeId(n.entityId) === normalizeId(spec.identityKey));
    if (!start) return { nodes: [], edges: [], findings: {} };
    const up = closure(adj, [start.id], "in", isChainEdge);
    const down = closure(adj, [start.id], "out", isChainEdge);
    keep = new Set([...up, ...down]);
  } else {
    keep = new Set(graph.nodes.map((n) => n.id));
  }

  if (filter.subscriptionId) {
    const sub = normalizeId(filter.subscriptionId);
    const subNode = graph.nodes.find((n) => n.kind === "subscription" && normalizeId(n.subscriptionId ?? "") === sub);
    const above = new Set<string>();
    for (let p = subNode?.parentId; p; p = adj.node.get(p)?.parentId) above.add(p);
    for (const id of [...keep]) {
      const n = adj.node.get(id)!;
      if (!SCOPE_NODE_KINDS.has(n.kind)) continue;
      if (normalizeId(n.subscriptionId ?? "") === sub || above.has(n.id) || (!n.subscriptionId && n.kind !== "management-group")) continue;
      keep.delete(id);
    }
  }

  if (filter.overBroadOnly) keep = overBroadNodes(graph, adj, keep);
  withParents(adj, keep);
  // Parents of kept scopes can bring in scope nodes outside the subscription filter only as
  // ancestors (management groups), which is what inheritance needs.
  return induce(graph, keep, filter.overBroadOnly ? isOverBroadEdge : undefined);
}

/**
 * Nodes on a path that ends in something flagged: for a flagged "holds role" edge, the
 * identity and everyone who can act as it; for a flagged node, the node and its chain.
 */
function overBroadNodes(graph: Graph, adj: Adjacency, within: Set<string>): Set<string> {
  const keep = new Set<string>();
  const inView = (e: GraphEdge) => isChainEdge(e) && within.has(e.source) && within.has(e.target);
  const upFrom = (ids: string[]) => {
    for (const id of closure(adj, ids, "in", inView)) keep.add(id);
  };
  for (const e of graph.edges) {
    if (!e.severity || !within.has(e.source) || !within.has(e.target)) continue;
    keep.add(e.target);
    upFrom([e.source]);
    if (e.kind !== EdgeKind.HoldsRole) {
      // A flagged link in the chain: show where it leads, up to the identity.
      for (const id of closure(adj, [e.target], "out", (x) => inView(x) && x.kind !== EdgeKind.HoldsRole)) keep.add(id);
    }
  }
  for (const n of graph.nodes) {
    if (n.severity && within.has(n.id)) upFrom([n.id]);
  }
  return keep;
}

/** Edges to draw in "only over-broad paths" mode: every chain edge is kept, "holds role" edges only when flagged. */
export function isOverBroadEdge(e: GraphEdge): boolean {
  return e.kind !== EdgeKind.HoldsRole || !!e.severity;
}

/** Nodes whose label, sublabel or id contains the query (case-insensitive), best matches first. */
export function searchNodes(graph: Pick<Graph, "nodes">, query: string, limit = 20): GraphNode[] {
  const q = query.trim().toLowerCase();
  if (!q) return [];
  const scored: { n: GraphNode; score: number }[] = [];
  for (const n of graph.nodes) {
    const label = n.label.toLowerCase();
    const score = label === q ? 0 : label.startsWith(q) ? 1 : label.includes(q) ? 2 : (n.sublabel ?? "").toLowerCase().includes(q) ? 3 : n.entityId.toLowerCase().includes(q) ? 4 : -1;
    if (score >= 0) scored.push({ n, score });
  }
  return scored
    .sort((a, b) => a.score - b.score || a.n.label.localeCompare(b.n.label))
    .slice(0, limit)
    .map((s) => s.n);
}
