"use client";

import { getJson, postWithCsrf } from "@/components/wizard/post-json";
import type { JobView } from "@/lib/scan/job-view";

/**
 * Starts a scan (POST /api/scans, or joins the running one) and polls its job until it ends:
 * for actions that must show the tenant as it is after a change (undo, finish).
 */
export async function scanAndWait(options: { pollMs?: number; timeoutMs?: number } = {}): Promise<JobView> {
  const { jobId } = await postWithCsrf<{ jobId: string }>("/api/scans", {});
  const until = Date.now() + (options.timeoutMs ?? 15 * 60_000);
  for (;;) {
    const job = await getJson<JobView>(`/api/scans/jobs/${encodeURIComponent(jobId)}`);
    if (job.state !== "running") return job;
    if (Date.now() > until) throw new Error("the scan is still running; reload the page later");
    await new Promise((r) => setTimeout(r, options.pollMs ?? 1000));
  }
}
