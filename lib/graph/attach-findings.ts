import type { InventoryIndex } from "@/lib/inventory/indexes";
import type { Finding } from "@/lib/model/findings";
import { normalizeId } from "@/lib/model/scope";
import { maxSeverity } from "./severity";
import type { GraphEdge, GraphFinding, GraphNode, GraphRole } from "./types";

/**
 * Marks the nodes and edges each finding points at (see buildGraph) and returns the findings
 * that found a place. Nodes, edges and roles are numbered, and "already marked by this
 * finding" is a number per holder: a subscription that thousands of grants point at collects
 * thousands of findings, and searching its list (or a set per holder) for each made this the
 * slowest step of the graph.
 */
export function attachFindings(nodes: GraphNode[], edges: GraphEdge[], findings: readonly Finding[], index: InventoryIndex): Record<string, GraphFinding> {
  const out: Record<string, GraphFinding> = {};
  if (findings.length === 0) return out;

  const nodesByEntity = new Map<string, number[]>();
  nodes.forEach((n, i) => push(nodesByEntity, normalizeId(n.entityId), i));
  const edgesByRef = new Map<string, number[]>();
  edges.forEach((e, i) => {
    for (const r of e.refs) push(edgesByRef, normalizeId(r), i);
  });
  const identityByPrincipal = new Map<string, number>();
  nodes.forEach((n, i) => {
    if (n.kind !== "identity") return;
    const id = index.identityByKey.get(normalizeId(n.entityId));
    if (id?.principalId) identityByPrincipal.set(normalizeId(id.principalId), i);
  });

  // With unique finding ids (evaluateRules gives them) a holder can only be marked twice by the
  // same finding, so the last finding's number per holder is enough; otherwise ids are kept.
  const uniqueIds = new Set(findings.map((f) => f.id)).size === findings.length;
  const marks = { node: new Int32Array(nodes.length).fill(-1), edge: new Int32Array(edges.length).fill(-1), role: [] as number[] };
  const markedIds = new Map<string, Set<string>>();
  const firstMark = (kind: "node" | "edge" | "role", i: number, ordinal: number, id: string): boolean => {
    if (uniqueIds) {
      if (marks[kind][i] === ordinal) return false;
      marks[kind][i] = ordinal;
      return true;
    }
    const key = `${kind}:${i}`;
    let ids = markedIds.get(key);
    if (!ids) markedIds.set(key, (ids = new Set()));
    if (ids.has(id)) return false;
    ids.add(id);
    return true;
  };

  // A "holds role" edge bundles every assignment between one identity and one scope.
  const rolesByEdge = new Map<number, Map<string, { role: GraphRole; i: number }[]>>();
  const rolesOf = (edge: number, assignmentKey: string) => {
    let byAssignment = rolesByEdge.get(edge);
    if (!byAssignment) {
      byAssignment = new Map();
      for (const role of edges[edge]!.roles ?? []) push(byAssignment, normalizeId(role.assignmentId), { role, i: marks.role.push(-1) - 1 });
      rolesByEdge.set(edge, byAssignment);
    }
    return byAssignment.get(assignmentKey) ?? [];
  };

  // What an id a finding names stands for: the edges it is a ref of, the nodes of that entity,
  // and for a pod id the nodes of the workload owning it. Findings name the same ids over and
  // over (every grant under a subscription names its storage accounts).
  interface Holders {
    key: string;
    edges: number[];
    nodes: number[];
  }
  const holdersById = new Map<string, Holders>();
  const holdersOf = (id: string): Holders => {
    let holders = holdersById.get(id);
    if (!holders) {
      const k = normalizeId(id);
      const w = index.workloadByPodId.get(k);
      const ofEntity = [...(nodesByEntity.get(k) ?? []), ...(w ? (nodesByEntity.get(normalizeId(w.id)) ?? []) : [])];
      holders = { key: k, edges: edgesByRef.get(k) ?? [], nodes: ofEntity };
      holdersById.set(id, holders);
    }
    return holders;
  };
  // The identity node a finding names, by its identity key or principal id as written.
  const identityNodeByKey = new Map<string, number | undefined>();
  const identityNodeOf = (f: Finding): number | undefined => {
    if (f.identityKey) {
      if (!identityNodeByKey.has(f.identityKey)) identityNodeByKey.set(f.identityKey, nodesByEntity.get(normalizeId(f.identityKey))?.find((i) => nodes[i]!.kind === "identity"));
      const i = identityNodeByKey.get(f.identityKey);
      if (i !== undefined) return i;
    }
    return f.principalId ? identityByPrincipal.get(normalizeId(f.principalId)) : undefined;
  };

  findings.forEach((f, ordinal) => {
    let attached = false;
    const markNode = (i: number) => {
      attached = true;
      if (!firstMark("node", i, ordinal, f.id)) return;
      const n = nodes[i]!;
      n.findingIds.push(f.id);
      n.severity = maxSeverity(n.severity, f.severity);
    };
    const assignmentKey = f.roleAssignmentId ? holdersOf(f.roleAssignmentId).key : undefined;
    const markEdge = (i: number) => {
      attached = true;
      const e = edges[i]!;
      if (firstMark("edge", i, ordinal, f.id)) {
        e.findingIds.push(f.id);
        e.severity = maxSeverity(e.severity, f.severity);
      }
      if (!assignmentKey || !e.roles) return;
      for (const { role, i: r } of rolesOf(i, assignmentKey)) {
        if (!firstMark("role", r, ordinal, f.id)) continue;
        role.findingIds.push(f.id);
        role.severity = maxSeverity(role.severity, f.severity);
      }
    };
    const mark = (id: string | undefined) => {
      if (!id) return;
      const holders = holdersOf(id);
      holders.edges.forEach(markEdge);
      holders.nodes.forEach(markNode);
    };
    mark(f.roleAssignmentId);
    for (const id of f.targetIds ?? []) mark(id);
    // The finding's own id is a ref of the edges derived from it (escalation).
    mark(f.id);
    const identityNode = identityNodeOf(f);
    if (identityNode !== undefined) markNode(identityNode);
    if (!attached && f.clusterId) {
      for (const i of nodesByEntity.get(normalizeId(f.clusterId)) ?? []) if (nodes[i]!.kind === "cluster") markNode(i);
    }
    if (attached) {
      const g: GraphFinding = { id: f.id, ruleId: f.ruleId, severity: f.severity, title: f.title };
      if (f.roleName) g.roleName = f.roleName;
      if (f.scope) g.scope = f.scope;
      out[f.id] = g;
    }
  });
  return out;
}

function push<T>(m: Map<string, T[]>, k: string, v: T): void {
  const list = m.get(k);
  if (list) list.push(v);
  else m.set(k, [v]);
}
