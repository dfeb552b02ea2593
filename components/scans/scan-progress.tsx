"use client";

import { formatDuration } from "@/components/ui/format";
import type { JobView } from "@/lib/scan/job-view";
import { completedFraction } from "@/lib/scan/progress";
import "./scans.css";

/** "subscription 12 of 200 · cluster 3 of 50 · 1 min 4 s elapsed · about 40 s left": a running scan in words and a bar. */
export function ScanProgress({ job, compact = false }: { job: JobView; compact?: boolean }) {
  const p = job.progress;
  const percent = Math.round(completedFraction(p) * 100);
  const parts = [p.summary];
  if (!compact) {
    if (p.subscriptions.total !== undefined && !p.summary.startsWith("subscription")) parts.push(`${p.subscriptions.done} of ${p.subscriptions.total} subscriptions read`);
    if (p.clusters.total !== undefined && !p.summary.startsWith("cluster")) parts.push(`${p.clusters.done} of ${p.clusters.total} clusters read`);
    if (p.graph) parts.push(`Graph batch ${p.graph.done} of ${p.graph.total}`);
  }
  parts.push(`${formatDuration(p.elapsedMs)} elapsed`);
  if (p.etaMs !== undefined) parts.push(`about ${formatDuration(p.etaMs)} left`);
  if (p.errors > 0) parts.push(`${p.errors} ${p.errors === 1 ? "source" : "sources"} failed so far`);
  return (
    <div className={compact ? "scan-progress scan-progress-compact" : "scan-progress"}>
      <progress className="scan-progress-bar" max={100} value={percent} aria-label="Scan progress">
        {percent}%
      </progress>
      <span className="scan-progress-text">{parts.join(" · ")}</span>
    </div>
  );
}
