import "server-only";
import type { FindingComparison } from "@/lib/model/comparison";
import type { Finding } from "@/lib/model/findings";
import type { ScanComparison } from "@/lib/store/scan-comparison";
import { getShownScan, type InventoryResult, type Viewer } from "./load";

export interface CurrentScan extends InventoryResult {
  /** The findings the scan recorded (its rules ran once, when it was made). */
  findings: Finding[];
  /** The scan's row in the history. */
  scanId: number;
  /** New / unchanged / resolved / unknown against the scope's previous complete scan. */
  comparison: ScanComparison;
  /** Each finding's comparison, with why when unknown. */
  findingComparisons: Map<string, FindingComparison>;
}

/**
 * The scan `viewer` is shown, with its findings and their comparison (default: the current
 * request's viewer and their chosen scan). Never waits for a running scan; throws what
 * getShownScan throws (ScanPendingError, InventoryUnavailableError, SignInRequiredError).
 */
export async function getCurrentScan(viewer?: Viewer): Promise<CurrentScan> {
  const { scan, result } = await getShownScan(viewer);
  return { ...result, findings: scan.findings, scanId: scan.scanId, comparison: scan.comparison, findingComparisons: scan.findingComparisons };
}
