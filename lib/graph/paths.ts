import { SCOPE_NODE_KINDS } from "@/lib/model/graph-schema";
import { adjacency, isChainEdge as isChain } from "./view";
import type { Graph, GraphEdge } from "./types";

export interface PathStep {
  nodeId: string;
  /** The edge that leads to this step (absent on the first step). */
  via?: { kind: GraphEdge["kind"]; label?: string; severity?: GraphEdge["severity"]; broken?: boolean };
}

export interface TracedPaths {
  paths: PathStep[][];
  /** More paths exist than `limit`. */
  truncated: boolean;
}

/**
 * Every chain through `nodeId` from a starting actor (a workload, or a cluster acting through
 * its own identities) to a scope where a role is held: the answer to "which pods can act
 * where through this". Cycles cannot occur along chain edges (they flow left to right), but
 * visited sets guard anyway.
 */
export function tracePaths(graph: Graph, nodeId: string, limit = 50): TracedPaths {
  const adj = adjacency(graph);
  if (!adj.node.has(nodeId)) return { paths: [], truncated: false };
  let truncated = false;

  const ups: PathStep[][] = [];
  const walkUp = (id: string, tail: PathStep[], seen: Set<string>) => {
    if (ups.length >= limit) return void (truncated = true);
    const incoming = (adj.in.get(id) ?? []).filter((e) => isChain(e) && !seen.has(e.source));
    if (incoming.length === 0) return void ups.push(tail);
    for (const e of incoming) {
      const step = tail[0]!;
      const withVia: PathStep = { ...step, via: { kind: e.kind, label: e.label, severity: e.severity, broken: e.broken } };
      walkUp(e.source, [{ nodeId: e.source }, withVia, ...tail.slice(1)], new Set(seen).add(e.source));
    }
  };
  walkUp(nodeId, [{ nodeId }], new Set([nodeId]));

  const downs: PathStep[][] = [];
  const walkDown = (id: string, acc: PathStep[], seen: Set<string>) => {
    if (downs.length >= limit) return void (truncated = true);
    const node = adj.node.get(id);
    const outgoing = SCOPE_NODE_KINDS.has(node!.kind) ? [] : (adj.out.get(id) ?? []).filter((e) => isChain(e) && !seen.has(e.target));
    if (outgoing.length === 0) return void downs.push(acc);
    for (const e of outgoing) {
      walkDown(e.target, [...acc, { nodeId: e.target, via: { kind: e.kind, label: e.label, severity: e.severity, broken: e.broken } }], new Set(seen).add(e.target));
    }
  };
  walkDown(nodeId, [], new Set([nodeId]));

  const paths: PathStep[][] = [];
  for (const up of ups) {
    for (const down of downs) {
      if (paths.length >= limit) return { paths, truncated: true };
      if (up.length + down.length > 1) paths.push([...up, ...down]);
    }
  }
  return { paths, truncated };
}
