import { GROUPING_NODE_KINDS } from "@/lib/model/graph-schema";
import { roleLabel } from "./labels";
import { maxSeverity } from "./severity";
import type { Graph, GraphEdge, GraphNode, GraphRole } from "./types";

/**
 * Folds collapsed groups: every node inside a collapsed namespace, cluster or scope is
 * replaced by its outermost collapsed ancestor, and edges are re-pointed to it and merged
 * (same kind and ends), keeping the union of refs, roles and findings and the highest
 * severity. A collapsed node counts what it hides.
 */
export function collapseGraph(graph: Graph, collapsed: ReadonlySet<string>): Graph {
  if (collapsed.size === 0) return graph;
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const rep = new Map<string, string>();
  const repOf = (id: string): string => {
    const cached = rep.get(id);
    if (cached) return cached;
    let result = id;
    for (let p = byId.get(id)?.parentId; p; p = byId.get(p)?.parentId) if (collapsed.has(p) && byId.has(p)) result = p;
    rep.set(id, result);
    return result;
  };

  const hidden = new Map<string, GraphNode[]>();
  const nodes: GraphNode[] = [];
  for (const n of graph.nodes) {
    const r = repOf(n.id);
    if (r !== n.id) {
      (hidden.get(r) ?? hidden.set(r, []).get(r)!).push(n);
      continue;
    }
    nodes.push(n);
  }
  const out: GraphNode[] = nodes.map((n) => {
    const inside = hidden.get(n.id);
    if (!collapsed.has(n.id) || !GROUPING_NODE_KINDS.has(n.kind)) return n;
    const c: GraphNode = { ...n, collapsed: true, counts: { ...n.counts, hidden: inside?.length ?? 0 }, findingIds: [...n.findingIds] };
    for (const h of inside ?? []) {
      for (const f of h.findingIds) if (!c.findingIds.includes(f)) c.findingIds.push(f);
      c.severity = maxSeverity(c.severity, h.severity);
    }
    return c;
  });

  const merged = new Map<string, GraphEdge>();
  for (const e of graph.edges) {
    const source = repOf(e.source);
    const target = repOf(e.target);
    if (source === target) continue;
    const id = source === e.source && target === e.target ? e.id : `${e.kind}:${source}->${target}`;
    const prev = merged.get(id);
    if (!prev) {
      merged.set(id, { ...e, id, source, target, refs: [...e.refs], findingIds: [...e.findingIds], roles: e.roles?.map((r) => ({ ...r })), count: e.count ?? 1 });
      continue;
    }
    prev.count = (prev.count ?? 1) + (e.count ?? 1);
    for (const r of e.refs) if (!prev.refs.includes(r)) prev.refs.push(r);
    for (const f of e.findingIds) if (!prev.findingIds.includes(f)) prev.findingIds.push(f);
    prev.severity = maxSeverity(prev.severity, e.severity);
    if (e.broken) prev.broken = true;
    if (e.roles) prev.roles = mergeRoles(prev.roles ?? [], e.roles);
    prev.label = prev.roles ? roleLabel(prev.roles) : prev.label;
  }
  for (const e of merged.values()) if (!e.roles && (e.count ?? 1) > 1) e.label = `${e.label ?? ""} ×${e.count}`.trim();
  return { nodes: out, edges: [...merged.values()], findings: graph.findings };
}

function mergeRoles(a: GraphRole[], b: GraphRole[]): GraphRole[] {
  const out = [...a];
  for (const r of b) if (!out.some((x) => x.assignmentId === r.assignmentId)) out.push({ ...r });
  return out;
}


/** The groups collapsed when a view opens: namespaces in the tenant view and whenever the view is large. */
export function defaultCollapsed(graph: Pick<Graph, "nodes">, opts: { tenant: boolean; maxNodes?: number }): Set<string> {
  const large = graph.nodes.length > (opts.maxNodes ?? 300);
  if (!opts.tenant && !large) return new Set();
  return new Set(graph.nodes.filter((n) => n.kind === "namespace").map((n) => n.id));
}
