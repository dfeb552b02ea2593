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
 * call stored it: a scan already recorded (same scannedAt, tenant and viewer) is left as it
 * was — the unique index decides, so two processes recording the same scan agree.
 */
export async function recordScan(store: Store, input: ScanRecordInput, options: { keep?: number } = {}): Promise<{ scanId: number; created: boolean }> {
  const keep = Math.max(2, options.keep ?? DEFAULT_SCANS_KEPT);
  const tenant = input.tenantId ?? null;
  const viewer = input.viewer ?? "server";
  try {
    return await store.transaction(async (tx) => {
      const inserted = await tx.get<{ id: number }>(
        "INSERT INTO scans (scanned_at, tenant_id, viewer, source, duration_ms, recorded_at, counts, errors) VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id",
        [input.scannedAt, tenant, viewer, input.source, Math.round(input.durationMs), new Date().toISOString(), JSON.stringify(countBySeverity(input.findings)), JSON.stringify(input.errors)],
      );
      if (!inserted) {
        const existing = await tx.get<{ id: number }>("SELECT id FROM scans WHERE scanned_at = ? AND tenant_id IS NOT DISTINCT FROM ? AND viewer = ?", [input.scannedAt, tenant, viewer]);
        return { scanId: Number(existing!.id), created: false };
      }
      const scanId = Number(inserted.id);
      await tx.insertMany(
        "scan_findings",
        ["scan_id", "finding_id", "rule_id", "severity", "data"],
        input.findings.map((f) => [scanId, f.id, f.ruleId, f.severity, JSON.stringify(f)]),
        "ignore",
      );
      // Oldest first out; scan_findings rows go with their scan (ON DELETE CASCADE).
      await tx.run(
        "DELETE FROM scans WHERE tenant_id IS NOT DISTINCT FROM ? AND viewer = ? AND id NOT IN (SELECT id FROM scans WHERE tenant_id IS NOT DISTINCT FROM ? AND viewer = ? ORDER BY scanned_at DESC, id DESC LIMIT ?)",
        [tenant, viewer, tenant, viewer, keep],
      );
      return { scanId, created: true };
    });
  } catch (err) {
    throw storeError(store.location, "record the scan", err, StorePart.ScanHistory);
  }
}

export async function getScan(store: Store, scanId: number): Promise<ScanSummary | undefined> {
  try {
    const row = await store.get<ScanRow>("SELECT * FROM scans WHERE id = ?", [scanId]);
    return row ? toSummary(row) : undefined;
  } catch (err) {
    throw storeError(store.location, "read the scan history", err, StorePart.ScanHistory);
  }
}

/** Most recent first. */
export async function listScans(store: Store, limit = 50): Promise<ScanSummary[]> {
  try {
    const rows = await store.all<ScanRow>("SELECT * FROM scans ORDER BY scanned_at DESC, id DESC LIMIT ?", [limit]);
    return rows.map(toSummary);
  } catch (err) {
    throw storeError(store.location, "read the scan history", err, StorePart.ScanHistory);
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

const byCodePoint = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const severityIndex = (s: string) => {
  const i = SEVERITY_ORDER.indexOf(s as Severity);
  return i < 0 ? SEVERITY_ORDER.length : i;
};

/**
 * Compares a scan with the same viewer's previous scan of the tenant. Scans of other tenants,
 * or by other people (who see other parts of it), are never compared: their findings are
 * unrelated, not "resolved". Reads only ids, and the stored findings of those resolved.
 */
export async function compareWithPrevious(store: Store, scanId: number): Promise<ScanComparison> {
  try {
    const current = await store.get<ScanRow>("SELECT * FROM scans WHERE id = ?", [scanId]);
    if (!current) throw new Error(`no scan with id ${scanId}`);
    const previousRow = await store.get<ScanRow>(
      "SELECT * FROM scans WHERE tenant_id IS NOT DISTINCT FROM ? AND viewer = ? AND (scanned_at < ? OR (scanned_at = ? AND id < ?)) ORDER BY scanned_at DESC, id DESC LIMIT 1",
      [current.tenant_id, current.viewer, current.scanned_at, current.scanned_at, scanId],
    );
    // With nothing to compare against, no finding is "new" or "unchanged": both stay empty.
    if (!previousRow) return { scanId, new: [], unchanged: [], resolved: [] };
    // Sorted here, not by the database: SQLite and PostgreSQL collate text differently.
    const currentIds = (await store.all<{ finding_id: string }>("SELECT finding_id FROM scan_findings WHERE scan_id = ?", [scanId])).map((r) => r.finding_id).sort(byCodePoint);
    const previousIds = new Set((await store.all<{ finding_id: string }>("SELECT finding_id FROM scan_findings WHERE scan_id = ?", [previousRow.id])).map((r) => r.finding_id));
    const resolvedRows = await store.all<{ finding_id: string; severity: string; data: string }>(
      "SELECT p.finding_id, p.severity, p.data FROM scan_findings p WHERE p.scan_id = ? AND NOT EXISTS (SELECT 1 FROM scan_findings c WHERE c.scan_id = ? AND c.finding_id = p.finding_id)",
      [previousRow.id, scanId],
    );
    resolvedRows.sort((a, b) => severityIndex(a.severity) - severityIndex(b.severity) || (a.finding_id < b.finding_id ? -1 : 1));
    return {
      scanId,
      previous: toSummary(previousRow),
      new: currentIds.filter((id) => !previousIds.has(id)),
      unchanged: currentIds.filter((id) => previousIds.has(id)),
      resolved: resolvedRows.map((r) => JSON.parse(r.data) as Finding),
    };
  } catch (err) {
    throw storeError(store.location, "compare scans", err, StorePart.ScanHistory);
  }
}
