import "server-only";
import { compareScans, type FindingComparison, type FindingMark } from "@/lib/model/comparison";
import { hasFindings } from "@/lib/model/coverage";
import { SEVERITY_ORDER, type Finding, type Severity } from "@/lib/model/findings";
import { storeError, StorePart, type Store } from "./db";
import { getScan, type ScanSummary } from "./scans";

export interface ScanComparison {
  scanId: number;
  /** The scan compared against; undefined for the first scan of a scope (then every list is empty). */
  previous?: ScanSummary;
  /** Finding ids absent from the previous scan, which read every source they rest on (as did this one). */
  new: string[];
  /** Finding ids present in both. */
  unchanged: string[];
  /** Findings of the previous scan that are gone now, every source they rest on read again; as stored then. */
  resolved: Finding[];
  /** Finding ids of this scan that one of the two scans could not check, with why (absent without a previous scan). */
  unknown?: { id: string; reason: string }[];
  /**
   * Findings of the previous scan that are gone from this one, which could not read a source
   * they rest on: unknown, not resolved; as stored then (absent without a previous scan).
   */
  unverified?: { finding: Finding; reason: string }[];
}

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const severityIndex = (s: string) => {
  const i = SEVERITY_ORDER.indexOf(s as Severity);
  return i < 0 ? SEVERITY_ORDER.length : i;
};

/** Each finding of a scan as a comparison needs it: id, rule, severity, the sources it rests on. */
export async function readFindingMarks(store: Store, scanId: number): Promise<FindingMark[]> {
  const rows = await store.all<{ finding_id: string; rule_id: string; severity: Severity; sources: string | null }>(
    "SELECT finding_id, rule_id, severity, sources FROM scan_findings WHERE scan_id = ?",
    [scanId],
  );
  return rows.map((r) => ({ id: r.finding_id, ruleId: r.rule_id, severity: r.severity, sources: r.sources ? (JSON.parse(r.sources) as string[]) : [] }));
}

/** A scan's findings as stored, most severe first; only `ids` when given. */
export async function readFindings(store: Store, scanId: number, ids?: readonly string[]): Promise<Finding[]> {
  try {
    const rows = await store.all<{ finding_id: string; severity: string; data: string }>("SELECT finding_id, severity, data FROM scan_findings WHERE scan_id = ?", [scanId]);
    const wanted = ids ? new Set(ids) : undefined;
    return rows
      .filter((r) => !wanted || wanted.has(r.finding_id))
      .sort((a, b) => severityIndex(a.severity) - severityIndex(b.severity) || byCodePoint(a.finding_id, b.finding_id))
      .map((r) => JSON.parse(r.data) as Finding);
  } catch (err) {
    throw storeError(store.location, "read the findings of a scan", err, StorePart.ScanHistory);
  }
}

/**
 * The scan a scan is compared with by default: the newest earlier complete scan of the same
 * scope (tenant, viewer, subscriptions), else the newest earlier partial one. Scans of other
 * tenants, or by other people (who see other parts of it), are never compared: their findings
 * are unrelated, not "resolved". Scans recorded before scopes existed compare by tenant and viewer.
 */
export async function defaultBaseline(store: Store, scanId: number): Promise<ScanSummary | undefined> {
  try {
    const current = await getScan(store, scanId);
    if (!current) throw new Error(`no scan with id ${scanId}`);
    const same = current.scopeKey !== undefined ? "scope_key = ?" : "scope_key IS NULL AND tenant_id IS NOT DISTINCT FROM ? AND viewer = ?";
    const sameArgs = current.scopeKey !== undefined ? [current.scopeKey] : [current.tenantId ?? null, current.viewer];
    const earlier = "(scanned_at < ? OR (scanned_at = ? AND id < ?))";
    for (const states of ["'succeeded'", "'partial'"]) {
      const row = await store.get<{ id: number }>(`SELECT id FROM scans WHERE ${same} AND ${earlier} AND state IN (${states}) ORDER BY scanned_at DESC, id DESC LIMIT 1`, [
        ...sameArgs,
        current.scannedAt,
        current.scannedAt,
        scanId,
      ]);
      if (row) return getScan(store, Number(row.id));
    }
    return undefined;
  } catch (err) {
    throw storeError(store.location, "compare scans", err, StorePart.ScanHistory);
  }
}

/**
 * Compares scan `scanId` with scan `baselineId` (lib/model/comparison.ts): coverage-aware, so a
 * source that failed in either scan makes its findings unknown, never new or resolved. Reads
 * ids and sources, and the stored findings of those resolved or unverified.
 */
export async function compareScanWith(store: Store, scanId: number, baselineId: number | undefined): Promise<ScanComparison & { findings: Map<string, FindingComparison> }> {
  try {
    const current = await getScan(store, scanId);
    if (!current) throw new Error(`no scan with id ${scanId}`);
    const marks = await readFindingMarks(store, scanId);
    const baseline = baselineId !== undefined ? await getScan(store, baselineId) : undefined;
    if (baselineId !== undefined && !baseline) throw new Error(`no scan with id ${baselineId}`);
    if (baseline && !hasFindings(baseline.state)) throw new Error(`scan ${baseline.id} ${baseline.state}: it has no findings to compare with`);
    const diff = compareScans(
      { coverage: current.coverage, findings: marks },
      baseline ? { coverage: baseline.coverage, findings: await readFindingMarks(store, baseline.id) } : undefined,
    );
    // With nothing to compare against, no finding is "new" or "unchanged": both stay empty.
    if (!baseline) return { scanId, new: [], unchanged: [], resolved: [], findings: diff.findings };
    const ids = marks.map((m) => m.id).sort(byCodePoint);
    const gone = await readFindings(store, baseline.id, [...diff.resolved, ...diff.unknown.map((u) => u.id)]);
    const why = new Map(diff.unknown.map((u) => [u.id, u.reason]));
    return {
      scanId,
      previous: baseline,
      new: ids.filter((id) => diff.findings.get(id)?.comparison === "new"),
      unchanged: ids.filter((id) => diff.findings.get(id)?.comparison === "unchanged"),
      unknown: ids.filter((id) => diff.findings.get(id)?.comparison === "unknown").map((id) => ({ id, reason: diff.findings.get(id)!.reason ?? "" })),
      resolved: gone.filter((f) => !why.has(f.id)),
      unverified: gone.filter((f) => why.has(f.id)).map((finding) => ({ finding, reason: why.get(finding.id)! })),
      findings: diff.findings,
    };
  } catch (err) {
    throw storeError(store.location, "compare scans", err, StorePart.ScanHistory);
  }
}

/** Compares a scan with its default baseline (defaultBaseline). */
export async function compareWithPrevious(store: Store, scanId: number): Promise<ScanComparison> {
  const baseline = await defaultBaseline(store, scanId);
  const { findings: _findings, ...comparison } = await compareScanWith(store, scanId, baseline?.id);
  return comparison;
}
