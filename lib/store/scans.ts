import "server-only";
import { SEVERITY_ORDER, type Finding, type Severity } from "@/lib/model/findings";
import type { SourceError } from "@/lib/model/types";
import { storeError, StorePart, type Store } from "./db";

export type SeverityCounts = Record<Severity, number> & { total: number };

export function countBySeverity(findings: readonly Finding[]): SeverityCounts {
  const counts = { critical: 0, high: 0, medium: 0, low: 0, total: findings.length };
  for (const f of findings) counts[f.severity] += 1;
  return counts;
}

export interface ScanRecordInput {
  /** Inventory.scannedAt: the scan's identity; recording the same one again is a no-op. */
  scannedAt: string;
  tenantId?: string;
  /** Whose rights the scan ran with: "server" (the app's own credential) or "user:<object id>". */
  viewer?: string;
  source: string;
  durationMs: number;
  findings: readonly Finding[];
  errors: readonly SourceError[];
}

/**
 * Scans kept per tenant. Each scan stores every finding's JSON (tens of thousands on a large
 * tenant), so the history is bounded; comparisons only ever need the newest two.
 */
export const DEFAULT_SCANS_KEPT = 50;

export interface ScanSummary {
  id: number;
  scannedAt: string;
  tenantId?: string;
  source: string;
  durationMs: number;
  recordedAt: string;
  counts: SeverityCounts;
  errors: SourceError[];
}

interface ScanRow {
  id: number;
  scanned_at: string;
  tenant_id: string | null;
  viewer: string;
  source: string;
  duration_ms: number;
  recorded_at: string;
  counts: string;
  errors: string;
}

function toSummary(row: ScanRow): ScanSummary {
  const summary: ScanSummary = {
    id: row.id,
    scannedAt: row.scanned_at,
    source: row.source,
    durationMs: row.duration_ms,
    recordedAt: row.recorded_at,
    counts: JSON.parse(row.counts) as SeverityCounts,
    errors: JSON.parse(row.errors) as SourceError[],
  };
  if (row.tenant_id !== null) summary.tenantId = row.tenant_id;
  return summary;
}

/**
 * Records a scan and its findings in one transaction. Returns the scan's id and whether this
 * call stored it: a scan already recorded (same scannedAt and tenant) is left as it was.
 */
export function recordScan(store: Store, input: ScanRecordInput, options: { keep?: number } = {}): { scanId: number; created: boolean } {
  const keep = Math.max(2, options.keep ?? DEFAULT_SCANS_KEPT);
  const tenant = input.tenantId ?? null;
  const viewer = input.viewer ?? "server";
  const write = store.transaction(() => {
    const existing = store.prepare("SELECT id FROM scans WHERE scanned_at = ? AND tenant_id IS ? AND viewer = ?").get(input.scannedAt, tenant, viewer) as { id: number } | undefined;
    if (existing) return { scanId: existing.id, created: false };
    const info = store
      .prepare("INSERT INTO scans (scanned_at, tenant_id, viewer, source, duration_ms, recorded_at, counts, errors) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .run(input.scannedAt, tenant, viewer, input.source, Math.round(input.durationMs), new Date().toISOString(), JSON.stringify(countBySeverity(input.findings)), JSON.stringify(input.errors));
    const scanId = Number(info.lastInsertRowid);
    const insert = store.prepare("INSERT OR IGNORE INTO scan_findings (scan_id, finding_id, rule_id, severity, data) VALUES (?, ?, ?, ?, ?)");
    for (const f of input.findings) insert.run(scanId, f.id, f.ruleId, f.severity, JSON.stringify(f));
    // Oldest first out; scan_findings rows go with their scan (ON DELETE CASCADE).
    store
      .prepare(
        "DELETE FROM scans WHERE tenant_id IS ? AND viewer = ? AND id NOT IN (SELECT id FROM scans WHERE tenant_id IS ? AND viewer = ? ORDER BY scanned_at DESC, id DESC LIMIT ?)",
      )
      .run(tenant, viewer, tenant, viewer, keep);
    return { scanId, created: true };
  });
  try {
    // IMMEDIATE takes the write lock up front, so two processes recording the same scan
    // serialise on the lock instead of both passing the "already recorded?" check.
    return write.immediate();
  } catch (err) {
    throw storeError(store.file, "record the scan", err, StorePart.ScanHistory);
  }
}

export function getScan(store: Store, scanId: number): ScanSummary | undefined {
  try {
    const row = store.prepare("SELECT * FROM scans WHERE id = ?").get(scanId) as ScanRow | undefined;
    return row ? toSummary(row) : undefined;
  } catch (err) {
    throw storeError(store.file, "read the scan history", err, StorePart.ScanHistory);
  }
}

/** Most recent first. */
export function listScans(store: Store, limit = 50): ScanSummary[] {
  try {
    const rows = store.prepare("SELECT * FROM scans ORDER BY scanned_at DESC, id DESC LIMIT ?").all(limit) as ScanRow[];
    return rows.map(toSummary);
  } catch (err) {
    throw storeError(store.file, "read the scan history", err, StorePart.ScanHistory);
  }
}

export interface ScanComparison {
  scanId: number;
  /** The scan compared against; undefined for the first scan of a tenant (then every list is empty). */
  previous?: ScanSummary;
  /** Finding ids absent from the previous scan. */
  new: string[];
  /** Finding ids present in both. */
  unchanged: string[];
  /** Findings of the previous scan that are gone now, as they were stored then. */
  resolved: Finding[];
}

const severityIndex = (s: string) => {
  const i = SEVERITY_ORDER.indexOf(s as Severity);
  return i < 0 ? SEVERITY_ORDER.length : i;
};

/**
 * Compares a scan with the same viewer's previous scan of the tenant. Scans of other tenants,
 * or by other people (who see other parts of it), are never compared: their findings are
 * unrelated, not "resolved".
 */
export function compareWithPrevious(store: Store, scanId: number): ScanComparison {
  try {
    const current = store.prepare("SELECT * FROM scans WHERE id = ?").get(scanId) as ScanRow | undefined;
    if (!current) throw new Error(`no scan with id ${scanId}`);
    const previousRow = store
      .prepare(
        "SELECT * FROM scans WHERE tenant_id IS ? AND viewer = ? AND (scanned_at < ? OR (scanned_at = ? AND id < ?)) ORDER BY scanned_at DESC, id DESC LIMIT 1",
      )
      .get(current.tenant_id, current.viewer, current.scanned_at, current.scanned_at, scanId) as ScanRow | undefined;
    // With nothing to compare against, no finding is "new" or "unchanged": both stay empty.
    if (!previousRow) return { scanId, new: [], unchanged: [], resolved: [] };
    const currentIds = store.prepare("SELECT finding_id FROM scan_findings WHERE scan_id = ? ORDER BY finding_id").pluck().all(scanId) as string[];
    const previousIds = new Set(store.prepare("SELECT finding_id FROM scan_findings WHERE scan_id = ?").pluck().all(previousRow.id) as string[]);
    const currentSet = new Set(currentIds);
    const resolvedRows = (
      store.prepare("SELECT finding_id, severity, data FROM scan_findings WHERE scan_id = ?").all(previousRow.id) as { finding_id: string; severity: string; data: string }[]
    ).filter((r) => !currentSet.has(r.finding_id));
    resolvedRows.sort((a, b) => severityIndex(a.severity) - severityIndex(b.severity) || (a.finding_id < b.finding_id ? -1 : 1));
    return {
      scanId,
      previous: toSummary(previousRow),
      new: currentIds.filter((id) => !previousIds.has(id)),
      unchanged: currentIds.filter((id) => previousIds.has(id)),
      resolved: resolvedRows.map((r) => JSON.parse(r.data) as Finding),
    };
  } catch (err) {
    throw storeError(store.file, "compare scans", err, StorePart.ScanHistory);
  }
}
