import "server-only";
import { connection } from "next/server";
import { currentViewer, SignInRequiredError, type Viewer } from "@/lib/auth/viewer";
import { ConfigurationError, serverEnv } from "@/lib/env";
import type { Inventory } from "@/lib/model/types";
import { StoreError } from "@/lib/store/db";
import { getScan, type ScanSummary } from "@/lib/store/scans";
import type { JobView } from "./job-view";
import { cancelJobsOfSession, waitForJob } from "./jobs";
import { loadScan, type LoadedScan } from "./loaded-scans";
import { jobsStore, startScan } from "./server-jobs";
import { getScanView, type StaleNotice } from "./view";

export interface InventoryResult {
  inventory: Inventory;
  /** Wall time of the scan that produced it. */
  durationMs: number;
  /** Where it came from, for people: "demo emulator at https://localhost:PORT", "Azure as alice@contoso.com". */
  source: string;
  mode: "demo" | "azure";
  /** Whose rights the scan ran with: "server" or "user:<object id>" (scan history is kept per viewer). */
  viewer: string;
  /** The scan in the history, its state and coverage. */
  scan: ScanSummary;
  /** A person opened this scan explicitly instead of the last complete one. */
  chosen: boolean;
  /** No complete scan exists yet: this is the newest partial one. */
  partialOnly: boolean;
  /** Rescans after this scan that did not complete. */
  stale?: StaleNotice;
  /** A scan of the same scope running now. */
  running?: JobView;
}

/** The scan source is not configured or could not be read at all (partial failures are in inventory.errors). */
export class InventoryUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "InventoryUnavailableError";
  }
}

/** No scan has completed yet: the first one is running (its progress is in `job`). Pages show it instead of waiting. */
export class ScanPendingError extends Error {
  constructor(readonly job: JobView) {
    super(`the first scan is running (${job.progress.summary})`);
    this.name = "ScanPendingError";
  }
}

export { SignInRequiredError };
export type { Viewer };

/** The cookie a person's explicit choice of scan lives in (POST /api/scans/view); pages show that scan instead of the last complete one. */
export const CHOSEN_SCAN_COOKIE = "scopewise_scan";

async function chosenScanId(): Promise<number | undefined> {
  const { cookies } = await import("next/headers");
  const value = (await cookies()).get(CHOSEN_SCAN_COOKIE)?.value;
  return value && /^\d{1,15}$/.test(value) ? Number(value) : undefined;
}

function resultOf(scan: LoadedScan, extra: Pick<InventoryResult, "chosen" | "partialOnly" | "stale" | "running">): InventoryResult {
  return {
    inventory: scan.inventory,
    durationMs: scan.summary.durationMs,
    source: scan.summary.source,
    mode: serverEnv().SCOPEWISE_MODE,
    viewer: scan.summary.viewer,
    scan: scan.summary,
    ...extra,
  };
}

/** Turns configuration and store failures into the unavailable state pages and APIs report. */
async function unavailableOnFailure<T>(load: () => Promise<T>): Promise<T> {
  try {
    return await load();
  } catch (err) {
    if (err instanceof ConfigurationError || err instanceof StoreError) throw new InventoryUnavailableError(err.message, { cause: err });
    throw err;
  }
}

/**
 * Runs `read` as the current request's viewer, for pages that read the scan history: sign-in,
 * configuration and store failures surface as on every page (SignInRequiredError,
 * InventoryUnavailableError). Marks the calling route as dynamic.
 */
export async function asCurrentViewer<T>(read: (viewer: Viewer) => Promise<T>): Promise<T> {
  await connection();
  const viewer = await currentViewer();
  return unavailableOnFailure(() => read(viewer));
}

/**
 * The scan `viewer` is shown (default: the current request's viewer, who may have chosen a
 * scan), without waiting for any running scan. Throws ScanPendingError while the first scan
 * runs, InventoryUnavailableError when there is nothing to show, and SignInRequiredError when
 * sign-in is configured and the request has no session. Marks the calling route as dynamic.
 */
export async function getShownScan(viewer?: Viewer): Promise<{ scan: LoadedScan; result: InventoryResult }> {
  await connection();
  const v = viewer ?? (await currentViewer());
  const scanId = viewer ? undefined : await chosenScanId();
  const view = await unavailableOnFailure(() => getScanView(v, { scanId }));
  if (view.status === "pending") throw new ScanPendingError(view.job);
  if (view.status === "unavailable") throw new InventoryUnavailableError(view.message);
  return { scan: view.scan, result: resultOf(view.scan, { chosen: view.chosen, partialOnly: view.partialOnly, stale: view.stale, running: view.running }) };
}

/** The inventory `viewer` is shown (see getShownScan). */
export async function getInventory(viewer?: Viewer): Promise<InventoryResult> {
  return (await getShownScan(viewer)).result;
}

/**
 * Scans now as `viewer` and waits for that scan (verifying a change): a scan already running
 * started before the caller's change, so it is waited out and a new one started.
 */
export async function refreshInventory(viewer?: Viewer): Promise<InventoryResult> {
  const v = viewer ?? (await currentViewer());
  return unavailableOnFailure(async () => {
    const store = await jobsStore();
    for (let round = 0; round < 3; round++) {
      const { jobId, joined } = await startScan(v, { trigger: "verify" });
      const job = await waitForJob(store, jobId);
      if (joined) continue;
      const summary = job.scanId !== undefined ? await getScan(store, job.scanId) : undefined;
      if (!summary || summary.state === "failed" || summary.state === "cancelled") throw new InventoryUnavailableError(`The rescan ${job.state}: ${job.error ?? "nothing could be read"}`);
      return resultOf(await loadScan(store, summary), { chosen: false, partialOnly: summary.state !== "succeeded" });
    }
    throw new InventoryUnavailableError("other scans kept starting; try again");
  });
}

/** A session ended (sign-out): the scans it was running stop, their token is gone. */
export function forgetInventory(sessionId: string): void {
  cancelJobsOfSession(sessionId);
}
