import "server-only";
import type { Viewer } from "@/lib/auth/viewer";
import { serverEnv } from "@/lib/env";
import type { Comparison, FindingComparison } from "@/lib/model/comparison";
import { hasFindings, type ScanCoverage, type ScanState } from "@/lib/model/coverage";
import type { Finding, Severity } from "@/lib/model/findings";
import { ScanJobs } from "@/lib/store/jobs";
import { compareScanWith, type ScanComparison } from "@/lib/store/scan-comparison";
import { getScan, listScans, type ScanSummary, type SeverityCounts } from "@/lib/store/scans";
import { toJobView, type JobView } from "./job-view";
import type { LoadedScan } from "./loaded-scans";
import { scanScopeOf } from "./scope";
import { jobsStore } from "./server-jobs";
import { getScanView, type StaleNotice } from "./view";

/** One scan of the history: every attempt, with its state and what it read. */
export interface HistoryEntry {
  id: number;
  startedAt: string;
  scannedAt: string;
  state: ScanState;
  coverage?: ScanCoverage;
  counts: SeverityCounts;
  durationMs: number;
  source: string;
  failure?: string;
  jobId?: string;
}

function historyEntry(s: ScanSummary): HistoryEntry {
  return {
    id: s.id,
    startedAt: s.startedAt ?? s.scannedAt,
    scannedAt: s.scannedAt,
    state: s.state,
    ...(s.coverage ? { coverage: s.coverage } : {}),
    counts: s.counts,
    durationMs: s.durationMs,
    source: s.source,
    ...(s.failure ? { failure: s.failure } : {}),
    ...(s.jobId ? { jobId: s.jobId } : {}),
  };
}

/** The scans of `viewer`'s scope, newest first, and the one running. */
export async function scanHistory(viewer: Viewer, limit = 50): Promise<{ scans: HistoryEntry[]; running?: JobView }> {
  const scope = scanScopeOf(serverEnv(), viewer);
  const store = await jobsStore();
  const [scans, running] = await Promise.all([listScans(store, limit, { scopeKey: scope.key }), new ScanJobs(store).running(scope.key)]);
  return { scans: scans.map(historyEntry), ...(running ? { running: toJobView(running) } : {}) };
}

/** A finding as the findings API lists it, with its comparison and the sources it rests on. */
export interface FindingEntry {
  id: string;
  ruleId: string;
  severity: Severity;
  title: string;
  message: string;
  comparison: Comparison;
  /** Why it is unknown: which scan could not read which source. */
  comparisonReason?: string;
  /** False for a finding of the scan compared with that this scan could not check (unknown, not resolved). */
  inScan: boolean;
  scope?: string;
  principalId?: string;
  identityName?: string;
  clusterId?: string;
  roleName?: string;
}

function entry(f: Finding, comparison: FindingComparison, inScan: boolean): FindingEntry {
  const out: FindingEntry = { id: f.id, ruleId: f.ruleId, severity: f.severity, title: f.title, message: f.message, comparison: comparison.comparison, inScan };
  if (comparison.reason) out.comparisonReason = comparison.reason;
  for (const key of ["scope", "principalId", "identityName", "clusterId", "roleName"] as const) if (f[key] !== undefined) out[key] = f[key];
  return out;
}

export interface FindingsView {
  scanId: number;
  scannedAt: string;
  state: ScanState;
  /** Rescans after this scan did not complete: it is the last complete view, not the newest attempt. */
  stale: boolean;
  staleSince?: StaleNotice;
  /** Opened explicitly (`scanId`), not the default view. */
  chosen: boolean;
  coverage?: ScanCoverage;
  comparedWith: { scanId: number; scannedAt: string; state: ScanState } | null;
  findings: FindingEntry[];
  resolved: Omit<FindingEntry, "comparison" | "comparisonReason" | "inScan">[];
  running?: JobView;
}

export type FindingsAnswer = { status: "ready"; view: FindingsView } | { status: "pending"; job: JobView } | { status: "unavailable" | "not-found"; message: string };

function findingsView(scan: LoadedScan, comparison: ScanComparison, byId: Map<string, FindingComparison>, extra: Pick<FindingsView, "stale" | "staleSince" | "chosen" | "running">): FindingsView {
  const findings = scan.findings.map((f) => entry(f, byId.get(f.id) ?? { comparison: "unknown", reason: "no earlier scan to compare with" }, true));
  for (const u of comparison.unverified ?? []) findings.push(entry(u.finding, { comparison: "unknown", reason: u.reason }, false));
  return {
    scanId: scan.scanId,
    scannedAt: scan.summary.scannedAt,
    state: scan.summary.state,
    ...extra,
    ...(scan.summary.coverage ? { coverage: scan.summary.coverage } : {}),
    comparedWith: comparison.previous ? { scanId: comparison.previous.id, scannedAt: comparison.previous.scannedAt, state: comparison.previous.state } : null,
    findings,
    resolved: comparison.resolved.map((f) => {
      const { comparison: _c, comparisonReason: _r, inScan: _i, ...rest } = entry(f, { comparison: "unknown" }, false);
      return rest;
    }),
  };
}

/**
 * The findings of the scan `viewer` sees (the last complete one, or `scanId`), each marked new,
 * unchanged or unknown against the scope's previous complete scan (or against `compareTo`),
 * with the findings resolved since; findings the scan could not check are listed as unknown.
 */
export async function findingsFor(viewer: Viewer, options: { scanId?: number; compareTo?: number } = {}): Promise<FindingsAnswer> {
  const view = await getScanView(viewer, { scanId: options.scanId });
  if (view.status === "pending") return { status: "pending", job: view.job };
  if (view.status === "unavailable") return { status: options.scanId !== undefined ? "not-found" : "unavailable", message: view.message };
  const { scan } = view;
  const extra = { stale: view.stale !== undefined, ...(view.stale ? { staleSince: view.stale } : {}), chosen: view.chosen, ...(view.running ? { running: view.running } : {}) };
  if (options.compareTo === undefined) return { status: "ready", view: findingsView(scan, scan.comparison, scan.findingComparisons, extra) };
  const store = await jobsStore();
  const other = await getScan(store, options.compareTo);
  if (!other || other.scopeKey !== scan.summary.scopeKey) return { status: "not-found", message: `There is no scan ${options.compareTo} of what you can see.` };
  if (!hasFindings(other.state)) return { status: "not-found", message: `Scan ${other.id} ${other.state}: it has no findings to compare with.` };
  const { findings: byId, ...comparison } = await compareScanWith(store, scan.scanId, other.id);
  return { status: "ready", view: findingsView(scan, comparison, byId, extra) };
}
