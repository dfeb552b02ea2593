"use client";

import { useQuery } from "@tanstack/react-query";
import { getJson } from "@/components/wizard/post-json";
import type { JobView } from "@/lib/scan/job-view";

/** How often a running job is polled: its runner writes progress every two seconds. */
const POLL_MS = 1000;

/**
 * A scan job, polled (GET /api/scans/jobs/<id>) while it runs and left alone once it ended.
 * `initial` is what the server rendered, so the first paint needs no request.
 */
export function useScanJob(jobId: string | undefined, initial?: JobView) {
  return useQuery({
    queryKey: ["scan-job", jobId],
    queryFn: () => getJson<JobView>(`/api/scans/jobs/${encodeURIComponent(jobId!)}`),
    enabled: jobId !== undefined,
    initialData: initial && initial.id === jobId ? initial : undefined,
    refetchInterval: (query) => (query.state.data && query.state.data.state !== "running" ? false : POLL_MS),
    refetchIntervalInBackground: false,
    retry: 2,
  });
}
