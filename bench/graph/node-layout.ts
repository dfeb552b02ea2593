import { fork } from "node:child_process";
import path from "node:path";
import type { Graph } from "@/lib/graph/types";

export interface NodeLayoutResult {
  /** Median wall time of the runs, ms; null when a run hit the time limit. */
  medianMs: number | null;
  runsMs: number[];
  /** Why a run gave no time: over the limit, or the layout process died (ELK out of memory). */
  failed?: string;
}

export function median(values: readonly number[]): number {
  if (values.length === 0) throw new Error("median of no values");
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

type ChildReply = { ok: true; ms: number; placed: number } | { ok: false; message: string };

/** One layout in a fresh process (like a fresh page's worker: cold JIT); undefined on timeout. */
function layoutOnce(graph: Pick<Graph, "nodes" | "edges">, timeoutMs: number): Promise<number | string> {
  const child = fork(path.join(import.meta.dirname, "layout-child.ts"), [], { execArgv: ["--import", "tsx"], stdio: ["ignore", "inherit", "inherit", "ipc"] });
  return new Promise<number | string>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      resolve(`ELK in Node did not finish within ${Math.round(timeoutMs / 1000)} s`);
    }, timeoutMs);
    child.on("message", (reply: ChildReply) => {
      clearTimeout(timer);
      if (!reply.ok) reject(new Error(`graph bench: ELK failed: ${reply.message}`));
      else if (reply.placed !== graph.nodes.length) reject(new Error(`graph bench: ELK placed ${reply.placed} of ${graph.nodes.length} nodes`));
      else resolve(reply.ms);
    });
    child.on("exit", (code, signal) => {
      clearTimeout(timer);
      // A V8 heap exhaustion aborts the process (SIGABRT): a result, not a bench failure.
      if (signal !== "SIGKILL" && code !== 0) resolve(`ELK in Node failed: the layout process exited with ${code ?? signal} (out of memory, if SIGABRT)`);
    });
    // Only what the layout reads, as the page sends its worker.
    child.send({
      nodes: graph.nodes.map((n) => ({ id: n.id, kind: n.kind, label: "", entityId: "", facts: [], findingIds: [] })),
      edges: graph.edges.map((e) => ({ id: e.id, kind: e.kind, source: e.source, target: e.target, refs: [], findingIds: [] })),
    });
  });
}

/**
 * `layoutGraph` with elkjs in Node (elk.bundled, the engine the web worker runs), `runs`
 * times, each in its own process; the median is reported. A run longer than `timeoutMs`
 * is stopped and the remaining runs skipped: the size is reported as "over the limit".
 */
export async function measureNodeLayout(graph: Pick<Graph, "nodes" | "edges">, runs = 3, timeoutMs = 600_000): Promise<NodeLayoutResult> {
  if (!Number.isInteger(runs) || runs < 1) throw new Error(`graph bench: runs must be a whole number ≥ 1, got ${runs}`);
  const runsMs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const ms = await layoutOnce(graph, timeoutMs);
    if (typeof ms === "string") return { medianMs: null, runsMs, failed: ms };
    runsMs.push(ms);
  }
  return { medianMs: median(runsMs), runsMs };
}
