import type { SourceError } from "@/lib/model/types";

/**
 * What a scan reports while it runs (ScanConfig.onProgress), and how it is cancelled
 * (ScanConfig.signal). The scan only emits events; turning them into a progress display,
 * storing them or drawing a bar is the caller's business.
 */

/** The steps of a scan, in order; "resource-graph" falls back to "subscriptions" when ARG refuses. */
export const ScanPhase = {
  Listing: "listing",
  ResourceGraph: "resource-graph",
  Subscriptions: "subscriptions",
  Clusters: "clusters",
} as const;
export type ScanPhase = (typeof ScanPhase)[keyof typeof ScanPhase];

export type ScanProgressEvent =
  | { kind: "phase"; phase: ScanPhase }
  /** The subscriptions the scan will read, once listed and selected. */
  | { kind: "subscriptions"; total: number }
  /** One subscription's ARM reads are done (per-subscription path). */
  | { kind: "subscription-read"; subscriptionId: string; failed: boolean }
  /** One Resource Graph page arrived; `pages` is known from the first page's totalRecords. */
  | { kind: "resource-graph-page"; query: string; page: number; pages?: number }
  /** Federated credential lists, one per user-assigned identity. */
  | { kind: "federated-credentials"; done: number; total: number }
  | { kind: "clusters"; total: number }
  /** One Kubernetes kind of a cluster was listed (all its pages). */
  | { kind: "cluster-kind"; clusterId: string; plural: string; items: number }
  | { kind: "cluster-read"; clusterId: string; failed: boolean }
  /** Microsoft Graph getByIds batches (1,000 principals each). */
  | { kind: "graph-batch"; batch: number; batches: number }
  | { kind: "error"; error: SourceError };

export type ScanProgressSink = (event: ScanProgressEvent) => void;

/** The scan was cancelled (ScanConfig.signal aborted): what it had read is discarded. */
export class ScanCancelledError extends Error {
  constructor(message = "the scan was cancelled") {
    super(message);
    this.name = "ScanCancelledError";
  }
}

/** Throws the ScanCancelledError a cancelled scan ends with. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (!signal?.aborted) return;
  throw signal.reason instanceof ScanCancelledError ? signal.reason : new ScanCancelledError();
}

/** A sink that never throws into the scan: a failing progress display must not fail a scan. */
export function progressReporter(sink: ScanProgressSink | undefined): ScanProgressSink {
  if (!sink) return () => undefined;
  return (event) => {
    try {
      sink(event);
    } catch (err) {
      console.error("scan progress sink failed", err);
    }
  };
}

/**
 * The scan's error list. Readers push to it from many places; each error is also reported as
 * an event when it is recorded, so a running scan's errors are visible before it ends.
 */
export function reportingErrorList(report: ScanProgressSink): SourceError[] {
  const errors: SourceError[] = [];
  Object.defineProperty(errors, "push", {
    enumerable: false,
    value: (...items: SourceError[]) => {
      for (const error of items) report({ kind: "error", error });
      return Array.prototype.push.apply(errors, items);
    },
  });
  return errors;
}

/**
 * Races `work` against cancellation, so a request that never answers (a hung API server)
 * does not keep a cancelled scan running until its deadline.
 */
export async function untilCancelled<T>(signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
  if (!signal) return work();
  throwIfCancelled(signal);
  let onAbort: (() => void) | undefined;
  const cancelled = new Promise<never>((_, reject) => {
    onAbort = () => reject(signal.reason instanceof ScanCancelledError ? signal.reason : new ScanCancelledError());
    signal.addEventListener("abort", onAbort, { once: true });
  });
  try {
    return await Promise.race([work(), cancelled]);
  } finally {
    if (onAbort) signal.removeEventListener("abort", onAbort);
  }
}
