"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { scanAndWait } from "@/components/scans/scan-and-wait";
import { postWithCsrf } from "@/components/wizard/post-json";
import type { ApplyResult } from "@/lib/remediation/apply/types";

type Action = "undo" | "finish";
type Status = { state: "idle" } | { state: "confirm"; action: Action } | { state: "busy"; action: Action } | { state: "done"; text: string; ok: boolean };

const VERB: Record<Action, string> = { undo: "Undo", finish: "Finish" };
const CONFIRM: Record<Action, string> = {
  undo: "Recreate what this change deleted and delete what it created?",
  finish: "Run the steps this change did not finish?",
};

/** Undo / Finish for one change, each behind a confirmation; POST with the CSRF token, then re-render the log. */
export function ChangeActions({ changeId, canUndo, canFinish, undoRestarts = [] }: { changeId: string; canUndo: boolean; canFinish: boolean; undoRestarts?: string[] }) {
  const router = useRouter();
  const [status, setStatus] = useState<Status>({ state: "idle" });
  const [refreshing, startTransition] = useTransition();

  async function run(action: Action) {
    setStatus({ state: "busy", action });
    try {
      const { result } = await postWithCsrf<{ result: ApplyResult }>(`/api/changes/${encodeURIComponent(changeId)}/${action}`, { confirm: true });
      const ok = result.status === "applied";
      // The dashboard shows the last complete scan: rescan so findings reflect what undo/finish changed.
      let rescan = "";
      if (ok) {
        try {
          const job = await scanAndWait();
          rescan = job.state === "succeeded" ? " Rescanned." : ` The rescan ${job.state}${job.error ? ` (${job.error})` : ""}; rescan before trusting the findings.`;
        } catch (err) {
          rescan = ` The rescan failed (${(err as Error).message}); rescan before trusting the findings.`;
        }
      }
      setStatus({ state: "done", text: `${result.message}${rescan}`, ok });
      startTransition(() => router.refresh());
    } catch (err) {
      setStatus({ state: "done", text: `${VERB[action]} failed: ${(err as Error).message}`, ok: false });
    }
  }

  const busy = status.state === "busy" || refreshing;
  return (
    <div className="change-actions">
      {status.state === "confirm" ? (
        <>
          <span>
            {CONFIRM[status.action]}
            {status.action === "undo" && undoRestarts.length > 0 ? (
              <span className="text-danger" data-testid="undo-restarts">
                {" "}
                Undo restarts the pods of {undoRestarts.join(", ")}: their pod templates are written back.
              </span>
            ) : null}
          </span>
          <button type="button" className="button button-small button-primary" onClick={() => run(status.action)}>
            Yes, {VERB[status.action].toLowerCase()} it
          </button>
          <button type="button" className="button button-small" onClick={() => setStatus({ state: "idle" })}>
            Cancel
          </button>
        </>
      ) : (
        <>
          {canFinish ? (
            <button type="button" className="button button-small" disabled={busy} onClick={() => setStatus({ state: "confirm", action: "finish" })}>
              {status.state === "busy" && status.action === "finish" ? "Finishing…" : "Finish"}
            </button>
          ) : null}
          {canUndo ? (
            <button type="button" className="button button-small" disabled={busy} onClick={() => setStatus({ state: "confirm", action: "undo" })}>
              {status.state === "busy" && status.action === "undo" ? "Undoing…" : "Undo"}
            </button>
          ) : null}
        </>
      )}
      <span className="inline-status" role="status" aria-live="polite" data-tone={status.state === "done" && !status.ok ? "error" : undefined}>
        {status.state === "done" ? status.text : ""}
      </span>
    </div>
  );
}
