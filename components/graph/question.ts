import type { InventoryIndex } from "@/lib/inventory/indexes";
import { EDGE_KINDS, NODE_KINDS } from "@/lib/model/graph-schema";
import type { Severity } from "@/lib/model/findings";
import { buildScopeCrumbs, type ScopeCrumb } from "@/lib/model/names";
import type { PathStep } from "@/lib/graph/paths";
import { pathsBetween, whoCanReach } from "@/lib/graph/questions";
import type { Graph, GraphNode } from "@/lib/graph/types";

/** A node as a question's answer names it: enough to label it and link to it. */
export interface NodeRef {
  nodeId: string;
  label: string;
  kind: string;
  sublabel?: string;
}

/** One row of "who can reach": pod (workload) → binding → identity → role @ scope. */
export interface ReachTableRow {
  key: string;
  /** What acts first: a workload (its pods), a cluster, or the identity itself when nothing acts as it. */
  actor?: NodeRef;
  /** Bindings, service accounts, credentials and taken-over identities between the actor and the holder. */
  through: (NodeRef & { how: string })[];
  identity: NodeRef;
  /** The edge into the holder, when there is an actor: "bound via", "AZURE_CLIENT_ID", "can take over"… */
  how?: string;
  role: string;
  severity?: Severity;
  scope: NodeRef;
  inherited: boolean;
}

export interface PathListItem {
  steps: (NodeRef & { how?: string; severity?: Severity; broken?: boolean })[];
  inherited: boolean;
}

/** What the graph page shows for a question: the answer as text (the table or the paths) and what to highlight. */
export interface GraphQuestionView {
  kind: "reach" | "path";
  target: { scopeId: string; label: string; crumbs: ScopeCrumb[] };
  from?: NodeRef;
  reach?: ReachTableRow[];
  paths?: PathListItem[];
  /** No path exists (path question), or nothing holds a role there (reach question). */
  empty: boolean;
  truncated: boolean;
  nodeIds: string[];
  edgeIds: string[];
  /** The target's own node, or the nearest scope above it the graph has. */
  targetNodeId?: string;
}

const howOf = (via: PathStep["via"]) => (via ? (via.kind === "holds-role" ? (via.label ?? "holds role") : EDGE_KINDS[via.kind].label) : "");

function refOf(byId: Map<string, GraphNode>, id: string): NodeRef {
  const n = byId.get(id);
  return { nodeId: id, label: n?.label ?? id, kind: n ? NODE_KINDS[n.kind].label : "Node", sublabel: n?.sublabel };
}

/**
 * Answers the question in the URL over the full graph: "who can reach `to`" or, with `from`,
 * "how does `from` reach `to`". Undefined when the URL asks nothing.
 */
export function buildGraphQuestion(full: Graph, index: InventoryIndex, q: { to: string; from: string }): GraphQuestionView | undefined {
  if (!q.to) return undefined;
  const byId = new Map(full.nodes.map((n) => [n.id, n]));
  const crumbs = buildScopeCrumbs(q.to, index);
  const target = { scopeId: q.to, label: crumbs.at(-1)?.label ?? q.to, crumbs };

  if (q.from) {
    const answer = pathsBetween(full, q.from, q.to, index);
    return {
      kind: "path",
      target,
      from: refOf(byId, q.from),
      paths: answer.paths.map((p) => ({
        inherited: p.inherited,
        steps: p.steps.map((s) => ({ ...refOf(byId, s.nodeId), how: s.via ? howOf(s.via) : undefined, severity: s.via?.severity, broken: s.via?.broken })),
      })),
      empty: answer.paths.length === 0,
      truncated: answer.truncated,
      nodeIds: answer.nodeIds,
      edgeIds: answer.edgeIds,
      targetNodeId: answer.target.chain.find((c) => c.nodeId)?.nodeId,
    };
  }

  const answer = whoCanReach(full, q.to, index);
  const reach = answer.rows.map((row, i): ReachTableRow => {
    const holder = row.path.at(-1)!;
    const actor = row.path.length > 1 ? refOf(byId, row.path[0]!.nodeId) : undefined;
    return {
      key: `${i}`,
      actor,
      through: row.path.slice(1, -1).map((s) => ({ ...refOf(byId, s.nodeId), how: howOf(s.via) })),
      identity: refOf(byId, holder.nodeId),
      how: actor ? howOf(holder.via) : undefined,
      role: row.grant.role.roleName,
      severity: row.grant.role.severity,
      scope: refOf(byId, row.grant.scopeNodeId),
      inherited: row.grant.inherited,
    };
  });
  return {
    kind: "reach",
    target,
    reach,
    empty: answer.grants.length === 0,
    truncated: answer.truncated,
    nodeIds: answer.nodeIds,
    edgeIds: answer.edgeIds,
    targetNodeId: answer.target.chain.find((c) => c.nodeId)?.nodeId,
  };
}
