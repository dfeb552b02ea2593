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
 * Layered (Sugiyama) layout, left to right: clusters/namespaces → workloads → bindings and
 * service accounts → AzureIdentities and credentials → identities → scopes, widest scope
 * first. The edges already point that way, so ELK's own layering gives the reading order.
 * (ELK partitions by column were tried and dropped: they made a 500-node layout ~5× slower
 * and a 2,000-node one run out of time — see bench/graph.ts.)
 */
export const ELK_OPTIONS: Readonly<Record<string, string>> = {
  "elk.algorithm": "layered",
  "elk.direction": "RIGHT",
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
    })),
    edges,
  };
}

export function fromElkGraph(laidOut: ElkNode): GraphLayout {
  const positions: Record<string, LayoutPoint> = {};
  for (const c of laidOut.children ?? []) positions[c.id] = { x: c.x ?? 0, y: c.y ?? 0 };
  return { positions, width: laidOut.width ?? 0, height: laidOut.height ?? 0 };
}

/**
 * Above this many nodes ELK's layered layout grows too slow for an interactive page (measured:
 * ~2 s at 500 nodes, ~45 s at 2,000 on this machine), so larger views use `columnLayout`.
 */
export const ELK_MAX_NODES = 400;

const COLUMN_GAP = 90;
const ROW_GAP = 22;
const SWEEPS = 4;

/**
 * A linear-time layered layout for large views: one column per node kind (the schema's
 * column), rows ordered by a few barycenter sweeps so connected nodes sit near each other.
 * No crossing minimisation beyond that, and edges are drawn straight by the canvas.
 */
export function columnLayout(graph: Pick<Graph, "nodes" | "edges">): GraphLayout {
  const columns = [...new Set(graph.nodes.map((n) => NODE_KINDS[n.kind].column))].sort((a, b) => a - b);
  const colIndex = new Map(columns.map((c, i) => [c, i]));
  const byColumn: string[][] = columns.map(() => []);
  const column = new Map<string, number>();
  for (const n of graph.nodes) {
    const c = colIndex.get(NODE_KINDS[n.kind].column)!;
    byColumn[c]!.push(n.id);
    column.set(n.id, c);
  }
  const neighbours = new Map<string, string[]>();
  for (const e of graph.edges) {
    if (!column.has(e.source) || !column.has(e.target) || e.source === e.target) continue;
    (neighbours.get(e.source) ?? neighbours.set(e.source, []).get(e.source)!).push(e.target);
    (neighbours.get(e.target) ?? neighbours.set(e.target, []).get(e.target)!).push(e.source);
  }
  // Position within a column as a fraction of its height, so columns of different sizes compare.
  const rank = new Map<string, number>();
  const rerank = (ids: string[]) => ids.forEach((id, i) => rank.set(id, ids.length > 1 ? i / (ids.length - 1) : 0.5));
  byColumn.forEach(rerank);
  const sweep = (order: number[]) => {
    for (const c of order) {
      const ids = byColumn[c]!;
      const centre = new Map<string, number>();
      for (const id of ids) {
        const ns = neighbours.get(id);
        centre.set(id, ns && ns.length > 0 ? ns.reduce((sum, x) => sum + rank.get(x)!, 0) / ns.length : rank.get(id)!);
      }
      ids.sort((a, b) => centre.get(a)! - centre.get(b)! || (a < b ? -1 : a > b ? 1 : 0));
      rerank(ids);
    }
  };
  const forward = byColumn.map((_, i) => i);
  for (let i = 0; i < SWEEPS; i++) sweep(i % 2 === 0 ? forward : [...forward].reverse());

  const positions: Record<string, LayoutPoint> = {};
  let height = 0;
  byColumn.forEach((ids, c) => {
    ids.forEach((id, row) => {
      positions[id] = { x: c * (NODE_WIDTH + COLUMN_GAP), y: row * (NODE_HEIGHT + ROW_GAP) };
    });
    height = Math.max(height, ids.length * (NODE_HEIGHT + ROW_GAP) - ROW_GAP);
  });
  return { positions, width: columns.length * (NODE_WIDTH + COLUMN_GAP) - COLUMN_GAP, height: Math.max(height, 0) };
}

/**
 * Lays the graph out: ELK's layered layout up to ELK_MAX_NODES, the linear column layout
 * beyond. The benchmark and the web worker both call this.
 */
export async function layoutGraph(graph: Pick<Graph, "nodes" | "edges">, elk: ElkLike): Promise<GraphLayout> {
  if (graph.nodes.length === 0) return { positions: {}, width: 0, height: 0 };
  if (graph.nodes.length > ELK_MAX_NODES) return columnLayout(graph);
  return fromElkGraph(await elk.layout(toElkGraph(graph)));
}
