import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Finding, Severity } from "@/lib/model/findings";
import { migrate, migrations, openStore, STORE_FILE_NAME, StoreError, type Store } from "./db";
import { compareWithPrevious, listScans, recordScan, type ScanRecordInput } from "./scans";

function finding(id: string, severity: Severity = "medium", ruleId = "unused-identity"): Finding {
  return { id, ruleId, severity, baseSeverity: severity, title: `title ${id}`, message: `message ${id}`, evidence: [{ source: "/x", fact: "f" }], fixes: [] };
}

function scan(scannedAt: string, findings: Finding[], extra: Partial<ScanRecordInput> = {}): ScanRecordInput {
  return { scannedAt, tenantId: "tenant-a", source: "test", durationMs: 12.4, findings, errors: [], ...extra };
}

let dir: string;
const open: Store[] = [];
const openTracked = (opts: Partial<Parameters<typeof openStore>[0]> = {}) => {
  const s = openStore({ dataDir: dir, ...opts });
  open.push(s);
  return s;
};

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "scopewise-store-"));
});
afterEach(() => {
  for (const s of open.splice(0)) if (s.open) s.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("openStore", () => {
  it("creates the data directory and the database file on first use, in WAL mode", () => {
    const nested = path.join(dir, "a", "b");
    const store = openTracked({ dataDir: nested });
    expect(fs.existsSync(path.join(nested, STORE_FILE_NAME))).toBe(true);
    expect(store.file).toBe(path.join(nested, STORE_FILE_NAME));
    expect(store.pragma("journal_mode", { simple: true })).toBe("wal");
    const tables = store.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all();
    expect(tables).toEqual(expect.arrayContaining(["migrations", "scans", "scan_findings"]));
  });

  it("applies each migration once however often the store is opened", () => {
    openTracked().close();
    const again = openTracked();
    expect(again.prepare("SELECT version FROM migrations").pluck().all()).toEqual(migrations.map((m) => m.version));
    expect(migrate(again)).toBe(migrations.length);
    expect(again.prepare("SELECT count(*) FROM migrations").pluck().get()).toBe(migrations.length);
  });

  it("applies only the migrations newer than the file's version", () => {
    openTracked().close();
    const next = [...migrations, { version: migrations.length + 1, name: "audit", sql: "CREATE TABLE audit (id INTEGER PRIMARY KEY)" }];
    const store = openTracked({ migrations: next });
    expect(store.prepare("SELECT name FROM migrations ORDER BY version").pluck().all()).toEqual(next.map((m) => m.name));
    expect(store.prepare("SELECT name FROM sqlite_master WHERE name = 'audit'").pluck().get()).toBe("audit");
  });

  it("rolls back a failing migration and names the file", () => {
    const bad = [...migrations, { version: 99, name: "broken", sql: "CREATE TABLE ok1 (id INTEGER); CREATE TABLE scans (x)" }];
    expect(() => openTracked({ migrations: bad })).toThrow(StoreError);
    const store = openTracked();
    expect(store.prepare("SELECT max(version) FROM migrations").pluck().get()).toBe(migrations.length);
    expect(store.prepare("SELECT name FROM sqlite_master WHERE name = 'ok1'").pluck().get()).toBeUndefined();
  });

  it("says which file is corrupt instead of failing obscurely", () => {
    fs.writeFileSync(path.join(dir, STORE_FILE_NAME), "this is not a database, just some text that is long enough to fill a header".repeat(20));
    let error: unknown;
    try {
      openTracked();
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).file).toBe(path.join(dir, STORE_FILE_NAME));
    expect((error as Error).message).toContain(path.join(dir, STORE_FILE_NAME));
    expect((error as Error).message).toMatch(/not a valid SQLite database/);
  });

  it("reports a database locked by another process, naming the file", () => {
    const store = openTracked({ busyTimeoutMs: 50 });
    const other = new Database(path.join(dir, STORE_FILE_NAME));
    try {
      other.exec("BEGIN EXCLUSIVE");
      expect(() => recordScan(store, scan("2025-01-01T00:00:00Z", [finding("a")]))).toThrow(
        new RegExp(`${path.join(dir, STORE_FILE_NAME).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}.*locked by another process`),
      );
    } finally {
      other.exec("ROLLBACK");
      other.close();
    }
    expect(recordScan(store, scan("2025-01-01T00:00:00Z", [finding("a")])).created).toBe(true);
  });
});

describe("recordScan / compareWithPrevious", () => {
  it("records a scan with its findings and severity counts", () => {
    const store = openTracked();
    const { scanId, created } = recordScan(store, scan("2025-01-01T00:00:00Z", [finding("a", "high"), finding("b", "low"), finding("c", "high")], { errors: [{ source: "kubernetes:pods", message: "timeout" }] }));
    expect(created).toBe(true);
    const [summary] = listScans(store);
    expect(summary).toMatchObject({ id: scanId, scannedAt: "2025-01-01T00:00:00Z", tenantId: "tenant-a", durationMs: 12 });
    expect(summary!.counts).toEqual({ critical: 0, high: 2, medium: 0, low: 1, total: 3 });
    expect(summary!.errors).toEqual([{ source: "kubernetes:pods", message: "timeout" }]);
    expect(store.prepare("SELECT finding_id FROM scan_findings WHERE scan_id = ? ORDER BY finding_id").pluck().all(scanId)).toEqual(["a", "b", "c"]);
  });

  it("does not record the same inventory twice", () => {
    const store = openTracked();
    const first = recordScan(store, scan("2025-01-01T00:00:00Z", [finding("a")]));
    const again = recordScan(store, scan("2025-01-01T00:00:00Z", [finding("a"), finding("b")]));
    expect(again).toEqual({ scanId: first.scanId, created: false });
    expect(listScans(store)).toHaveLength(1);
    expect(store.prepare("SELECT count(*) FROM scan_findings").pluck().get()).toBe(1);
  });

  it("marks nothing new or resolved on a tenant's first scan", () => {
    const store = openTracked();
    const { scanId } = recordScan(store, scan("2025-01-01T00:00:00Z", [finding("a")]));
    expect(compareWithPrevious(store, scanId)).toEqual({ scanId, new: [], unchanged: [], resolved: [] });
  });

  it("splits findings into new and unchanged and lists the resolved ones as stored", () => {
    const store = openTracked();
    recordScan(store, scan("2025-01-01T00:00:00Z", [finding("a", "high"), finding("b", "low"), finding("gone-low", "low"), finding("gone-crit", "critical")]));
    const second = recordScan(store, scan("2025-01-02T00:00:00Z", [finding("a", "high"), finding("b", "low"), finding("c", "medium")]));
    const cmp = compareWithPrevious(store, second.scanId);
    expect(cmp.previous?.scannedAt).toBe("2025-01-01T00:00:00Z");
    expect(cmp.new).toEqual(["c"]);
    expect(cmp.unchanged).toEqual(["a", "b"]);
    // Most severe first, with the full finding as it was in the previous scan.
    expect(cmp.resolved.map((f) => f.id)).toEqual(["gone-crit", "gone-low"]);
    expect(cmp.resolved[0]).toMatchObject({ severity: "critical", message: "message gone-crit", evidence: [{ source: "/x", fact: "f" }] });
  });

  it("compares with the scan just before, not the first one", () => {
    const store = openTracked();
    recordScan(store, scan("2025-01-01T00:00:00Z", [finding("a")]));
    recordScan(store, scan("2025-01-02T00:00:00Z", [finding("b")]));
    const third = recordScan(store, scan("2025-01-03T00:00:00Z", [finding("b"), finding("c")]));
    const cmp = compareWithPrevious(store, third.scanId);
    expect(cmp.previous?.scannedAt).toBe("2025-01-02T00:00:00Z");
    expect(cmp).toMatchObject({ new: ["c"], unchanged: ["b"], resolved: [] });
  });

  it("never compares scans of different tenants", () => {
    const store = openTracked();
    recordScan(store, scan("2025-01-01T00:00:00Z", [finding("a")], { tenantId: "tenant-a" }));
    const other = recordScan(store, scan("2025-01-02T00:00:00Z", [finding("b")], { tenantId: "tenant-b" }));
    const cmp = compareWithPrevious(store, other.scanId);
    expect(cmp.previous).toBeUndefined();
    expect(cmp.resolved).toEqual([]);
  });

  it("compares a person's scan only with that person's previous scan (they see different parts of the tenant)", () => {
    const store = openTracked();
    recordScan(store, scan("2025-01-01T00:00:00Z", [finding("a"), finding("b")], { viewer: "user:dana" }));
    const bob = recordScan(store, scan("2025-01-02T00:00:00Z", [finding("a")], { viewer: "user:bob" }));
    // Bob cannot see "b": it is not resolved for him, he simply has no earlier scan.
    expect(compareWithPrevious(store, bob.scanId)).toMatchObject({ new: [], unchanged: [], resolved: [] });
    expect(compareWithPrevious(store, bob.scanId).previous).toBeUndefined();
    const dana = recordScan(store, scan("2025-01-03T00:00:00Z", [finding("a")], { viewer: "user:dana" }));
    expect(compareWithPrevious(store, dana.scanId).resolved.map((f) => f.id)).toEqual(["b"]);
  });

  it("keeps only the newest scans of a tenant, with their findings", () => {
    const store = openTracked();
    for (let day = 1; day <= 4; day++) recordScan(store, scan(`2025-01-0${day}T00:00:00Z`, [finding(`f${day}`)]), { keep: 2 });
    recordScan(store, scan("2025-01-01T00:00:00Z", [finding("other")], { tenantId: "tenant-b" }), { keep: 2 });
    expect(listScans(store).map((s) => `${s.tenantId} ${s.scannedAt}`)).toEqual(["tenant-a 2025-01-04T00:00:00Z", "tenant-a 2025-01-03T00:00:00Z", "tenant-b 2025-01-01T00:00:00Z"]);
    expect(store.prepare("SELECT finding_id FROM scan_findings ORDER BY finding_id").pluck().all()).toEqual(["f3", "f4", "other"]);
  });

  it("names an unknown scan id", () => {
    const store = openTracked();
    expect(() => compareWithPrevious(store, 42)).toThrow(/no scan with id 42/);
  });

  it("keeps the history across reopening the file", () => {
    const first = openTracked();
    recordScan(first, scan("2025-01-01T00:00:00Z", [finding("a")]));
    first.close();
    const reopened = openTracked();
    const second = recordScan(reopened, scan("2025-01-02T00:00:00Z", []));
    expect(compareWithPrevious(reopened, second.scanId).resolved.map((f) => f.id)).toEqual(["a"]);
  });
});
