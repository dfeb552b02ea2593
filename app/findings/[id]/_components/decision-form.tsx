"use client";

import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { postWithCsrf } from "@/components/wizard/post-json";

type Subject = "finding" | "rule" | "identity";

/** Records or withdraws a triage decision about one finding (POST /api/findings/<id>/decision). */
export function DecisionForm({
  findingId,
  ruleId,
  defaultScope,
  hasIdentity,
  current,
  today,
}: {
  findingId: string;
  ruleId: string;
  defaultScope?: string;
  hasIdentity: boolean;
  /** The dashboard decision covering the finding now, which the person may withdraw. */
  current?: { subject: Subject; scope?: string; label: string };
  today: string;
}) {
  const router = useRouter();
  const id = useId();
  const [subject, setSubject] = useState<Subject>("finding");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ tone: "ok" | "error"; text: string }>();
  const url = `/api/findings/${encodeURIComponent(findingId)}/decision`;

  async function send(body: Record<string, unknown>, done: string, form?: HTMLFormElement) {
    setBusy(true);
    setMessage(undefined);
    try {
      await postWithCsrf(url, body);
      setMessage({ tone: "ok", text: done });
      form?.reset();
      router.refresh();
    } catch (err) {
      setMessage({ tone: "error", text: (err as Error).message });
    } finally {
      setBusy(false);
    }
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const scope = String(data.get("scope") ?? "").trim();
    void send(
      {
        action: "decide",
        subject,
        ...(subject === "rule" && scope ? { scope } : {}),
        state: data.get("state"),
        reason: data.get("reason"),
        owner: data.get("owner"),
        expires: data.get("expires"),
      },
      "Decision recorded.",
      form,
    );
  }

  return (
    <>
      <form className="decision-form" onSubmit={onSubmit} aria-labelledby={`${id}-title`}>
        <h3 id={`${id}-title`}>{current ? "Change the decision" : "Record a decision"}</h3>
        <fieldset className="decision-choices">
          <legend>Decision</legend>
          <label className="field-check">
            <input type="radio" name="state" value="accepted" defaultChecked /> Accepted risk
          </label>
          <label className="field-check">
            <input type="radio" name="state" value="false-positive" /> False positive
          </label>
        </fieldset>
        <label className="field">
          Applies to
          <select className="input" name="subject" value={subject} onChange={(e) => setSubject(e.target.value as Subject)}>
            <option value="finding">This finding</option>
            <option value="rule">Rule {ruleId} at a scope and below</option>
            {hasIdentity ? <option value="identity">Every finding about this identity</option> : null}
          </select>
        </label>
        {subject === "rule" ? (
          <label className="field">
            Scope (ARM id; the finding&apos;s scope or one above it)
            <input className="input id" name="scope" defaultValue={defaultScope} required maxLength={1000} />
          </label>
        ) : null}
        <label className="field">
          Reason
          <textarea className="input" name="reason" required maxLength={2000} rows={3} />
        </label>
        <div className="decision-row">
          <label className="field">
            Owner
            <input className="input" name="owner" required maxLength={200} autoComplete="email" />
          </label>
          <label className="field">
            Expires
            <input className="input" type="date" name="expires" required min={today} />
          </label>
        </div>
        <p className="decision-actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            Record decision
          </button>
          {current ? (
            <button type="button" className="button" disabled={busy} onClick={() => void send({ action: "withdraw", subject: current.subject, ...(current.scope ? { scope: current.scope } : {}) }, "Decision withdrawn.")}>
              Withdraw {current.label}
            </button>
          ) : null}
        </p>
      </form>
      <p className={message?.tone === "error" ? "form-message form-message-error" : "form-message"} role="status" aria-live="polite">
        {message?.text ?? ""}
      </p>
    </>
  );
}
