import { compareScans, type FindingMark } from "@/lib/model/comparison";
import { SourceKind, type ScanCoverage, type SourceKey } from "@/lib/model/coverage";
import { SEVERITY_ORDER, type Severity } from "@/lib/model/findings";

/**
 * Trends over a scope's scan history: open findings by severity per scan, what each scan found
 * new and resolved, the mean time to fix, and the same per subscription and per cluster. Each
 * scan is compared with the baseline the Findings page uses (the newest earlier complete scan,
 * else the newest earlier partial one), coverage-aware: a finding whose source was not read
 * is unknown, never new and never resolved, so a partial scan does not read as fixes.
 */

/** A scan with findings (succeeded or partial), as trends need it. */
export interface TrendScan {
  id: number;
  scannedAt: string;
  state: "succeeded" | "partial";
  coverage?: ScanCoverage;
  findings: readonly FindingMark[];
}

export interface TrendPoint {
  scanId: number;
  scannedAt: string;
  partial: boolean;
  /** Findings the scan reported, by severity (a partial scan may have missed some: see unverified). */
  open: Record<Severity, number>;
  total: number;
  /** Absent from the baseline, where both scans read every source they rest on; undefined for the first scan. */
  new?: number;
  /** In the baseline, gone now, every source they rest on read. */
  resolved?: number;
  /** The baseline's findings this scan could not check (a source failed): maybe still open. */
  unverified?: number;
  /** Findings of this scan that either scan could not check. */
  unknown?: number;
}

/** One subscription or cluster over the window. */
export interface SourceTrend {
  key: SourceKey;
  kind: "subscription" | "cluster";
  name: string;
  /** Findings resting on it in the latest scan. */
  open: number;
  new: number;
  resolved: number;
  meanTimeToFixMs?: number;
}

export interface Trends {
  points: TrendPoint[];
  /** Resolved findings counted for the mean time to fix. */
  fixed: number;
  /** From the scan a finding was first seen in (within the history kept) to the scan it was resolved in. */
  meanTimeToFixMs?: number;
  sources: SourceTrend[];
}

const emptyCounts = (): Record<Severity, number> => ({ critical: 0, high: 0, medium: 0, low: 0 });
const time = (iso: string) => Date.parse(iso);

interface Tally {
  new: number;
  resolved: number;
  fixMs: number[];
}

/** The baseline the Findings page compares a scan with: the newest earlier complete scan, else the newest earlier partial one. */
function baselineOf(scans: readonly TrendScan[], i: number): TrendScan | undefined {
  for (let j = i - 1; j >= 0; j -= 1) if (scans[j]!.state === "succeeded") return scans[j];
  return i > 0 ? scans[i - 1] : undefined;
}

const mean = (xs: readonly number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : undefined);

/** Trends of scans given in any order (they are sorted oldest first). */
export function buildTrends(history: readonly TrendScan[]): Trends {
  const scans = [...history].sort((a, b) => time(a.scannedAt) - time(b.scannedAt) || a.id - b.id);
  const firstSeen = new Map<string, number>();
  const fixMs: number[] = [];
  const perSource = new Map<SourceKey, Tally>();
  const tally = (key: SourceKey) => perSource.get(key) ?? perSource.set(key, { new: 0, resolved: 0, fixMs: [] }).get(key)!;
  const countable = (key: SourceKey) => (key.startsWith(`${SourceKind.Subscription}:`) || key.startsWith(`${SourceKind.Cluster}:`)) && !key.endsWith(":*");
  const points: TrendPoint[] = [];
  const marksById = new Map<string, FindingMark>();
  const countedNew = new Set<string>();

  for (const [i, scan] of scans.entries()) {
    const open = emptyCounts();
    for (const f of scan.findings) open[f.severity] += 1;
    const point: TrendPoint = { scanId: scan.id, scannedAt: scan.scannedAt, partial: scan.state === "partial", open, total: scan.findings.length };
    const baseline = baselineOf(scans, i);
    if (baseline) {
      const diff = compareScans(scan, baseline);
      const fresh = [...diff.findings].filter(([, c]) => c.comparison === "new").map(([id]) => id);
      point.new = fresh.length;
      point.resolved = diff.resolved.length;
      point.unverified = diff.unknown.length;
      point.unknown = [...diff.findings.values()].filter((c) => c.comparison === "unknown").length;
      const byId = new Map(scan.findings.map((f) => [f.id, f]));
      // Two scans may share a baseline (a partial scan between complete ones): a finding is
      // counted new once per appearance and resolved once, however many scans report it so.
      for (const id of fresh) {
        if (countedNew.has(id)) continue;
        countedNew.add(id);
        for (const s of byId.get(id)!.sources.filter(countable)) tally(s).new += 1;
      }
      for (const id of diff.resolved) {
        const seen = firstSeen.get(id);
        if (seen === undefined) continue;
        const took = time(scan.scannedAt) - seen;
        fixMs.push(took);
        for (const s of (marksById.get(id)?.sources ?? []).filter(countable)) {
          tally(s).resolved += 1;
          tally(s).fixMs.push(took);
        }
        firstSeen.delete(id);
        countedNew.delete(id);
      }
    }
    for (const f of scan.findings) {
      if (!firstSeen.has(f.id)) firstSeen.set(f.id, time(scan.scannedAt));
      marksById.set(f.id, f);
    }
    points.push(point);
  }

  const latest = scans[scans.length - 1];
  const names = new Map<SourceKey, string>();
  for (const scan of scans) for (const s of scan.coverage?.sources ?? []) names.set(s.key, s.name);
  const openNow = new Map<SourceKey, number>();
  for (const f of latest?.findings ?? []) for (const s of f.sources.filter(countable)) openNow.set(s, (openNow.get(s) ?? 0) + 1);
  const keys = new Set([...perSource.keys(), ...openNow.keys()]);
  const sources: SourceTrend[] = [...keys]
    .map((key) => {
      const t = perSource.get(key) ?? { new: 0, resolved: 0, fixMs: [] };
      const kind = key.startsWith(`${SourceKind.Cluster}:`) ? "cluster" : "subscription";
      const trend: SourceTrend = { key, kind, name: names.get(key) ?? key.slice(key.indexOf(":") + 1), open: openNow.get(key) ?? 0, new: t.new, resolved: t.resolved };
      const m = mean(t.fixMs);
      if (m !== undefined) trend.meanTimeToFixMs = m;
      return trend;
    })
    .sort((a, b) => b.open - a.open || a.name.localeCompare(b.name));
  const trends: Trends = { points, fixed: fixMs.length, sources };
  const m = mean(fixMs);
  if (m !== undefined) trends.meanTimeToFixMs = m;
  return trends;
}

/** Severities most severe first, for charts and tables. */
export const TREND_SEVERITIES: readonly Severity[] = SEVERITY_ORDER;
