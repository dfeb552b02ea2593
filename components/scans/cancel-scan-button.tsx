"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { postWithCsrf } from "@/components/wizard/post-json";
import type { JobView } from "@/lib/scan/job-view";

/** Cancels a running scan (POST /api/scans/jobs/<id>/cancel); the job ends as cancelled at its next step. */
export function CancelScanButton({ jobId }: { jobId: string }) {
  const queryClient = useQueryClient();
  const [state, setState] = useState<{ busy: boolean; error?: string }>({ busy: false });
  async function cancel() {
    setState({ busy: true });
    try {
      const job = await postWithCsrf<JobView>(`/api/scans/jobs/${encodeURIComponent(jobId)}/cancel`, {});
      queryClient.setQueryData(["scan-job", jobId], job);
      setState({ busy: true });
    } catch (err) {
      setState({ busy: false, error: (err as Error).message });
    }
  }
  return (
    <>
      <button type="button" className="button button-small" onClick={cancel} disabled={state.busy} aria-busy={state.busy}>
        {state.busy ? "Cancelling…" : "Cancel scan"}
      </button>
      {state.error ? <span className="inline-status" data-tone="error">Cancel failed: {state.error}</span> : null}
    </>
  );
}
