"use client";

import { useRouter } from "next/navigation";
import { useEffect, useRef, useState, useTransition } from "react";
import { CancelScanButton } from "@/components/scans/cancel-scan-button";
import { ScanProgress } from "@/components/scans/scan-progress";
import { useScanJob } from "@/components/scans/use-scan-job";
import { postWithCsrf } from "@/components/wizard/post-json";
import type { JobView } from "@/lib/scan/job-view";

function outcome(job: JobView): { text: string; tone?: "error" } {
  switch (job.state) {
    case "succeeded":
      return { text: "Rescanned" };
    case "partial":
      return { text: `Rescan partial: ${job.errors.length} ${job.errors.length === 1 ? "read" : "reads"} failed; the last complete scan is still shown`, tone: "error" };
    case "cancelled":
      return { text: "Rescan cancelled" };
    default:
      return { text: `Rescan failed: ${job.error ?? "nothing could be read"}`, tone: "error" };
  }
}

/**
 * The top bar's scan controls: Rescan starts a job (POST /api/scans) or joins the running one,
 * its progress is polled while it runs, Cancel stops it, and the page re-renders when it ends.
 */
export function ScanControls({ running }: { running?: JobView }) {
  const router = useRouter();
  const [jobId, setJobId] = useState<string | undefined>(running?.id);
  const [startError, setStartError] = useState<string>();
  const [starting, setStarting] = useState(false);
  const [refreshing, startTransition] = useTransition();
  const { data: job } = useScanJob(jobId, running);
  const [finished, setFinished] = useState<JobView>();
  const seenRunning = useRef(running?.state === "running");
  const isRunning = job?.state === "running";

  useEffect(() => {
    if (!job) return;
    if (job.state === "running") {
      seenRunning.current = true;
      return;
    }
    if (seenRunning.current) {
      seenRunning.current = false;
      setFinished(job);
      startTransition(() => router.refresh());
    }
  }, [job, router]);

  // A scan someone else (or the schedule) started shows up on the next render: follow it.
  const runningId = running?.id;
  useEffect(() => {
    if (runningId && !seenRunning.current) {
      seenRunning.current = true;
      setJobId(runningId);
    }
  }, [runningId]);

  async function rescan() {
    setStarting(true);
    setStartError(undefined);
    setFinished(undefined);
    try {
      const { jobId: id } = await postWithCsrf<{ jobId: string }>("/api/scans", {});
      seenRunning.current = true;
      setJobId(id);
    } catch (err) {
      setStartError((err as Error).message);
    } finally {
      setStarting(false);
    }
  }

  const status = startError ? { text: `Rescan failed: ${startError}`, tone: "error" as const } : finished ? outcome(finished) : undefined;
  return (
    <>
      <span className="inline-status" role="status" aria-live="polite" data-tone={status?.tone}>
        {isRunning && job ? <ScanProgress job={job} compact /> : (status?.text ?? "")}
      </span>
      {isRunning && job ? (
        <CancelScanButton key={job.id} jobId={job.id} />
      ) : (
        <button type="button" className="button button-small" onClick={rescan} disabled={starting || refreshing} aria-busy={starting || refreshing}>
          {starting ? "Starting…" : "Rescan"}
        </button>
      )}
    </>
  );
}
