import type { ScanPhase, ScanProgressEvent } from "@/lib/inventory/scan";

/**
 * A running scan's progress as people and the job API see it, built from the scan's events
 * (lib/inventory/scan/progress.ts) plus the job's own steps (rules, recording). Pure: the runner
 * applies events and stamps times; the record is stored with the job as JSON.
 */

export const JobPhase = { Queued: "queued", Evaluating: "evaluating", Recording: "recording", Done: "done" } as const;
export type ProgressPhase = ScanPhase | (typeof JobPhase)[keyof typeof JobPhase];

export interface Counter {
  done: number;
  total?: number;
  failed: number;
}

export interface ScanProgress {
  phase: ProgressPhase;
  startedAt: string;
  /** When the runner last wrote it (its heartbeat). */
  updatedAt: string;
  elapsedMs: number;
  /** Time left, estimated from the work done so far or the scope's last scan; absent until it can be told. */
  etaMs?: number;
  subscriptions: Counter;
  /** Resource Graph pages read, of those the first pages announced (sum over queries). */
  resourceGraph?: { pages: number; totalPages: number; queries: Record<string, { page: number; pages: number }> };
  federatedCredentials?: { done: number; total: number };
  clusters: Counter & { kinds: number };
  graph?: { done: number; total: number };
  errors: number;
  /** For people: "subscription 12 of 200", "cluster 3 of 50", "Resource Graph page 4 of 9". */
  summary: string;
}

export function newProgress(startedAt: string): ScanProgress {
  return {
    phase: JobPhase.Queued,
    startedAt,
    updatedAt: startedAt,
    elapsedMs: 0,
    subscriptions: { done: 0, failed: 0 },
    clusters: { done: 0, failed: 0, kinds: 0 },
    errors: 0,
    summary: "starting",
  };
}

/** Applies one scan event (mutates and returns `p`). */
export function applyProgressEvent(p: ScanProgress, e: ScanProgressEvent): ScanProgress {
  switch (e.kind) {
    case "phase":
      p.phase = e.phase;
      break;
    case "subscriptions":
      p.subscriptions.total = e.total;
      break;
    case "subscription-read":
      p.subscriptions.done++;
      if (e.failed) p.subscriptions.failed++;
      break;
    case "resource-graph-page": {
      const rg = (p.resourceGraph ??= { pages: 0, totalPages: 0, queries: {} });
      rg.queries[e.query] = { page: e.page, pages: Math.max(e.pages ?? e.page, e.page) };
      rg.pages = Object.values(rg.queries).reduce((n, q) => n + q.page, 0);
      rg.totalPages = Object.values(rg.queries).reduce((n, q) => n + q.pages, 0);
      break;
    }
    case "federated-credentials":
      p.federatedCredentials = { done: e.done, total: e.total };
      break;
    case "clusters":
      p.clusters.total = e.total;
      break;
    case "cluster-kind":
      p.clusters.kinds++;
      break;
    case "cluster-read":
      p.clusters.done++;
      if (e.failed) p.clusters.failed++;
      break;
    case "graph-batch":
      p.graph = { done: e.batch, total: e.batches };
      break;
    case "error":
      p.errors++;
      break;
  }
  return p;
}

const fraction = (done: number, total: number | undefined) => (total === undefined ? 0 : total === 0 ? 1 : Math.min(1, done / total));

/**
 * How much of the scan is done, 0..1: the ARM side (per-subscription reads, or Resource Graph
 * pages and federated credential lists) about 60%, clusters 30%, Graph 10%.
 */
export function completedFraction(p: ScanProgress): number {
  if (p.phase === JobPhase.Done) return 1;
  const azure = p.resourceGraph
    ? 0.3 * fraction(p.resourceGraph.pages, p.resourceGraph.totalPages) + 0.7 * fraction(p.federatedCredentials?.done ?? 0, p.federatedCredentials?.total)
    : fraction(p.subscriptions.done, p.subscriptions.total);
  const clustersStarted = p.phase === "clusters" || p.phase === JobPhase.Evaluating || p.phase === JobPhase.Recording;
  const clusters = clustersStarted ? fraction(p.clusters.done, p.clusters.total) : 0;
  const graph = clustersStarted ? (p.graph ? fraction(p.graph.done, p.graph.total) : 0) : 0;
  return Math.min(0.99, 0.6 * (clustersStarted ? 1 : azure) + 0.3 * clusters + 0.1 * graph);
}

function summaryOf(p: ScanProgress): string {
  switch (p.phase) {
    case JobPhase.Queued:
      return "starting";
    case "listing":
      return "listing subscriptions";
    case "resource-graph":
      if (p.federatedCredentials && p.federatedCredentials.total > 0) return `federated credentials of identity ${p.federatedCredentials.done} of ${p.federatedCredentials.total}`;
      return p.resourceGraph ? `Resource Graph page ${p.resourceGraph.pages} of ${p.resourceGraph.totalPages}` : "querying Resource Graph";
    case "subscriptions":
      return `subscription ${Math.min(p.subscriptions.done + 1, p.subscriptions.total ?? Infinity)} of ${p.subscriptions.total ?? "?"}`;
    case "clusters":
      return `cluster ${Math.min(p.clusters.done + 1, p.clusters.total ?? Infinity)} of ${p.clusters.total ?? "?"}`;
    case JobPhase.Evaluating:
      return "evaluating the rules";
    case JobPhase.Recording:
      return "recording the scan";
    case JobPhase.Done:
      return "done";
  }
}

/**
 * Stamps times, the summary and the ETA. Early on, the scope's previous scan duration is the
 * better guess; once a fifth of the work is done, the rate so far is.
 */
export function stampProgress(p: ScanProgress, now: number, previousDurationMs?: number): ScanProgress {
  p.updatedAt = new Date(now).toISOString();
  p.elapsedMs = Math.max(0, now - Date.parse(p.startedAt));
  p.summary = summaryOf(p);
  const f = completedFraction(p);
  let eta: number | undefined;
  if (f >= 0.2 || (f >= 0.05 && previousDurationMs === undefined)) eta = (p.elapsedMs * (1 - f)) / f;
  else if (previousDurationMs !== undefined) eta = Math.max(0, previousDurationMs - p.elapsedMs);
  if (p.phase === JobPhase.Done) eta = 0;
  if (eta === undefined) delete p.etaMs;
  else p.etaMs = Math.round(eta);
  return p;
}
