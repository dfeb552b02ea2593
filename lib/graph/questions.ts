import { CONTROL_EDGE_KINDS, EdgeKind, SCOPE_NODE_KINDS } from "@/lib/model/graph-schema";
import { severityRank } from "@/lib/model/findings";
import { normalizeId } from "@/lib/model/scope";
import type { PathStep } from "./paths";
import { scopeChain, type ScopeParents } from "./scope-chain";
import type { Graph, GraphEdge, GraphRole } from "./types";
import { adjacency, type Adjacency } from "./view";

/**
 * The two questions the graph answers beyond its views: "who can reach X" (every workload,
 * binding and identity that can act at a scope, including through wider scopes and through
 * taking over another identity) and "how does A reach X" (the paths, shortest first). Both are
 * breadth-first walks over the relations the graph already holds: linear in nodes + edges,
 * with path enumeration bounded by a limit.
 */

/** Edges along which one actor acts as the next: the binding chain and escalation, not the grant itself nor scope containment. */
const isActing = (e: GraphEdge) => CONTROL_EDGE_KINDS.has(e.kind) && e.kind !== EdgeKind.ScopeContains && e.kind !== EdgeKind.HoldsRole;
const via = (e: GraphEdge): PathStep["via"] => ({ kind: e.kind, label: e.label, severity: e.severity, broken: e.broken });

/** The scope asked about and every scope whose grants apply to it, narrowest first, with their graph nodes where present. */
export interface ScopeTarget {
  scopeId: string;
  chain: { scopeId: string; nodeId?: string }[];
}

export function resolveScopeTarget(graph: Pick<Graph, "nodes">, scopeId: string, dir: ScopeParents): ScopeTarget {
  const byEntity = new Map<string, string>();
  for (const n of graph.nodes) if (SCOPE_NODE_KINDS.has(n.kind)) byEntity.set(normalizeId(n.entityId), n.id);
  return { scopeId, chain: scopeChain(scopeId, dir).map((s) => ({ scopeId: s, nodeId: byEntity.get(normalizeId(s)) })) };
}

/** One role held at the target or above it. */
export interface ReachGrant {
  /** The identity node holding the role. */
  identity: string;
  role: GraphRole;
  /** The scope node the role is held at. */
  scopeNodeId: string;
  /** Held at a wider scope than the one asked about (ARM inheritance). */
  inherited: boolean;
  edgeId: string;
}

/** pod (workload) → binding / service account + credential → identity, then the grant it holds. */
export interface ReachRow {
  /** From the actor (a workload, a cluster, or the identity itself when nothing acts as it) to the identity holding the grant. */
  path: PathStep[];
  grant: ReachGrant;
}

export interface ReachAnswer {
  target: ScopeTarget;
  grants: ReachGrant[];
  rows: ReachRow[];
  /** The highlighted subgraph: the target's scopes, the grants and everything that can act as their holders. */
  nodeIds: string[];
  edgeIds: string[];
  /** More rows exist than the limit. */
  truncated: boolean;
}

const grantOrder = (a: ReachGrant, b: ReachGrant) =>
  (b.role.severity ? severityRank(b.role.severity) : 0) - (a.role.severity ? severityRank(a.role.severity) : 0) ||
  Number(a.inherited) - Number(b.inherited) ||
  a.role.roleName.localeCompare(b.role.roleName);

function chainEdges(adj: Adjacency, target: ScopeTarget): string[] {
  const present = target.chain.map((c) => c.nodeId).filter((id): id is string => !!id);
  const out: string[] = [];
  for (let i = 0; i + 1 < present.length; i++) {
    const e = (adj.in.get(present[i]!) ?? []).find((x) => x.kind === EdgeKind.ScopeContains && x.source === present[i + 1]);
    if (e) out.push(e.id);
  }
  return out;
}

/** Who can act at `scopeId`: the grants there and above, and every chain into their holders. */
export function whoCanReach(graph: Graph, scopeId: string, dir: ScopeParents, options: { limit?: number } = {}): ReachAnswer {
  const limit = options.limit ?? 500;
  const adj = adjacency(graph);
  const target = resolveScopeTarget(graph, scopeId, dir);
  const grants: ReachGrant[] = [];
  target.chain.forEach((c, i) => {
    if (!c.nodeId) return;
    for (const e of adj.in.get(c.nodeId) ?? []) {
      if (e.kind !== EdgeKind.HoldsRole) continue;
      for (const role of e.roles ?? []) grants.push({ identity: e.source, role, scopeNodeId: c.nodeId, inherited: i > 0, edgeId: e.id });
    }
  });
  grants.sort(grantOrder);

  // Everything that can act as a holder, breadth first against the edges.
  const nodes = new Set<string>(target.chain.flatMap((c) => (c.nodeId ? [c.nodeId] : [])));
  const edges = new Set<string>([...chainEdges(adj, target), ...grants.map((g) => g.edgeId)]);
  const queue = [...new Set(grants.map((g) => g.identity))];
  for (const id of queue) nodes.add(id);
  for (let i = 0; i < queue.length; i++) {
    for (const e of adj.in.get(queue[i]!) ?? []) {
      if (!isActing(e)) continue;
      edges.add(e.id);
      if (nodes.has(e.source)) continue;
      nodes.add(e.source);
      queue.push(e.source);
    }
  }

  // Rows: each chain into a holder, per grant; bounded, since chains multiply.
  const rows: ReachRow[] = [];
  let truncated = false;
  const into = new Map<string, PathStep[][]>();
  const chainsInto = (id: string): PathStep[][] => {
    const cached = into.get(id);
    if (cached) return cached;
    const found: PathStep[][] = [];
    const walk = (node: string, tail: PathStep[], seen: Set<string>) => {
      if (found.length > limit) return;
      const incoming = (adj.in.get(node) ?? []).filter((e) => isActing(e) && !seen.has(e.source));
      if (incoming.length === 0) return void found.push([{ nodeId: node }, ...tail]);
      for (const e of incoming) walk(e.source, [{ nodeId: node, via: via(e) }, ...tail], new Set(seen).add(e.source));
    };
    walk(id, [], new Set([id]));
    into.set(id, found);
    return found;
  };
  outer: for (const grant of grants) {
    for (const path of chainsInto(grant.identity)) {
      if (rows.length >= limit) {
        truncated = true;
        break outer;
      }
      rows.push({ path, grant });
    }
  }
  return { target, grants, rows, nodeIds: [...nodes], edgeIds: [...edges], truncated };
}

export interface PathAnswer {
  target: ScopeTarget;
  /** Shortest first; each ends at the scope where the role is held. */
  paths: { steps: PathStep[]; inherited: boolean }[];
  nodeIds: string[];
  edgeIds: string[];
  /** No path at all from the start to the target. */
  reachable: boolean;
  truncated: boolean;
}

/**
 * The paths from `fromNodeId` (a workload, cluster, binding or identity) to `scopeId`, shortest
 * first, at most `limit` of them and at most `slack` steps longer than the shortest. Distances
 * to the target come from one breadth-first walk against the edges, so the enumeration only
 * enters steps that still lead to the target within the bound.
 */
export function pathsBetween(graph: Graph, fromNodeId: string, scopeId: string, dir: ScopeParents, options: { limit?: number; slack?: number } = {}): PathAnswer {
  const limit = options.limit ?? 20;
  const slack = options.slack ?? 4;
  const adj = adjacency(graph);
  const target = resolveScopeTarget(graph, scopeId, dir);
  const depth = new Map<string, number>();
  target.chain.forEach((c, i) => c.nodeId && !depth.has(c.nodeId) && depth.set(c.nodeId, i));
  const follows = (e: GraphEdge) => isActing(e) || e.kind === EdgeKind.HoldsRole;

  const dist = new Map<string, number>();
  const queue: string[] = [...depth.keys()];
  for (const id of queue) dist.set(id, 0);
  for (let i = 0; i < queue.length; i++) {
    const d = dist.get(queue[i]!)!;
    for (const e of adj.in.get(queue[i]!) ?? []) {
      if (!follows(e) || dist.has(e.source)) continue;
      dist.set(e.source, d + 1);
      queue.push(e.source);
    }
  }
  const empty = { target, paths: [], nodeIds: [], edgeIds: [], truncated: false };
  const shortest = dist.get(fromNodeId);
  if (shortest === undefined || !adj.node.has(fromNodeId)) return { ...empty, reachable: false };

  const paths: PathAnswer["paths"] = [];
  const nodes = new Set<string>();
  const edges = new Set<string>();
  let truncated = false;
  for (let bound = shortest; bound <= shortest + slack && !truncated; bound++) {
    const walk = (node: string, steps: PathStep[], edgeIds: string[], seen: Set<string>) => {
      if (truncated) return;
      if (depth.has(node)) {
        if (steps.length - 1 !== bound) return;
        if (paths.length >= limit) return void (truncated = true);
        paths.push({ steps, inherited: depth.get(node)! > 0 });
        for (const s of steps) nodes.add(s.nodeId);
        for (const id of edgeIds) edges.add(id);
        return;
      }
      for (const e of adj.out.get(node) ?? []) {
        const d = dist.get(e.target);
        if (!follows(e) || d === undefined || seen.has(e.target) || steps.length + d > bound) continue;
        walk(e.target, [...steps, { nodeId: e.target, via: via(e) }], [...edgeIds, e.id], new Set(seen).add(e.target));
      }
    };
    walk(fromNodeId, [{ nodeId: fromNodeId }], [], new Set([fromNodeId]));
  }
  for (const id of chainEdges(adj, target)) edges.add(id);
  for (const c of target.chain) if (c.nodeId && nodes.size > 0) nodes.add(c.nodeId);
  return { target, paths, nodeIds: [...nodes], edgeIds: [...edges], reachable: true, truncated };
}
