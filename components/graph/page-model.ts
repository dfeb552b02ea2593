import type { InventoryIndex } from "@/lib/inventory/indexes";
import type { Finding } from "@/lib/model/findings";
import { normalizeId } from "@/lib/model/scope";
import type { Inventory } from "@/lib/model/types";
import { buildGraph } from "@/lib/graph/build";
import { defaultCollapsed } from "@/lib/graph/collapse";
import type { Graph } from "@/lib/graph/types";
import { selectNodes, selectView, type GraphViewSpec } from "@/lib/graph/view";
import { buildGraphQuestion, type GraphQuestionView } from "./question";
import type { GraphQuery } from "./links";

interface Option {
  value: string;
  label: string;
}

export interface GraphPageModel {
  options: { clusters: Option[]; identities: Option[]; subscriptions: Option[] };
  /** The query as drawn (the cluster filled in when the link named none). */
  query: GraphQuery;
  notices: string[];
  spec: GraphViewSpec;
  view: Graph;
  title: string;
  /** Over-broad edges in the view. */
  flagged: number;
  exportName: string;
  initialCollapsed: string[];
  question?: GraphQuestionView;
  /** The identity view names an identity the graph does not hold. */
  missingIdentity: boolean;
  /** The node whose details open with the page, when it is in the view. */
  selected?: string;
}

/**
 * Everything the graph page draws, from the inventory, the findings and the URL: the view (or
 * the answer to the question in the URL, as a subgraph), its title, what the link got wrong.
 */
export function buildGraphPageModel(inventory: Inventory, findings: Finding[], index: InventoryIndex, query: GraphQuery, queryErrors: string[]): GraphPageModel {
  const clusters = [...inventory.clusters].sort((a, b) => a.name.localeCompare(b.name));
  const full = buildGraph(inventory, findings, { index });
  const options = {
    clusters: clusters.map((c) => ({ value: c.id, label: c.name })),
    identities: full.nodes
      .filter((n) => n.kind === "identity")
      .map((n) => ({ value: n.entityId, label: `${n.label} (${n.sublabel ?? ""})` }))
      .sort((a, b) => a.label.localeCompare(b.label)),
    subscriptions: inventory.subscriptions.map((s) => ({ value: s.subscriptionId.toLowerCase(), label: s.displayName })).sort((a, b) => a.label.localeCompare(b.label)),
  };

  const cluster = clusters.find((c) => normalizeId(c.id) === normalizeId(query.cluster)) ?? clusters[0];
  const notices = [...queryErrors];
  if (query.cluster && cluster && normalizeId(cluster.id) !== normalizeId(query.cluster)) notices.push("The cluster in the link was not found; showing the first cluster.");
  const spec: GraphViewSpec =
    query.view === "identity" ? { view: "identity", identityKey: query.identity } : query.view === "tenant" || !cluster ? { view: "tenant" } : { view: "cluster", clusterId: cluster.id };
  const effective = { ...query, cluster: cluster?.id ?? "" };
  const identityNode = spec.view === "identity" ? full.nodes.find((n) => n.kind === "identity" && normalizeId(n.entityId) === normalizeId(spec.identityKey)) : undefined;

  const byId = new Map(full.nodes.map((n) => [n.id, n]));
  if (query.from && !byId.has(query.from)) notices.push(`The start of the path (${query.from}) is not in the graph; showing who can reach the target instead.`);
  const question = buildGraphQuestion(full, index, { to: query.to, from: byId.has(query.from) ? query.from : "" });
  const view = question ? selectNodes(full, question.nodeIds) : selectView(full, spec, { subscriptionId: query.subscription || undefined, overBroadOnly: query.overBroad });

  let selected: string | undefined;
  if (query.select) {
    if (view.nodes.some((n) => n.id === query.select)) selected = query.select;
    else notices.push(`The selected node (${query.select}) is not in this view.`);
  }

  const subject = question
    ? question.kind === "path"
      ? `The paths from ${question.from?.label ?? "?"} to ${question.target.label}, drawn`
      : `Who can reach ${question.target.label}, drawn`
    : spec.view === "cluster"
      ? `Cluster ${cluster?.name ?? ""}`
      : spec.view === "identity"
        ? `Identity ${identityNode?.label ?? query.identity}`
        : "Whole tenant";
  const stem = question ? `reach-${question.target.label}` : spec.view === "cluster" ? (cluster?.name ?? "cluster") : spec.view === "identity" ? (identityNode?.label ?? "identity") : "tenant";

  return {
    options,
    query: effective,
    notices,
    spec,
    view,
    title: subject,
    flagged: view.edges.filter((e) => e.severity).length,
    exportName: `scopewise-graph-${stem}`.replace(/[^A-Za-z0-9._-]/g, "_"),
    initialCollapsed: query.expandAll || question ? [] : [...defaultCollapsed(view, { tenant: spec.view === "tenant" })],
    question,
    missingIdentity: !question && spec.view === "identity" && !identityNode,
    selected,
  };
}
