import "server-only";
import type { Viewer } from "@/lib/auth/viewer";
import { serverEnv } from "@/lib/env";
import { ScanState } from "@/lib/model/coverage";
import { readFindingMarks } from "@/lib/store/scan-comparison";
import { DEFAULT_SCANS_KEPT, listScans } from "@/lib/store/scans";
import { scanScopeOf } from "./scope";
import { jobsStore } from "./server-jobs";
import { buildTrends, type Trends, type TrendScan } from "./trends";

/** Trends of `viewer`'s scope over the scan history the store keeps (failed and cancelled scans have no findings and are left out). */
export async function getTrends(viewer: Viewer): Promise<Trends> {
  const scope = scanScopeOf(serverEnv(), viewer);
  const store = await jobsStore();
  const scans = (await listScans(store, DEFAULT_SCANS_KEPT, { scopeKey: scope.key })).filter((s) => s.state === ScanState.Succeeded || s.state === ScanState.Partial);
  const history: TrendScan[] = await Promise.all(
    scans.map(async (s) => ({
      id: s.id,
      scannedAt: s.scannedAt,
      state: s.state as TrendScan["state"],
      ...(s.coverage ? { coverage: s.coverage } : {}),
      findings: await readFindingMarks(store, s.id),
    })),
  );
  return buildTrends(history);
}
