"use client";

import "@/components/findings/triage.css";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { postWithCsrf } from "@/components/wizard/post-json";

interface TestDelivery {
  target: string;
  status: "delivered" | "failed" | "sending";
  httpStatus?: number;
  error?: string;
}

/** "Send a test alert": one signed test event to every webhook, with what each answered. */
export function SendTestAlert() {
  const router = useRouter();
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ error?: string; deliveries?: TestDelivery[] }>();

  async function send() {
    setBusy(true);
    setResult(undefined);
    try {
      const { deliveries } = await postWithCsrf<{ deliveries: TestDelivery[] }>("/api/alerts/test", {});
      setResult({ deliveries });
      router.refresh();
    } catch (err) {
      setResult({ error: (err as Error).message });
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="test-alert">
      <button type="button" className="button" onClick={send} disabled={busy}>
        {busy ? "Sending a test alert…" : "Send a test alert"}
      </button>
      <div role="status" aria-live="polite">
        {result?.error ? <p className="form-message form-message-error">{result.error}</p> : null}
        {result?.deliveries ? (
          <ul className="plain-list" aria-label="Test alert results">
            {result.deliveries.map((d) => (
              <li key={d.target} className="wrap-anywhere">
                {d.target}: {d.status === "delivered" ? `delivered (HTTP ${d.httpStatus ?? "2xx"})` : `not delivered — ${d.error ?? "no answer"}`}
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </div>
  );
}
