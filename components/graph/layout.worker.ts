/// <reference lib="webworker" />
import ELK from "elkjs/lib/elk.bundled.js";
import { layoutGraph } from "@/lib/graph/layout";
import type { Graph } from "@/lib/graph/types";

export interface LayoutRequest {
  requestId: number;
  graph: Pick<Graph, "nodes" | "edges">;
}

// elk.bundled runs ELK synchronously inside this worker, so the page's main thread stays free.
const elk = new ELK();

self.onmessage = async (event: MessageEvent<LayoutRequest>) => {
  const { requestId, graph } = event.data;
  const started = performance.now();
  try {
    const layout = await layoutGraph(graph, elk);
    self.postMessage({ requestId, ok: true, layout, ms: performance.now() - started });
  } catch (err) {
    self.postMessage({ requestId, ok: false, message: err instanceof Error ? err.message : String(err) });
  }
};
