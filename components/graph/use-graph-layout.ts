"use client";

import { useEffect, useRef, useState } from "react";
import type { GraphLayout } from "@/lib/graph/layout";
import type { Graph } from "@/lib/graph/types";

type LayoutReply = { requestId: number; ok: true; layout: GraphLayout; ms: number } | { requestId: number; ok: false; message: string };

export interface LayoutState {
  layout?: GraphLayout;
  pending: boolean;
  error?: string;
  /** Wall time of the last layout, in ms (also recorded as the performance measure "graph-layout"). */
  ms?: number;
}

/**
 * Lays the graph out in a web worker (ELK on thousands of nodes takes long enough to freeze
 * a tab). Only ids and kinds travel to the worker; stale replies are ignored.
 */
export function useGraphLayout(graph: Pick<Graph, "nodes" | "edges">): LayoutState {
  const worker = useRef<Worker | null>(null);
  const seq = useRef(0);
  const [state, setState] = useState<LayoutState>({ pending: true });

  useEffect(() => {
    const w = new Worker(new URL("./layout.worker.ts", import.meta.url), { type: "module" });
    worker.current = w;
    w.onmessage = (event: MessageEvent<LayoutReply>) => {
      const reply = event.data;
      if (reply.requestId !== seq.current) return;
      performance.mark(`graph-layout-end-${reply.requestId}`);
      try {
        performance.measure("graph-layout", `graph-layout-start-${reply.requestId}`, `graph-layout-end-${reply.requestId}`);
      } catch {
        // The start mark is missing only if marks were cleared meanwhile; the timing is optional.
      }
      if (reply.ok) setState({ layout: reply.layout, pending: false, ms: reply.ms });
      else setState((s) => ({ ...s, pending: false, error: `The layout failed: ${reply.message}` }));
    };
    w.onerror = (event) => setState((s) => ({ ...s, pending: false, error: `The layout worker stopped: ${event.message || "unknown error"}` }));
    return () => {
      w.terminate();
      worker.current = null;
    };
  }, []);

  useEffect(() => {
    const w = worker.current;
    if (!w) return;
    const requestId = ++seq.current;
    setState((s) => ({ ...s, pending: true, error: undefined }));
    performance.mark(`graph-layout-start-${requestId}`);
    const slim = {
      nodes: graph.nodes.map((n) => ({ id: n.id, kind: n.kind, label: "", entityId: "", facts: [], findingIds: [] })),
      edges: graph.edges.map((e) => ({ id: e.id, kind: e.kind, source: e.source, target: e.target, refs: [], findingIds: [] })),
    };
    w.postMessage({ requestId, graph: slim });
  }, [graph]);

  return state;
}
