"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { postWithCsrf } from "@/components/wizard/post-json";

/**
 * Opens one scan explicitly (a partial rescan, an older scan), or goes back to the last complete
 * one (`scanId` null): POST /api/scans/view, then the pages render that scan.
 */
export function ChooseScanButton({ scanId, children }: { scanId: number | null; children: string }) {
  const router = useRouter();
  const [error, setError] = useState<string>();
  const [pending, startTransition] = useTransition();
  async function choose() {
    setError(undefined);
    try {
      await postWithCsrf("/api/scans/view", { scanId });
      startTransition(() => router.refresh());
    } catch (err) {
      setError((err as Error).message);
    }
  }
  return (
    <>
      <button type="button" className="button button-small" onClick={choose} disabled={pending} aria-busy={pending}>
        {children}
      </button>
      {error ? <span className="inline-status" data-tone="error">{error}</span> : null}
    </>
  );
}
