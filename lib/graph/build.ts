import type { InventoryIndex } from "@/lib/inventory/indexes";
import { EDGE_KINDS } from "@/lib/model/graph-schema";
import type { Finding } from "@/lib/model/findings";
import { normalizeId } from "@/lib/model/scope";
import type { Inventory } from "@/lib/model/types";
import type { CatalogRuleId } from "@/lib/rules/catalog-ids";
import { GraphBuildContext } from "@/lib/graph/build-context";
import { RELATIONS } from "./relations";
import { maxSeverity } from "./severity";
import type { Graph, GraphEdge, GraphFinding, GraphNode } from "./types";

const ESCALATION_RULE: CatalogRuleId = "identity-escalation-path";

export interface BuildGraphOptions {
  /** Reuse an index already built for the same inventory (the rules build one too). */
  index?: InventoryIndex;
}

export class GraphSchemaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GraphSchemaError";
  }
}

/**
 * The identity graph of a whole inventory: clusters and the identities they use, workloads
 * (pods grouped by owner) and how they reach identities, and the scopes those identities hold
 * roles at. Pure: the same inventory and findings give the same graph.
 *
 * Findings attach where they point: a finding about a role assignment marks that "holds role"
 * edge; one naming objects in `targetIds` (a binding, a federated credential, a pod...) marks
 * the nodes and edges standing for them; every finding about an identity marks its node.
 * An edge or node gets the highest severity among its findings.
 */
export function buildGraph(inventory: Inventory, findings: readonly Finding[] = [], options: BuildGraphOptions = {}): Graph {
  const ctx = new GraphBuildContext(inventory, options.index);
  for (const f of findings) {
    if (f.identityKey) ctx.extraIdentityKeys.add(f.identityKey);
    // The rule names the identity that can be taken over first among its targets.
    if (f.ruleId === ESCALATION_RULE && f.identityKey && f.targetIds?.[0]) ctx.escalations.push({ holderKey: f.identityKey, target: f.targetIds[0], findingId: f.id });
  }

  for (const rel of RELATIONS) {
    const before = new Set(ctx.edges.keys());
    rel.match(ctx);
    for (const [id, e] of ctx.edges) {
      if (before.has(id)) continue;
      if (e.kind !== rel.id) throw new GraphSchemaError(`relation ${rel.id} produced a ${e.kind} edge (${id})`);
      const from = ctx.nodes.get(e.source)?.kind;
      const to = ctx.nodes.get(e.target)?.kind;
      const spec = EDGE_KINDS[e.kind];
      if (!from || !to || !rel.from.includes(from) || !rel.to.includes(to) || !spec.from.includes(from) || !spec.to.includes(to)) {
        throw new GraphSchemaError(`edge ${id}: ${from ?? "missing node"} → ${to ?? "missing node"} is not allowed for ${e.kind}`);
      }
    }
  }

  const nodes = [...ctx.nodes.values()];
  const edges = [...ctx.edges.values()];
  const graphFindings = attachFindings(nodes, edges, findings, ctx.index);
  return { nodes, edges, findings: graphFindings };
}

function attachFindings(nodes: GraphNode[], edges: GraphEdge[], findings: readonly Finding[], index: InventoryIndex): Record<string, GraphFinding> {
  const out: Record<string, GraphFinding> = {};
  if (findings.length === 0) return out;

  const nodesByEntity = new Map<string, GraphNode[]>();
  for (const n of nodes) {
    const k = normalizeId(n.entityId);
    const list = nodesByEntity.get(k);
    if (list) list.push(n);
    else nodesByEntity.set(k, [n]);
  }
  const edgesByRef = new Map<string, GraphEdge[]>();
  for (const e of edges) {
    for (const r of e.refs) {
      const k = normalizeId(r);
      const list = edgesByRef.get(k);
      if (list) list.push(e);
      else edgesByRef.set(k, [e]);
    }
  }
  const identityByPrincipal = new Map<string, GraphNode>();
  for (const n of nodes) {
    if (n.kind !== "identity") continue;
    const id = index.identityByKey.get(normalizeId(n.entityId));
    if (id?.principalId) identityByPrincipal.set(normalizeId(id.principalId), n);
  }

  const markNode = (n: GraphNode, f: Finding) => {
    if (n.findingIds.includes(f.id)) return;
    n.findingIds.push(f.id);
    n.severity = maxSeverity(n.severity, f.severity);
  };
  const markEdge = (e: GraphEdge, f: Finding) => {
    if (!e.findingIds.includes(f.id)) {
      e.findingIds.push(f.id);
      e.severity = maxSeverity(e.severity, f.severity);
    }
    for (const r of e.roles ?? []) {
      if (f.roleAssignmentId && normalizeId(r.assignmentId) === normalizeId(f.roleAssignmentId) && !r.findingIds.includes(f.id)) {
        r.findingIds.push(f.id);
        r.severity = maxSeverity(r.severity, f.severity);
      }
    }
  };

  for (const f of findings) {
    let attached = false;
    // The finding's own id is a ref of the edges derived from it (escalation).
    const keys = [f.roleAssignmentId, ...(f.targetIds ?? []), f.id].filter((k): k is string => !!k).map(normalizeId);
    for (const k of keys) {
      for (const e of edgesByRef.get(k) ?? []) {
        markEdge(e, f);
        attached = true;
      }
      for (const n of nodesByEntity.get(k) ?? []) {
        markNode(n, f);
        attached = true;
      }
      // A pod id points at the workload that owns it.
      const w = index.workloadByPodId.get(k);
      for (const n of w ? (nodesByEntity.get(normalizeId(w.id)) ?? []) : []) {
        markNode(n, f);
        attached = true;
      }
    }
    const identityNode =
      (f.identityKey ? nodesByEntity.get(normalizeId(f.identityKey))?.find((n) => n.kind === "identity") : undefined) ??
      (f.principalId ? identityByPrincipal.get(normalizeId(f.principalId)) : undefined);
    if (identityNode) {
      markNode(identityNode, f);
      attached = true;
    }
    if (!attached && f.clusterId) {
      for (const n of nodesByEntity.get(normalizeId(f.clusterId)) ?? []) {
        if (n.kind !== "cluster") continue;
        markNode(n, f);
        attached = true;
      }
    }
    if (attached) {
      out[f.id] = { id: f.id, ruleId: f.ruleId, severity: f.severity, title: f.title };
      if (f.roleName) out[f.id]!.roleName = f.roleName;
      if (f.scope) out[f.id]!.scope = f.scope;
    }
  }
  return out;
}
