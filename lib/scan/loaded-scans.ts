import "server-only";
import type { FindingComparison } from "@/lib/model/comparison";
import type { Finding } from "@/lib/model/findings";
import type { Inventory } from "@/lib/model/types";
import type { Store } from "@/lib/store/db";
import { compareScanWith, defaultBaseline, readFindings, type ScanComparison } from "@/lib/store/scan-comparison";
import { readSnapshot, type ScanSummary } from "@/lib/store/scans";
import type { RecordedScan } from "./jobs";
import { decodeSnapshot } from "./snapshot";

/**
 * Recorded scans as pages use them, kept in memory for the few most recently shown: the
 * inventory (from the job that just ran, or rebuilt from the scan's snapshot after a restart or
 * on another replica), the findings as recorded, and the comparison with the scope's previous
 * complete scan. A scan never changes once recorded, so an entry never goes stale.
 */
export interface LoadedScan {
  scanId: number;
  summary: ScanSummary;
  inventory: Inventory;
  findings: Finding[];
  /** New / unchanged / resolved / unknown against the scope's previous complete scan. */
  comparison: ScanComparison;
  /** Each finding's comparison, with why when unknown. */
  findingComparisons: Map<string, FindingComparison>;
}

/** The scan's snapshot is gone (retention keeps only the newest few and the newest complete one). */
export class ScanNotKeptError extends Error {
  constructor(scanId: number) {
    super(`scan ${scanId} is in the history, but what it read is no longer kept (only the newest scans keep it)`);
    this.name = "ScanNotKeptError";
  }
}

interface Cache {
  loaded: Map<number, Promise<LoadedScan>>;
  fresh: Map<number, Pick<RecordedScan, "inventory" | "findings">>;
}

const KEPT = 8;
const cache: Cache = ((globalThis as { __scopewiseLoadedScans?: Cache }).__scopewiseLoadedScans ??= { loaded: new Map(), fresh: new Map() });

function keepNewest<K, V>(map: Map<K, V>, key: K, value: V): void {
  map.delete(key);
  map.set(key, value);
  while (map.size > KEPT) map.delete(map.keys().next().value as K);
}

/** Keeps a scan the job just recorded, so its first page view needs no snapshot decoding. */
export function rememberScan(scan: RecordedScan): void {
  keepNewest(cache.fresh, scan.scanId, { inventory: scan.inventory, findings: scan.findings });
}

export function loadScan(store: Store, summary: ScanSummary): Promise<LoadedScan> {
  const hit = cache.loaded.get(summary.id);
  if (hit) {
    keepNewest(cache.loaded, summary.id, hit);
    return hit;
  }
  const loading = (async (): Promise<LoadedScan> => {
    const fresh = cache.fresh.get(summary.id);
    let inventory = fresh?.inventory;
    if (!inventory) {
      const snapshot = await readSnapshot(store, summary.id);
      if (!snapshot) throw new ScanNotKeptError(summary.id);
      inventory = await decodeSnapshot(snapshot);
    }
    const findings = fresh?.findings ?? (await readFindings(store, summary.id));
    const baseline = await defaultBaseline(store, summary.id);
    const { findings: findingComparisons, ...comparison } = await compareScanWith(store, summary.id, baseline?.id);
    return { scanId: summary.id, summary, inventory, findings, comparison, findingComparisons };
  })();
  keepNewest(cache.loaded, summary.id, loading);
  loading.catch(() => {
    if (cache.loaded.get(summary.id) === loading) cache.loaded.delete(summary.id);
  });
  return loading;
}
