import { NODE_KINDS } from "@/lib/model/graph-schema";
import type { ElkExtendedEdge, ElkNode } from "elkjs/lib/elk-api";
import type { Graph } from "./types";

/** Every node is drawn at this size; labels are truncated to fit, so layout needs no text measuring. */
export const NODE_WIDTH = 232;
export const NODE_HEIGHT = 60;

/** The one method of elkjs the layout needs: an ELK instance (in-thread or in a worker) or a stand-in. */
export interface ElkLike {
  layout(graph: ElkNode): Promise<ElkNode>;
}

export interface LayoutPoint {
  x: number;
  y: number;
}

export interface GraphLayout {
  /** Top-left corner of each node. */
  positions: Record<string, LayoutPoint>;
  width: number;
  height: number;
}

/**
 * Layered (Sugiyama) layout, left to right, with the schema's column as ELK partition so
 * the reading order is fixed: clusters/namespaces → workloads → bindings and service
 * accounts → AzureIdentities and credentials → identities → scopes, widest scope first.
 */
export const ELK_OPTIONS: Readonly<Record<string, string>> = {
  "elk.algorithm": "layered",
  "elk.direction": "RIGHT",
  "elk.partitioning.activate": "true",
  "elk.layered.spacing.nodeNodeBetweenLayers": "90",
  "elk.spacing.nodeNode": "22",
  "elk.layered.nodePlacement.strategy": "BRANDES_KOEPF",
  "elk.layered.crossingMinimization.strategy": "LAYER_SWEEP",
  "elk.layered.considerModelOrder.strategy": "NODES_AND_EDGES",
  "elk.separateConnectedComponents": "false",
  "elk.edgeRouting": "POLYLINE",
};

export function toElkGraph(graph: Pick<Graph, "nodes" | "edges">): ElkNode {
  const present = new Set(graph.nodes.map((n) => n.id));
  const edges: ElkExtendedEdge[] = graph.edges
    .filter((e) => present.has(e.source) && present.has(e.target))
    .map((e) => ({ id: e.id, sources: [e.source], targets: [e.target] }));
  return {
    id: "root",
    layoutOptions: { ...ELK_OPTIONS },
    children: graph.nodes.map((n) => ({
      id: n.id,
      width: NODE_WIDTH,
      height: NODE_HEIGHT,
      layoutOptions: { "elk.partitioning.partition": String(NODE_KINDS[n.kind].column) },
    })),
    edges,
  };
}

export function fromElkGraph(laidOut: ElkNode): GraphLayout {
  const positions: Record<string, LayoutPoint> = {};
  for (const c of laidOut.children ?? []) positions[c.id] = { x: c.x ?? 0, y: c.y ?? 0 };
  return { positions, width: laidOut.width ?? 0, height: laidOut.height ?? 0 };
}

/** Lays the graph out with the given ELK engine; the benchmark and the web worker both call this. */
export async function layoutGraph(graph: Pick<Graph, "nodes" | "edges">, elk: ElkLike): Promise<GraphLayout> {
  if (graph.nodes.length === 0) return { positions: {}, width: 0, height: 0 };
  return fromElkGraph(await elk.layout(toElkGraph(graph)));
}
