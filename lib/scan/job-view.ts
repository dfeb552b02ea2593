import type { ScanState } from "@/lib/model/coverage";
import type { SourceError } from "@/lib/model/types";
import type { JobTrigger, ScanJobRecord } from "@/lib/store/jobs";
import type { ScanProgress } from "./progress";

/** A scan job as the job API (GET /api/scans/jobs/<id>) and the dashboard show it. */
export interface JobView {
  id: string;
  state: ScanState;
  progress: ScanProgress;
  errors: SourceError[];
  trigger: JobTrigger;
  startedAt: string;
  finishedAt?: string;
  /** Why it failed or was cancelled. */
  error?: string;
  /** Its server stopped before it finished; it ended as failed. */
  interrupted: boolean;
  cancelRequested: boolean;
  /** The scan it recorded in the history (succeeded, partial, failed or cancelled). */
  scanId?: number;
}

/**
 * A job record for people: a running job's elapsed time and ETA are brought forward from its
 * last heartbeat to now, so a page polling every second sees the clock move.
 */
export function toJobView(job: ScanJobRecord, now = Date.now()): JobView {
  const progress = { ...(job.progress as ScanProgress) };
  if (job.state === "running" && progress.updatedAt) {
    const since = Math.max(0, now - Date.parse(progress.updatedAt));
    progress.elapsedMs = Math.max(0, now - Date.parse(progress.startedAt ?? job.createdAt));
    if (progress.etaMs !== undefined) progress.etaMs = Math.max(0, progress.etaMs - since);
  }
  const view: JobView = {
    id: job.id,
    state: job.state,
    progress,
    errors: job.errors,
    trigger: job.trigger,
    startedAt: job.createdAt,
    interrupted: job.interrupted,
    cancelRequested: job.cancelRequestedAt !== undefined,
  };
  if (job.finishedAt) view.finishedAt = job.finishedAt;
  if (job.error) view.error = job.error;
  if (job.scanId !== undefined) view.scanId = job.scanId;
  return view;
}
