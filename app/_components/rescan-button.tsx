"use client";

import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { unreadParts } from "@/lib/model/vocabulary";

type Status = { state: "idle" } | { state: "running" } | { state: "done"; text: string } | { state: "error"; text: string };

async function readError(res: Response): Promise<string> {
  try {
    const body = (await res.json()) as { error?: string };
    return body.error ?? `HTTP ${res.status}`;
  } catch {
    return `HTTP ${res.status}`;
  }
}

/** Rescans the tenant (POST /api/rescan with the double-submit CSRF token), then re-renders the page. */
export function RescanButton() {
  const router = useRouter();
  const [status, setStatus] = useState<Status>({ state: "idle" });
  const [refreshing, startTransition] = useTransition();
  const busy = status.state === "running" || refreshing;

  async function rescan() {
    setStatus({ state: "running" });
    try {
      const tokenRes = await fetch("/api/csrf", { cache: "no-store", credentials: "same-origin" });
      if (!tokenRes.ok) throw new Error(await readError(tokenRes));
      const { token } = (await tokenRes.json()) as { token: string };
      const res = await fetch("/api/rescan", {
        method: "POST",
        credentials: "same-origin",
        headers: { "content-type": "application/json", "x-csrf-token": token },
        body: "{}",
      });
      if (!res.ok) throw new Error(await readError(res));
      const body = (await res.json()) as { errors: number };
      setStatus({ state: "done", text: body.errors > 0 ? `Rescanned; ${unreadParts(body.errors)}` : "Rescanned" });
      startTransition(() => router.refresh());
    } catch (err) {
      setStatus({ state: "error", text: `Rescan failed: ${(err as Error).message}` });
    }
  }

  return (
    <>
      <span className="inline-status" role="status" aria-live="polite" data-tone={status.state === "error" ? "error" : undefined}>
        {status.state === "running" ? "Scanning…" : status.state === "done" || status.state === "error" ? status.text : ""}
      </span>
      <button type="button" className="button button-small" onClick={rescan} disabled={busy} aria-busy={busy}>
        {busy ? "Rescanning…" : "Rescan"}
      </button>
    </>
  );
}
