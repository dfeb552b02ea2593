import { describeFailedSource, failedSourcesAmong, type ScanCoverage, type SourceCoverage, type SourceKey } from "./coverage";
import type { Severity } from "./findings";

/**
 * Coverage-aware comparison of two scans: a finding is "new" only where both scans read every
 * source it rests on, "unchanged" when both reported it, and "unknown" otherwise; a finding of
 * the baseline that is gone is "resolved" only when this scan read all its sources, else it is
 * carried as unknown. A failing source never reads as a fix, nor as a new problem.
 */

export const Comparison = { New: "new", Unchanged: "unchanged", Unknown: "unknown" } as const;
export type Comparison = (typeof Comparison)[keyof typeof Comparison];

/** What a comparison needs of one finding. */
export interface FindingMark {
  id: string;
  ruleId: string;
  severity: Severity;
  sources: readonly SourceKey[];
}

export interface ComparedScan {
  /** Undefined for a scan recorded before coverage was kept: taken as having read everything. */
  coverage?: ScanCoverage;
  findings: readonly FindingMark[];
}

export interface FindingComparison {
  comparison: Comparison;
  /** Why a finding is unknown: which scan could not read which source. */
  reason?: string;
}

export interface ScanDiff {
  /** Each finding of the current scan. */
  findings: Map<string, FindingComparison>;
  /** Baseline findings gone from the current scan, every source they rest on read by it. */
  resolved: string[];
  /** Baseline findings gone from the current scan that it could not check: unknown, not resolved. */
  unknown: { id: string; reason: string }[];
}

function because(which: string, failed: SourceCoverage[]): string {
  const shown = failed.slice(0, 3).map(describeFailedSource).join("; ");
  return `${which} could not read ${shown}${failed.length > 3 ? ` and ${failed.length - 3} more` : ""}`;
}

function missed(coverage: ScanCoverage | undefined, sources: readonly SourceKey[]): SourceCoverage[] {
  return coverage ? failedSourcesAmong(coverage, sources) : [];
}

/** Compares `current` with `baseline` (undefined: nothing to compare with, every finding is unknown). */
export function compareScans(current: ComparedScan, baseline: ComparedScan | undefined): ScanDiff {
  const findings = new Map<string, FindingComparison>();
  if (!baseline) {
    for (const f of current.findings) findings.set(f.id, { comparison: Comparison.Unknown, reason: "no earlier scan to compare with" });
    return { findings, resolved: [], unknown: [] };
  }
  const before = new Map(baseline.findings.map((f) => [f.id, f]));
  for (const f of current.findings) {
    if (before.has(f.id)) {
      findings.set(f.id, { comparison: Comparison.Unchanged });
      continue;
    }
    const missedBefore = missed(baseline.coverage, f.sources);
    const missedNow = missed(current.coverage, f.sources);
    if (missedBefore.length > 0) findings.set(f.id, { comparison: Comparison.Unknown, reason: because("the scan compared with", missedBefore) });
    // Present now, but a source it rests on failed: it may stand only because something was not seen.
    else if (missedNow.length > 0) findings.set(f.id, { comparison: Comparison.Unknown, reason: because("this scan", missedNow) });
    else findings.set(f.id, { comparison: Comparison.New });
  }
  const now = new Set(current.findings.map((f) => f.id));
  const resolved: string[] = [];
  const unknown: { id: string; reason: string }[] = [];
  for (const f of baseline.findings) {
    if (now.has(f.id)) continue;
    const notRead = missed(current.coverage, f.sources);
    if (notRead.length === 0) resolved.push(f.id);
    else unknown.push({ id: f.id, reason: because("this scan", notRead) });
  }
  return { findings, resolved, unknown };
}
