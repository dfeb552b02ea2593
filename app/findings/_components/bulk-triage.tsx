"use client";

import "@/components/findings/triage.css";
import { useRouter } from "next/navigation";
import { useEffect, useState, type FormEvent } from "react";
import { postWithCsrf } from "@/components/wizard/post-json";
import { formatCount } from "@/components/ui/format";
import { MAX_SELECTED_IDS, selectionExportHref } from "@/components/findings/selection";

export const BULK_FORM_ID = "bulk-triage";

type Action = "accepted" | "false-positive" | "assign-owner" | "export-csv" | "export-json";

const isExport = (a: Action): a is "export-csv" | "export-json" => a === "export-csv" || a === "export-json";

/** Starts a download without leaving the page (the export answers with Content-Disposition: attachment). */
function download(href: string): void {
  const a = document.createElement("a");
  a.href = href;
  a.download = "";
  document.body.append(a);
  a.click();
  a.remove();
}

function checkboxes(): HTMLInputElement[] {
  return [...document.querySelectorAll<HTMLInputElement>(`input[type="checkbox"][form="${BULK_FORM_ID}"][name="finding"]`)];
}

/**
 * Bulk triage of the findings list: the findings ticked on this page, or every finding the
 * filters match (selected by the server from the filter, not from ids sent by the browser).
 */
export function BulkTriage({ filter, listQuery, total, today }: { filter: Record<string, string>; listQuery: string; total: number; today: string }) {
  const router = useRouter();
  const [selected, setSelected] = useState(0);
  const [onPage, setOnPage] = useState(0);
  const [scope, setScope] = useState<"selected" | "all">("selected");
  const [action, setAction] = useState<Action>("accepted");
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ error: boolean; text: string }>();

  useEffect(() => {
    const count = () => {
      const boxes = checkboxes();
      setOnPage(boxes.length);
      setSelected(boxes.filter((b) => b.checked).length);
    };
    count();
    document.addEventListener("change", count);
    return () => document.removeEventListener("change", count);
  }, []);

  function selectPage(checked: boolean) {
    for (const box of checkboxes()) box.checked = checked;
    setSelected(checked ? checkboxes().length : 0);
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const data = new FormData(form);
    const ids = checkboxes().filter((b) => b.checked).map((b) => b.value);
    if (scope === "selected" && ids.length === 0) {
      setMessage({ error: true, text: "Select at least one finding, or choose all findings matching the filters." });
      return;
    }
    if (isExport(action)) {
      const format = action === "export-csv" ? "csv" : "json";
      if (scope === "selected" && ids.length > MAX_SELECTED_IDS) {
        setMessage({ error: true, text: `At most ${formatCount(MAX_SELECTED_IDS)} ticked findings can be exported; choose all findings matching the filters instead.` });
        return;
      }
      download(selectionExportHref(listQuery, format, scope === "all" ? undefined : ids));
      const n = scope === "all" ? total : ids.length;
      setMessage({ error: false, text: `Exporting ${formatCount(n)} ${n === 1 ? "finding" : "findings"} as ${format.toUpperCase()}.` });
      return;
    }
    const owner = String(data.get("owner") ?? "");
    const body = {
      selection: scope === "all" ? { filter } : { ids },
      action:
        action === "assign-owner"
          ? { action: "assign-owner", owner }
          : { action: "decide", state: action, reason: String(data.get("reason") ?? ""), owner, expires: String(data.get("expires") ?? "") },
    };
    setBusy(true);
    setMessage(undefined);
    try {
      const result = await postWithCsrf<{ decided: number; skipped: { reason: string; count: number }[] }>("/api/findings/bulk", body);
      const skipped = result.skipped.map((s) => `${formatCount(s.count)} skipped: ${s.reason}`).join("; ");
      setMessage({ error: false, text: `${formatCount(result.decided)} ${result.decided === 1 ? "finding" : "findings"} updated.${skipped ? ` ${skipped}.` : ""}` });
      selectPage(false);
      router.refresh();
    } catch (err) {
      setMessage({ error: true, text: (err as Error).message });
    } finally {
      setBusy(false);
    }
  }

  const target = scope === "all" ? `all ${formatCount(total)} findings matching the filters` : `${formatCount(selected)} selected findings`;
  return (
    <details className="bulk-triage">
      <summary>Bulk actions</summary>
      <form id={BULK_FORM_ID} className="decision-form bulk-form" onSubmit={onSubmit} aria-label="Bulk actions on findings">
        <label className="field-check">
          <input type="checkbox" checked={onPage > 0 && selected === onPage} onChange={(e) => selectPage(e.target.checked)} /> Select all {formatCount(onPage)} on this page
        </label>
        <p className="bulk-count" role="status" aria-live="polite">
          {formatCount(selected)} of {formatCount(onPage)} on this page selected
        </p>
        <fieldset className="decision-choices">
          <legend>Apply to</legend>
          <label className="field-check">
            <input type="radio" name="scope" checked={scope === "selected"} onChange={() => setScope("selected")} /> The selected findings
          </label>
          <label className="field-check">
            <input type="radio" name="scope" checked={scope === "all"} onChange={() => setScope("all")} /> All {formatCount(total)} matching the filters
          </label>
        </fieldset>
        <label className="field">
          Action
          <select className="input" value={action} onChange={(e) => setAction(e.target.value as Action)}>
            <option value="accepted">Accept the risk</option>
            <option value="false-positive">Mark as false positive</option>
            <option value="assign-owner">Assign an owner (to findings with a decision)</option>
            <option value="export-csv">Export as CSV</option>
            <option value="export-json">Export as JSON</option>
          </select>
        </label>
        {!isExport(action) && action !== "assign-owner" ? (
          <label className="field">
            Reason
            <textarea className="input" name="reason" required maxLength={2000} rows={2} />
          </label>
        ) : null}
        {isExport(action) ? null : (
        <div className="decision-row">
          <label className="field">
            Owner
            <input className="input" name="owner" required maxLength={200} />
          </label>
          {action !== "assign-owner" ? (
            <label className="field">
              Expires
              <input className="input" type="date" name="expires" required min={today} />
            </label>
          ) : null}
        </div>
        )}
        <p className="decision-actions">
          <button type="submit" className="button button-primary" disabled={busy}>
            {isExport(action) ? `Export ${target} as ${action === "export-csv" ? "CSV" : "JSON"}` : `Apply to ${target}`}
          </button>
        </p>
        <p className={message?.error ? "form-message form-message-error" : "form-message"} role="status" aria-live="polite">
          {message?.text ?? ""}
        </p>
      </form>
    </details>
  );
}
