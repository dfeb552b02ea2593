"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState } from "react";
import type { JobView } from "@/lib/scan/job-view";
import { CancelScanButton } from "./cancel-scan-button";
import { ScanProgress } from "./scan-progress";
import { useScanJob } from "./use-scan-job";

/**
 * The first scan of a scope, live: pages show this instead of skeletons until a scan has
 * completed, then render the scan.
 */
export function PendingScan({ job: initial }: { job: JobView }) {
  const router = useRouter();
  const { data: job = initial, error } = useScanJob(initial.id, initial);
  const [refreshed, setRefreshed] = useState(false);
  const ended = job.state !== "running";
  useEffect(() => {
    if (ended && !refreshed) {
      setRefreshed(true);
      router.refresh();
    }
  }, [ended, refreshed, router]);
  return (
    <section className="callout callout-info" aria-labelledby="pending-scan-title">
      <h2 id="pending-scan-title">{ended ? `The first scan ${job.state}` : "Scanning the tenant for the first time"}</h2>
      <div role="status" aria-live="polite">
        {ended ? (job.error ? <p>{job.error}</p> : <p>Loading the scan…</p>) : <ScanProgress job={job} />}
      </div>
      {error ? <p className="muted">Progress could not be read: {error.message}</p> : null}
      <p className="muted">Nothing is shown until a scan completes: what has not been read yet is unknown, not empty.</p>
      {ended ? null : <CancelScanButton jobId={job.id} />}
    </section>
  );
}
