import type { Severity } from "@/lib/model/findings";
import { severityDescriptions, severityIcons, severityLabels } from "./severity";
import "./findings.css";

/** Colour, a shape and the word: severity is never carried by colour alone. */
export function SeverityBadge({ severity, title }: { severity: Severity; title?: string }) {
  return (
    <span className="badge severity-badge" data-severity={severity} title={title ?? severityDescriptions[severity]}>
      <span aria-hidden="true">{severityIcons[severity]}</span>
      {severityLabels[severity]}
    </span>
  );
}

/** New, unchanged or unknown against the previous complete scan; unknown says which source failed. */
export function StatusMarker({ status, reason }: { status: "new" | "unchanged" | "unknown" | undefined; reason?: string }) {
  if (!status) return null;
  if (status === "unknown") {
    return (
      <span className="badge badge-warn status-marker" title={reason ? `Unknown: ${reason}` : "Unknown: a source this finding rests on was not read"}>
        Unknown (source failed)
      </span>
    );
  }
  return status === "new" ? (
    <span className="badge badge-accent status-marker" title="Not in the previous complete scan, which read its sources">
      New
    </span>
  ) : (
    <span className="badge status-marker" title="Also in the previous complete scan">
      Unchanged
    </span>
  );
}
