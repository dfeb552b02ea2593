import ELK from "elkjs/lib/elk.bundled.js";
import { layoutGraph, type GraphLayout } from "@/lib/graph/layout";
import type { Graph } from "@/lib/graph/types";

export interface NodeLayoutResult {
  /** Median wall time of `runs` layouts, ms. */
  medianMs: number;
  runsMs: number[];
  layout: GraphLayout;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/**
 * `layoutGraph` with elkjs in this process, the engine the web worker runs (elk.bundled:
 * ELK compiled to JS, synchronous inside `layout`). A fresh ELK instance per run, so no run
 * profits from another's warm state beyond the JIT's.
 */
export async function measureNodeLayout(graph: Pick<Graph, "nodes" | "edges">, runs = 3): Promise<NodeLayoutResult> {
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`graph bench: runs must be a whole number ≥ 1, got ${runs}`);
  const runsMs: number[] = [];
  let layout: GraphLayout | undefined;
  for (let i = 0; i < runs; i++) {
    const elk = new ELK();
    const started = performance.now();
    layout = await layoutGraph(graph, elk);
    runsMs.push(performance.now() - started);
  }
  const placed = Object.keys(layout!.positions).length;
  if (placed !== graph.nodes.length) throw new Error(`graph bench: ELK placed ${placed} of ${graph.nodes.length} nodes`);
  return { medianMs: median(runsMs), runsMs, layout: layout! };
}
