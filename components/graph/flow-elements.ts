import { MarkerType, type Edge } from "@xyflow/react";
import { EDGE_KINDS, GROUPING_NODE_KINDS, NODE_KINDS } from "@/lib/model/graph-schema";
import { NODE_HEIGHT, NODE_WIDTH, type GraphLayout } from "@/lib/graph/layout";
import type { Graph, GraphNode } from "@/lib/graph/types";
import { edgeText } from "./export-svg";
import type { FlowNode } from "./graph-node";
import { edgeColor } from "./style";

/** The answer to a graph question: what to draw emphasised. */
export interface Highlight {
  nodeIds: string[];
  edgeIds: string[];
  /** The target scope's node (or the nearest scope above it in the graph). */
  targetId?: string;
}

export function ariaLabelOf(n: GraphNode): string {
  const sev = n.severity ? `, ${n.severity} severity finding` : "";
  const hidden = n.collapsed ? `, collapsed, ${n.counts?.hidden ?? 0} hidden` : "";
  return `${NODE_KINDS[n.kind].label} ${n.label}${n.sublabel ? ` (${n.sublabel})` : ""}${sev}${hidden}`;
}

export function buildFlowNodes(
  visible: Graph,
  layout: GraphLayout | undefined,
  o: { parents: ReadonlySet<string>; toggle: (id: string) => void; selectedId: string | null; highlight?: Highlight },
): FlowNode[] {
  const on = new Set(o.highlight?.nodeIds ?? []);
  return visible.nodes.map((n) => ({
    id: n.id,
    type: "scopewise" as const,
    position: layout?.positions[n.id] ?? { x: 0, y: 0 },
    width: NODE_WIDTH,
    height: NODE_HEIGHT,
    data: {
      node: n,
      canToggle: GROUPING_NODE_KINDS.has(n.kind) && o.parents.has(n.id),
      onToggle: o.toggle,
      highlight: n.id === o.highlight?.targetId ? "target" : on.has(n.id) ? "on-path" : undefined,
    },
    selected: n.id === o.selectedId,
    draggable: false,
    connectable: false,
    ariaLabel: ariaLabelOf(n),
    domAttributes: { "data-kind": n.kind } as FlowNode["domAttributes"],
  }));
}

export function buildFlowEdges(visible: Graph, o: { byId: ReadonlyMap<string, GraphNode>; selectedId: string | null; highlight?: Highlight; showLabels: boolean }): Edge[] {
  const answer = o.highlight ? new Set(o.highlight.edgeIds) : undefined;
  return visible.edges.map((e) => {
    const color = edgeColor(e.severity);
    const showLabel = o.showLabels && (e.kind === "holds-role" || e.kind === "uses-identity" || e.kind === "escalates-to" || !!e.severity || !!e.broken);
    const inAnswer = answer?.has(e.id) ?? false;
    const highlighted = inAnswer || (o.selectedId !== null && (e.source === o.selectedId || e.target === o.selectedId));
    const dimmed = (o.selectedId !== null || !!answer) && !highlighted;
    return {
      id: e.id,
      source: e.source,
      target: e.target,
      label: showLabel ? edgeText(e) : undefined,
      labelStyle: { fill: e.severity ? color : "var(--graph-edge-text)", fontSize: 11, fontWeight: e.severity ? 700 : 500 },
      labelBgStyle: { fill: "var(--surface)", fillOpacity: 0.92 },
      labelBgPadding: [4, 2] as [number, number],
      style: {
        stroke: color,
        strokeWidth: e.severity ? 2.5 : highlighted ? 2 : 1.25,
        strokeDasharray: e.broken ? "6 4" : undefined,
        opacity: dimmed ? 0.35 : 1,
      },
      markerEnd: { type: MarkerType.ArrowClosed, color, width: 16, height: 16 },
      ariaLabel: `${o.byId.get(e.source)?.label ?? "?"} ${EDGE_KINDS[e.kind].label} ${o.byId.get(e.target)?.label ?? "?"}${e.label ? `: ${e.label}` : ""}${e.severity ? `, ${e.severity}` : ""}`,
      domAttributes: { "data-kind": e.kind, ...(e.severity ? { "data-severity": e.severity } : {}), ...(inAnswer ? { "data-answer": "" } : {}) } as Edge["domAttributes"],
      focusable: false,
      selectable: false,
    } satisfies Edge;
  });
}
