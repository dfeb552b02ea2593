import Link from "next/link";
import type { Severity } from "@/lib/model/findings";
import { formatCount } from "@/components/ui/format";
import { SEVERITY_ORDER, severityDescriptions, severityIcons, severityLabels } from "./severity";
import "./findings.css";

/** Counts per severity, each a link to the findings list filtered to that severity. */
export function SeverityCounts({
  counts,
  hrefFor,
  selected,
  label = "Findings by severity",
}: {
  counts: Record<Severity, number>;
  hrefFor: (severity: Severity) => string;
  selected?: Severity;
  label?: string;
}) {
  return (
    <ul className="stat-grid" aria-label={label}>
      {SEVERITY_ORDER.map((s) => (
        <li key={s} className="card stat" style={{ ["--stat-color" as string]: `var(--sev-${s})` }} data-severity={s} data-selected={selected === s ? "true" : undefined}>
          <span className="stat-label" title={severityDescriptions[s]}>
            <span aria-hidden="true">{severityIcons[s]} </span>
            {severityLabels[s]}
          </span>
          <Link className="stat-value" href={hrefFor(s)} aria-label={`${formatCount(counts[s])} ${severityLabels[s]} findings`} aria-current={selected === s ? "true" : undefined}>
            {formatCount(counts[s])}
          </Link>
        </li>
      ))}
    </ul>
  );
}
