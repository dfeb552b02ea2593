import "server-only";
import { hasFindings, ScanState, type ScanCoverage, type SourceKey } from "@/lib/model/coverage";
import type { Finding, Severity } from "@/lib/model/findings";
import type { SourceError } from "@/lib/model/types";
import { storeError, StorePart, type Store } from "./db";
import type { SqlExecutor } from "./sql";

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
  /** How the scan ended (default succeeded); failed and cancelled scans keep no findings. */
  state?: ScanState;
  /** What it read, per source. */
  coverage?: ScanCoverage;
  /** Tenant + viewer + subscription selection (lib/scan/scope.ts): scans compare within one scope. */
  scopeKey?: string;
  jobId?: string;
  startedAt?: string;
  /** Why a failed or cancelled scan ended. */
  failure?: string;
  /** The sources each finding rests on, by finding id (lib/rules/sources.ts). */
  sources?: ReadonlyMap<string, readonly SourceKey[]>;
  /** What the scan read (its wire collection, encoded), so the scan can be shown again after a restart. */
  snapshot?: { encoding: string; data: string };
}

/**
 * Scans kept per tenant. Each scan stores every finding's JSON (tens of thousands on a large
 * tenant), so the history is bounded; the newest complete scan of a scope is always kept.
 */
export const DEFAULT_SCANS_KEPT = 50;
/** Snapshots (everything a scan read) kept per scope: the newest few, and the newest complete one. */
export const SNAPSHOTS_KEPT = 3;

export interface ScanSummary {
  id: number;
  scannedAt: string;
  tenantId?: string;
  viewer: string;
  source: string;
  durationMs: number;
  recordedAt: string;
  counts: SeverityCounts;
  errors: SourceError[];
  state: ScanState;
  coverage?: ScanCoverage;
  scopeKey?: string;
  jobId?: string;
  startedAt?: string;
  failure?: string;
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
  state: ScanState;
  coverage: string | null;
  scope_key: string | null;
  job_id: string | null;
  started_at: string | null;
  failure: string | null;
}

export function toSummary(row: ScanRow): ScanSummary {
  const summary: ScanSummary = {
    id: Number(row.id),
    scannedAt: row.scanned_at,
    viewer: row.viewer,
    source: row.source,
    durationMs: Number(row.duration_ms),
    recordedAt: row.recorded_at,
    counts: JSON.parse(row.counts) as SeverityCounts,
    errors: JSON.parse(row.errors) as SourceError[],
    state: row.state,
  };
  if (row.tenant_id !== null) summary.tenantId = row.tenant_id;
  if (row.coverage !== null) summary.coverage = JSON.parse(row.coverage) as ScanCoverage;
  if (row.scope_key !== null) summary.scopeKey = row.scope_key;
  if (row.job_id !== null) summary.jobId = row.job_id;
  if (row.started_at !== null) summary.startedAt = row.started_at;
  if (row.failure !== null) summary.failure = row.failure;
  return summary;
}

const withFindings = (state: ScanState | undefined) => state === undefined || hasFindings(state);

/**
 * Records a scan and its findings in one transaction. Returns the scan's id and whether this
 * call stored it: a scan already recorded (same scannedAt, tenant and viewer) is left as it
 * was — the unique index decides, so two processes recording the same scan agree.
 */
export async function recordScan(store: Store, input: ScanRecordInput, options: { keep?: number } = {}): Promise<{ scanId: number; created: boolean }> {
  try {
    return await store.transaction((tx) => insertScan(tx, input, options.keep));
  } catch (err) {
    throw storeError(store.location, "record the scan", err, StorePart.ScanHistory);
  }
}

/** recordScan's body, for callers that record a scan inside their own transaction (an interrupted job). */
export async function insertScan(tx: SqlExecutor, input: ScanRecordInput, keepScans?: number): Promise<{ scanId: number; created: boolean }> {
  const keep = Math.max(2, keepScans ?? DEFAULT_SCANS_KEPT);
  const tenant = input.tenantId ?? null;
  const viewer = input.viewer ?? "server";
  const findings = withFindings(input.state) ? input.findings : [];
  const inserted = await tx.get<{ id: number }>(
    `INSERT INTO scans (scanned_at, tenant_id, viewer, source, duration_ms, recorded_at, counts, errors, state, coverage, scope_key, job_id, started_at, failure)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING RETURNING id`,
    [
      input.scannedAt,
      tenant,
      viewer,
      input.source,
      Math.round(input.durationMs),
      new Date().toISOString(),
      JSON.stringify(countBySeverity(findings)),
      JSON.stringify(input.errors),
      input.state ?? ScanState.Succeeded,
      input.coverage ? JSON.stringify(input.coverage) : null,
      input.scopeKey ?? null,
      input.jobId ?? null,
      input.startedAt ?? null,
      input.failure ?? null,
    ],
  );
  if (!inserted) {
    const existing = await tx.get<{ id: number }>("SELECT id FROM scans WHERE scanned_at = ? AND tenant_id IS NOT DISTINCT FROM ? AND viewer = ?", [input.scannedAt, tenant, viewer]);
    return { scanId: Number(existing!.id), created: false };
  }
  const scanId = Number(inserted.id);
  await tx.insertMany(
    "scan_findings",
    ["scan_id", "finding_id", "rule_id", "severity", "data", "sources"],
    findings.map((f) => [scanId, f.id, f.ruleId, f.severity, JSON.stringify(f), input.sources?.has(f.id) ? JSON.stringify(input.sources.get(f.id)) : null]),
    "ignore",
  );
  if (input.snapshot) await tx.run("INSERT INTO scan_snapshots (scan_id, encoding, data) VALUES (?, ?, ?)", [scanId, input.snapshot.encoding, input.snapshot.data]);
  // The newest complete scan of each scope outlives the rest: it is what people are shown.
  const newestComplete = "SELECT max(id) FROM scans WHERE state = 'succeeded' AND scope_key IS NOT NULL GROUP BY scope_key";
  // Oldest first out; scan_findings and snapshots go with their scan (ON DELETE CASCADE).
  await tx.run(
    `DELETE FROM scans WHERE tenant_id IS NOT DISTINCT FROM ? AND viewer = ? AND id NOT IN (${newestComplete})
     AND id NOT IN (SELECT id FROM scans WHERE tenant_id IS NOT DISTINCT FROM ? AND viewer = ? ORDER BY scanned_at DESC, id DESC LIMIT ?)`,
    [tenant, viewer, tenant, viewer, keep],
  );
  if (input.scopeKey) {
    await tx.run(
      `DELETE FROM scan_snapshots WHERE scan_id IN (SELECT id FROM scans WHERE scope_key = ?) AND scan_id NOT IN (${newestComplete})
       AND scan_id NOT IN (SELECT id FROM scans WHERE scope_key = ? ORDER BY scanned_at DESC, id DESC LIMIT ?)`,
      [input.scopeKey, input.scopeKey, SNAPSHOTS_KEPT],
    );
  }
  return { scanId, created: true };
}

export async function getScan(store: Store, scanId: number): Promise<ScanSummary | undefined> {
  try {
    const row = await store.get<ScanRow>("SELECT * FROM scans WHERE id = ?", [scanId]);
    return row ? toSummary(row) : undefined;
  } catch (err) {
    throw storeError(store.location, "read the scan history", err, StorePart.ScanHistory);
  }
}

/** Most recent first; of one scope when `scopeKey` is given. */
export async function listScans(store: Store, limit = 50, filter: { scopeKey?: string } = {}): Promise<ScanSummary[]> {
  try {
    const rows = filter.scopeKey
      ? await store.all<ScanRow>("SELECT * FROM scans WHERE scope_key = ? ORDER BY scanned_at DESC, id DESC LIMIT ?", [filter.scopeKey, limit])
      : await store.all<ScanRow>("SELECT * FROM scans ORDER BY scanned_at DESC, id DESC LIMIT ?", [limit]);
    return rows.map(toSummary);
  } catch (err) {
    throw storeError(store.location, "read the scan history", err, StorePart.ScanHistory);
  }
}

/** The scope's newest scan (any state) and newest complete one: what people are shown, and whether it is stale. */
export async function latestScans(store: Store, scopeKey: string): Promise<{ latest?: ScanSummary; complete?: ScanSummary; withFindings?: ScanSummary }> {
  try {
    const pick = async (where: string) => {
      const row = await store.get<ScanRow>(`SELECT * FROM scans WHERE scope_key = ? ${where} ORDER BY scanned_at DESC, id DESC LIMIT 1`, [scopeKey]);
      return row ? toSummary(row) : undefined;
    };
    const [latest, complete, partial] = await Promise.all([pick(""), pick("AND state = 'succeeded'"), pick("AND state IN ('succeeded', 'partial')")]);
    return { latest, complete, withFindings: partial };
  } catch (err) {
    throw storeError(store.location, "read the scan history", err, StorePart.ScanHistory);
  }
}

/** What a scan read, as recorded (undefined when it kept none: failed, cancelled, or aged out). */
export async function readSnapshot(store: Store, scanId: number): Promise<{ encoding: string; data: string } | undefined> {
  try {
    return await store.get<{ encoding: string; data: string }>("SELECT encoding, data FROM scan_snapshots WHERE scan_id = ?", [scanId]);
  } catch (err) {
    throw storeError(store.location, "read what a scan read", err, StorePart.ScanHistory);
  }
}

/** When the newest complete scan of any scope was taken (readiness probes), or undefined before the first. */
export async function lastCompletedScanAt(store: Store): Promise<string | undefined> {
  try {
    return (await store.get<{ at: string | null }>("SELECT max(scanned_at) AS at FROM scans WHERE state = 'succeeded'"))?.at ?? undefined;
  } catch (err) {
    throw storeError(store.location, "read the scan history", err, StorePart.ScanHistory);
  }
}
