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

export function StatusMarker({ status }: { status: "new" | "unchanged" | undefined }) {
  if (!status) return null;
  return status === "new" ? (
    <span className="badge badge-accent status-marker" title="Not in the previous scan">
      New
    </span>
  ) : (
    <span className="badge status-marker" title="Also in the previous scan">
      Unchanged
    </span>
  );
}
