import "server-only";
import type { Finding } from "@/lib/model/findings";
import type { Inventory } from "@/lib/model/types";
import { evaluateRules } from "@/lib/rules/evaluate";
import { StoreError, StorePart } from "@/lib/store/db";
import { compareWithPrevious, recordScan, type ScanComparison } from "@/lib/store/scans";
import { getInventory, type InventoryResult, type Viewer } from "./load";
import { serverStore } from "./store";

export interface CurrentScan extends InventoryResult {
  findings: Finding[];
  /** The scan's row in the history; undefined when the history could not be written. */
  scanId?: number;
  /** New / unchanged / resolved against the previous scan of the tenant; undefined without history. */
  comparison?: ScanComparison;
  /** Why there is no history (the store file is corrupt, locked, unwritable...). Findings are still complete. */
  historyError?: string;
}

interface ScanCache {
  byInventory: WeakMap<Inventory, Promise<CurrentScan>>;
}

// Keyed by the inventory object: load.ts keeps one per scan on globalThis, so the rules run
// once per scan however many pages and route bundles ask.
const cache: ScanCache = ((globalThis as { __scopewiseCurrentScan?: ScanCache }).__scopewiseCurrentScan ??= { byInventory: new WeakMap() });

/** Records the scan (once per inventory) and compares it with the previous one; never throws for history problems. */
async function recordHistory(result: InventoryResult, findings: Finding[]): Promise<Pick<CurrentScan, "scanId" | "comparison" | "historyError">> {
  try {
    const store = await serverStore(StorePart.ScanHistory);
    const { scanId } = await recordScan(store, {
      scannedAt: result.inventory.scannedAt,
      tenantId: result.inventory.tenantId,
      viewer: result.viewer,
      source: result.source,
      durationMs: result.durationMs,
      findings,
      errors: result.inventory.errors,
    });
    return { scanId, comparison: await compareWithPrevious(store, scanId) };
  } catch (err) {
    if (err instanceof StoreError) {
      console.error(err);
      return { historyError: err.message };
    }
    throw err;
  }
}

/** Builds the scan view for an inventory result; exported for tests that bypass getInventory. */
export async function buildCurrentScan(result: InventoryResult): Promise<CurrentScan> {
  const findings = evaluateRules(result.inventory);
  return { ...result, findings, ...(await recordHistory(result, findings)) };
}

/**
 * The latest inventory with its findings as `viewer` sees it (default: the current request's
 * viewer), evaluated once per scan and recorded in the scan history. Throws what getInventory
 * throws (InventoryUnavailableError when nothing could be read).
 */
export async function getCurrentScan(viewer?: Viewer): Promise<CurrentScan> {
  const result = await getInventory(viewer);
  let scan = cache.byInventory.get(result.inventory);
  if (!scan) {
    scan = buildCurrentScan(result);
    cache.byInventory.set(result.inventory, scan);
    scan.catch(() => cache.byInventory.delete(result.inventory));
  }
  return scan;
}
