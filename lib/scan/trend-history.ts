import "server-only";
import type { Viewer } from "@/lib/auth/viewer";
import { serverEnv } from "@/lib/env";
import { ScanState } from "@/lib/model/coverage";
import { readFindingMarks } from "@/lib/store/scan-comparison";
import { DEFAULT_SCANS_KEPT, listScans } from "@/lib/store/scans";
import { scanScopeOf } from "./scope";
import { jobsStore } from "./server-jobs";
import { buildTrends, type Trends, type TrendScan } from "./trends";

/**
 * Trends depend only on which scans a scope has (recorded scans never change), so they are kept
 * per scope and list of scan ids: the overview reads every kept scan's findings once per new scan,
 * not on every load.
 */
const cache: Map<string, { ids: string; trends: Trends }> = ((globalThis as { __scopewiseTrends?: Map<string, { ids: string; trends: Trends }> }).__scopewiseTrends ??= new Map());
const SCOPES_CACHED = 20;

/** Trends of `viewer`'s scope over the scan history the store keeps (failed and cancelled scans have no findings and are left out). */
export async function getTrends(viewer: Viewer): Promise<Trends> {
  const scope = scanScopeOf(serverEnv(), viewer);
  const store = await jobsStore();
  const scans = (await listScans(store, DEFAULT_SCANS_KEPT, { scopeKey: scope.key })).filter((s) => s.state === ScanState.Succeeded || s.state === ScanState.Partial);
  const ids = `${store.location}|${scans.map((s) => s.id).join(",")}`;
  const hit = cache.get(scope.key);
  if (hit?.ids === ids) return hit.trends;
  const history: TrendScan[] = await Promise.all(
    scans.map(async (s) => ({
      id: s.id,
      scannedAt: s.scannedAt,
      state: s.state as TrendScan["state"],
      ...(s.coverage ? { coverage: s.coverage } : {}),
      findings: await readFindingMarks(store, s.id),
    })),
  );
  const trends = buildTrends(history);
  cache.delete(scope.key);
  cache.set(scope.key, { ids, trends });
  if (cache.size > SCOPES_CACHED) cache.delete(cache.keys().next().value!);
  return trends;
}
