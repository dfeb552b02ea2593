/**
 * One ELK layout in its own process (forked by node-layout.ts), so that a layout that runs
 * for minutes can be stopped: elk.bundled computes synchronously, nothing in-process can
 * interrupt it. Receives the graph's ids and kinds, replies with the wall time.
 */
import ELK from "elkjs/lib/elk.bundled.js";
import { layoutGraph } from "@/lib/graph/layout";
import type { Graph } from "@/lib/graph/types";

process.on("message", (graph: Pick<Graph, "nodes" | "edges">) => {
  const started = performance.now();
  layoutGraph(graph, new ELK()).then(
    (layout) => process.send!({ ok: true, ms: performance.now() - started, placed: Object.keys(layout.positions).length }, () => process.exit(0)),
    (err: unknown) => process.send!({ ok: false, message: err instanceof Error ? err.message : String(err) }, () => process.exit(1)),
  );
});
