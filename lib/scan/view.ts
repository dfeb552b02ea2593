import "server-only";
import type { Viewer } from "@/lib/auth/viewer";
import { serverEnv } from "@/lib/env";
import { hasFindings, ScanState, SourceState, type SourceCoverage } from "@/lib/model/coverage";
import { INTERRUPTED_MESSAGE, ScanJobs } from "@/lib/store/jobs";
import { latestScans, listScans, getScan, type ScanSummary } from "@/lib/store/scans";
import { toJobView, type JobView } from "./job-view";
import { loadScan, ScanNotKeptError, type LoadedScan } from "./loaded-scans";
import { scanScopeOf } from "./scope";
import { jobsStore, startScan } from "./server-jobs";

/**
 * What a person is shown: the last complete scan of their scope, never a running one and never
 * a partial or failed rescan in its place. Nothing here waits for a scan: before the first scan
 * completes the view is "pending" with the job's progress; a scan someone opens explicitly
 * (a partial one from the history) is shown as chosen.
 */

/** Rescans after the scan shown that did not complete: the view is stale since the first of them. */
export interface StaleNotice {
  /** When the first rescan after the scan shown started. */
  since: string;
  /** The newest of those rescans. */
  latest: { scanId: number; state: ScanState; startedAt: string; failure?: string; failedSources: SourceCoverage[] };
  /** The newest partial rescan, which a person may open explicitly. */
  partialScanId?: number;
}

export type ScanView =
  | {
      status: "ready";
      scan: LoadedScan;
      /** The person chose this scan (the history's "open"), instead of the last complete one. */
      chosen: boolean;
      /** No complete scan exists: the newest partial one is shown. */
      partialOnly: boolean;
      stale?: StaleNotice;
      /** A scan of the same scope running now. */
      running?: JobView;
    }
  | { status: "pending"; job: JobView }
  | { status: "unavailable"; message: string; running?: JobView };

function attemptTime(s: ScanSummary): string {
  return s.startedAt ?? s.scannedAt;
}

function failedSources(s: ScanSummary): SourceCoverage[] {
  return (s.coverage?.sources ?? []).filter((c) => c.state === SourceState.Failed);
}

async function staleNotice(scopeKey: string, shown: ScanSummary): Promise<StaleNotice | undefined> {
  const store = await jobsStore();
  const after = (await listScans(store, 50, { scopeKey })).filter((s) => s.id !== shown.id && attemptTime(s) > attemptTime(shown) && s.state !== ScanState.Cancelled);
  if (after.length === 0) return undefined;
  const latest = after[0]!;
  const first = after[after.length - 1]!;
  const partial = after.find((s) => s.state === ScanState.Partial);
  return {
    since: attemptTime(first),
    latest: { scanId: latest.id, state: latest.state, startedAt: attemptTime(latest), ...(latest.failure ? { failure: latest.failure } : {}), failedSources: failedSources(latest) },
    ...(partial ? { partialScanId: partial.id } : {}),
  };
}

/**
 * The view of `viewer`'s scope. `scanId` opens one recorded scan of the scope with findings
 * (another scope's scan, or one without findings, is refused with a message). Starts the first
 * scan when there is none, and resumes one a stopped server interrupted.
 */
export async function getScanView(viewer: Viewer, options: { scanId?: number } = {}): Promise<ScanView> {
  const env = serverEnv();
  const scope = scanScopeOf(env, viewer);
  const store = await jobsStore();
  const jobs = new ScanJobs(store);
  const [pointers, runningJob] = await Promise.all([latestScans(store, scope.key), jobs.running(scope.key)]);
  const running = runningJob ? toJobView(runningJob) : undefined;

  if (options.scanId !== undefined) {
    const chosen = await getScan(store, options.scanId);
    if (!chosen || chosen.scopeKey !== scope.key) return { status: "unavailable", message: `There is no scan ${options.scanId} of what you can see.`, running };
    if (!hasFindings(chosen.state)) return { status: "unavailable", message: `Scan ${chosen.id} ${chosen.state}: ${chosen.failure ?? "it read nothing to show"}.`, running };
    return { status: "ready", scan: await loadScan(store, chosen), chosen: true, partialOnly: false, running };
  }

  const shown = pointers.complete ?? pointers.withFindings;
  if (!shown) {
    if (running) return { status: "pending", job: running };
    const latest = pointers.latest;
    if (!latest || latest.failure === INTERRUPTED_MESSAGE) {
      const { jobId } = await startScan(viewer, { trigger: "first-use" });
      const job = await jobs.get(jobId);
      return { status: "pending", job: toJobView(job!) };
    }
    return { status: "unavailable", message: `The last scan (${attemptTime(latest)}) ${latest.state}: ${latest.failure ?? "nothing could be read"}`, running };
  }
  let scan: LoadedScan;
  try {
    scan = await loadScan(store, shown);
  } catch (err) {
    if (!(err instanceof ScanNotKeptError)) throw err;
    return { status: "unavailable", message: `${err.message}. Rescan to see the tenant again.`, running };
  }
  return {
    status: "ready",
    scan,
    chosen: false,
    partialOnly: shown.state !== ScanState.Succeeded,
    stale: shown.state === ScanState.Succeeded ? await staleNotice(scope.key, shown) : undefined,
    running,
  };
}
