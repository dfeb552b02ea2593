import { formatCount, plural } from "@/components/ui/format";
import { SEVERITY_ORDER, type Severity } from "@/lib/model/findings";
import type { Trends } from "@/lib/scan/trends";

/** A time span as people say it: "3.5 days", "5 hours", "20 minutes". */
export function formatSpan(ms: number): string {
  const hours = ms / 3_600_000;
  if (hours >= 48) return `${(hours / 24).toFixed(hours >= 240 ? 0 : 1).replace(/\.0$/, "")} days`;
  if (hours >= 1) return plural(Math.round(hours), "hour");
  return plural(Math.max(1, Math.round(ms / 60_000)), "minute");
}

/** A scan's short label on an axis: its day and month, in UTC so server and tests agree. */
export function scanLabel(iso: string): string {
  const d = new Date(iso);
  return `${d.toLocaleString("en-GB", { month: "short", timeZone: "UTC" })} ${d.getUTCDate()}`;
}

/** Axis labels for scans: the day, or the day and UTC time when two scans share a day. */
export function scanLabels(isos: readonly string[]): string[] {
  const days = isos.map(scanLabel);
  if (new Set(days).size === days.length) return days;
  return isos.map((iso, i) => `${days[i]} ${iso.slice(11, 16)}`);
}

/** At most `max` evenly spaced tick indices, always the first and the last. */
export function tickIndices(count: number, max = 8): number[] {
  if (count <= max) return Array.from({ length: count }, (_, i) => i);
  const step = (count - 1) / (max - 1);
  return [...new Set(Array.from({ length: max }, (_, i) => Math.round(i * step)))];
}

const sevWord: Record<Severity, string> = { critical: "critical", high: "high", medium: "medium", low: "low" };

/** The sentence that says what the open-findings chart shows (its text alternative, with the table). */
export function openSummary(trends: Trends): string {
  const points = trends.points;
  if (points.length === 0) return "No scan with findings is recorded yet.";
  const last = points[points.length - 1]!;
  const now = SEVERITY_ORDER.filter((s) => last.open[s] > 0).map((s) => `${formatCount(last.open[s])} ${sevWord[s]}`);
  const latest = `${plural(last.total, "open finding")} in the latest scan${now.length ? ` (${now.join(", ")})` : ""}`;
  if (points.length === 1) return `${latest}; trends start with the next scan.`;
  const first = points[0]!;
  const delta = last.total - first.total;
  const change = delta === 0 ? "the same as" : `${formatCount(Math.abs(delta))} ${delta > 0 ? "more than" : "fewer than"}`;
  const partial = points.filter((p) => p.partial).length;
  return `${latest}, ${change} the ${formatCount(first.total)} of the first of ${formatCount(points.length)} scans${partial ? `; ${plural(partial, "partial scan")} may have missed findings in what ${partial === 1 ? "it" : "they"} could not read` : ""}.`;
}

/** The sentence for the new-vs-resolved chart, with the mean time to fix. */
export function flowSummary(trends: Trends): string {
  const compared = trends.points.filter((p) => p.new !== undefined);
  if (compared.length === 0) return "New and resolved findings are counted from the second scan on.";
  const added = compared.reduce((n, p) => n + (p.new ?? 0), 0);
  const gone = compared.reduce((n, p) => n + (p.resolved ?? 0), 0);
  const unverified = compared.reduce((n, p) => n + (p.unverified ?? 0), 0);
  const mttf = trends.meanTimeToFixMs !== undefined ? ` Mean time to fix: ${formatSpan(trends.meanTimeToFixMs)} over ${plural(trends.fixed, "fixed finding")}.` : " No finding has been fixed yet.";
  const unknown = unverified ? ` ${plural(unverified, "finding")} could not be checked by a partial scan and ${unverified === 1 ? "is" : "are"} counted as neither.` : "";
  return `Across ${plural(compared.length, "comparison")}: ${formatCount(added)} new, ${formatCount(gone)} resolved.${unknown}${mttf}`;
}

/** The y axis maximum: a round number at or above the largest value. */
export function niceMax(value: number): number {
  if (value <= 5) return 5;
  const magnitude = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => Math.ceil(value / s) <= 5)!;
  return Math.ceil(value / step) * step;
}
