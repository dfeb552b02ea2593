import { afterAll, describe, expect, it } from "vitest";
import { SourceKind, SourceState, subscriptionSource, type ScanCoverage, type SourceCoverage } from "@/lib/model/coverage";
import type { Finding, Severity } from "@/lib/model/findings";
import { migrate } from "./migrations";
import { compareScanWith, compareWithPrevious, defaultBaseline, readFindings } from "./scan-comparison";
import { latestScans, listScans, readSnapshot, recordScan, SNAPSHOTS_KEPT, type ScanRecordInput } from "./scans";
import type { SqlDatabase } from "./sql";
import { testDatabases } from "./sql.testing";

const A = "aaaaaaaa-0000-0000-0000-000000000001";
const B = "bbbbbbbb-0000-0000-0000-000000000002";

function finding(id: string, severity: Severity = "high"): Finding {
  return { id, ruleId: "privileged-role-on-workload-identity", severity, baseSeverity: severity, title: id, message: id, evidence: [], fixes: [] };
}
const sub = (id: string, state: SourceCoverage["state"] = SourceState.Read): SourceCoverage => ({
  key: subscriptionSource(id),
  kind: SourceKind.Subscription,
  name: id === A ? "prod" : "shared",
  state,
  ...(state === SourceState.Failed ? { reason: "HTTP 500: The server encountered an internal error", transient: true } : {}),
});
const complete: ScanCoverage = { sources: [sub(A), sub(B)] };
const bFailed: ScanCoverage = { sources: [sub(A), sub(B, SourceState.Failed)] };

/** Findings in A and in B, their sources recorded. */
function scan(day: number, ids: { a?: string[]; b?: string[] }, extra: Partial<ScanRecordInput> = {}): ScanRecordInput {
  const findings = [...(ids.a ?? []).map((id) => finding(id)), ...(ids.b ?? []).map((id) => finding(id, "critical"))];
  const sources = new Map(findings.map((f) => [f.id, [subscriptionSource((ids.a ?? []).includes(f.id) ? A : B)]]));
  return { scannedAt: `2025-01-0${day}T00:00:00Z`, tenantId: "t", source: "test", durationMs: 1, findings, errors: [], scopeKey: "t|server|*", coverage: complete, sources, ...extra };
}

for (const target of testDatabases()) {
  describe(`scans with coverage on ${target.name}`, () => {
    afterAll(() => target.dispose());
    async function fresh(): Promise<SqlDatabase> {
      const db = await target.open();
      await migrate(db);
      await db.run("DELETE FROM scan_jobs");
      await db.run("DELETE FROM scan_findings");
      await db.run("DELETE FROM scans");
      return db;
    }

    it("keeps a scan's state, coverage and snapshot; a failed scan keeps no findings", async () => {
      const db = await fresh();
      const ok = await recordScan(db, scan(1, { a: ["x"] }, { snapshot: { encoding: "gzip+base64", data: "H4sI" }, jobId: "j1", startedAt: "2025-01-01T00:00:00Z" }));
      const failed = await recordScan(db, scan(2, { a: ["ignored"] }, { state: "failed", failure: "could not authenticate", coverage: undefined }));
      const [last, first] = await listScans(db, 10, { scopeKey: "t|server|*" });
      expect(first).toMatchObject({ id: ok.scanId, state: "succeeded", coverage: complete, jobId: "j1", counts: { total: 1 } });
      expect(last).toMatchObject({ id: failed.scanId, state: "failed", failure: "could not authenticate", counts: { total: 0 } });
      expect(await readFindings(db, failed.scanId)).toEqual([]);
      expect(await readSnapshot(db, ok.scanId)).toEqual({ encoding: "gzip+base64", data: "H4sI" });
      expect(await latestScans(db, "t|server|*")).toMatchObject({ latest: { id: failed.scanId }, complete: { id: ok.scanId }, withFindings: { id: ok.scanId } });
    });

    it("never calls a finding resolved or new where the new scan could not read its source; unverified findings come back as stored", async () => {
      const db = await fresh();
      const before = await recordScan(db, scan(1, { a: ["a1", "a-gone"], b: ["b-crit"] }));
      const partial = await recordScan(db, scan(2, { a: ["a1", "a-new"], b: ["b-appeared"] }, { state: "partial", coverage: bFailed }));
      const cmp = await compareScanWith(db, partial.scanId, before.scanId);
      expect(cmp.unchanged).toEqual(["a1"]);
      expect(cmp.new).toEqual(["a-new"]);
      expect(cmp.resolved.map((f) => f.id)).toEqual(["a-gone"]);
      expect(cmp.unverified!.map((u) => u.finding)).toEqual([finding("b-crit", "critical")]);
      expect(cmp.unverified![0]!.reason).toMatch(/this scan could not read subscription shared \(HTTP 500/);
      expect(cmp.unknown).toEqual([{ id: "b-appeared", reason: expect.stringContaining("this scan could not read subscription shared") }]);
      expect(cmp.findings.get("b-appeared")?.comparison).toBe("unknown");
    });

    it("compares a scan with the last complete scan of its scope by default, skipping partial ones", async () => {
      const db = await fresh();
      const a = await recordScan(db, scan(1, { a: ["a1"], b: ["b1"] }));
      await recordScan(db, scan(2, { a: ["a1"] }, { state: "partial", coverage: bFailed }));
      await recordScan(db, scan(3, {}, { state: "failed", coverage: undefined }));
      await recordScan(db, scan(4, { a: ["a1"], b: ["b1"] }, { scopeKey: "other-scope" }));
      const c = await recordScan(db, scan(5, { a: ["a1"], b: ["b1"] }));
      expect((await defaultBaseline(db, c.scanId))?.id).toBe(a.scanId);
      expect(await compareWithPrevious(db, c.scanId)).toMatchObject({ new: [], unchanged: ["a1", "b1"], resolved: [], unknown: [], unverified: [] });
      await expect(compareScanWith(db, c.scanId, (await listScans(db, 10)).find((s) => s.state === "failed")!.id)).rejects.toThrow(/failed: it has no findings to compare with/);
    });

    it("keeps the newest complete scan of a scope whatever the retention, and snapshots of the newest few", async () => {
      const db = await fresh();
      const snapshot = { encoding: "gzip+base64", data: "x" };
      const good = await recordScan(db, scan(1, { a: ["a1"] }, { snapshot }), { keep: 2 });
      for (let day = 2; day <= 6; day++) await recordScan(db, scan(day, { a: ["a1"] }, { state: "partial", coverage: bFailed, snapshot }), { keep: 2 });
      const kept = await listScans(db, 10);
      expect(kept.map((s) => s.scannedAt)).toEqual(["2025-01-06T00:00:00Z", "2025-01-05T00:00:00Z", "2025-01-01T00:00:00Z"]);
      expect(await readSnapshot(db, good.scanId)).toEqual(snapshot);
      const snapshots = await db.all<{ scan_id: number }>("SELECT scan_id FROM scan_snapshots");
      expect(snapshots.length).toBeLessThanOrEqual(SNAPSHOTS_KEPT + 1);
    });
  });
}
