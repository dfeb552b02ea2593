import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import Database from "better-sqlite3";
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Finding, Severity } from "@/lib/model/findings";
import { closeStores, openStore, STORE_FILE_NAME, StoreError, type Store } from "./db";
import { migrate, migrations } from "./migrations";
import { compareWithPrevious } from "./scan-comparison";
import { listScans, recordScan, type ScanRecordInput } from "./scans";
import { testDatabases } from "./sql.testing";

/** The newest migration's version (versions may skip numbers another branch will fill). */
const LATEST = migrations[migrations.length - 1]!.version;

function finding(id: string, severity: Severity = "medium", ruleId = "unused-identity"): Finding {
  return { id, ruleId, severity, baseSeverity: severity, title: `title ${id}`, message: `message ${id}`, evidence: [{ source: "/x", fact: "f" }], fixes: [] };
}

function scan(scannedAt: string, findings: Finding[], extra: Partial<ScanRecordInput> = {}): ScanRecordInput {
  return { scannedAt, tenantId: "tenant-a", source: "test", durationMs: 12.4, findings, errors: [], ...extra };
}

let dir: string;
const open: Store[] = [];
const openTracked = async (opts: Partial<Parameters<typeof openStore>[0]> = {}) => {
  const s = await openStore({ dataDir: dir, ...opts });
  open.push(s);
  return s;
};

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "scopewise-store-"));
});
afterEach(async () => {
  for (const s of open.splice(0)) await s.close().catch(() => undefined);
  await closeStores();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe("openStore on SQLite", () => {
  it("creates the data directory and the database file on first use, in WAL mode", async () => {
    const nested = path.join(dir, "a", "b");
    const store = await openTracked({ dataDir: nested });
    expect(fs.existsSync(path.join(nested, STORE_FILE_NAME))).toBe(true);
    expect(store.location).toBe(path.join(nested, STORE_FILE_NAME));
    expect(await store.get("PRAGMA journal_mode")).toEqual({ journal_mode: "wal" });
    const tables = (await store.all<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")).map((r) => r.name);
    expect(tables).toEqual(expect.arrayContaining(["migrations", "scans", "scan_findings", "changes", "change_steps"]));
  });

  it("applies each migration once however often the store is opened", async () => {
    await (await openTracked()).close();
    const again = await openTracked();
    expect((await again.all<{ version: number }>("SELECT version FROM migrations ORDER BY version")).map((r) => r.version)).toEqual(migrations.map((m) => m.version));
    expect(await migrate(again)).toBe(LATEST);
    expect(await again.get("SELECT count(*) AS n FROM migrations")).toEqual({ n: migrations.length });
  });

  it("applies only the migrations newer than the file's version", async () => {
    await (await openTracked()).close();
    const next = [...migrations, { version: LATEST + 1, name: "audit", sqlite: "CREATE TABLE audit (id INTEGER PRIMARY KEY)", postgres: "" }];
    const store = await openTracked({ migrations: next });
    expect((await store.all<{ name: string }>("SELECT name FROM migrations ORDER BY version")).map((r) => r.name)).toEqual(next.map((m) => m.name));
    expect(await store.get("SELECT name FROM sqlite_master WHERE name = 'audit'")).toEqual({ name: "audit" });
  });

  it("rolls back a failing migration and names the file", async () => {
    const bad = [...migrations, { version: 99, name: "broken", sqlite: "CREATE TABLE ok1 (id INTEGER); CREATE TABLE scans (x)", postgres: "" }];
    await expect(openTracked({ migrations: bad })).rejects.toThrow(StoreError);
    const store = await openTracked();
    expect(await store.get("SELECT max(version) AS v FROM migrations")).toEqual({ v: LATEST });
    expect(await store.get("SELECT name FROM sqlite_master WHERE name = 'ok1'")).toBeUndefined();
  });

  it("says which file is corrupt instead of failing obscurely", async () => {
    fs.writeFileSync(path.join(dir, STORE_FILE_NAME), "this is not a database, just some text that is long enough to fill a header".repeat(20));
    const error = await openTracked().then(() => undefined, (err: unknown) => err);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).location).toBe(path.join(dir, STORE_FILE_NAME));
    expect((error as Error).message).toContain(path.join(dir, STORE_FILE_NAME));
    expect((error as Error).message).toMatch(/not a valid SQLite database/);
  });

  it("reports a database locked by another process, naming the file", async () => {
    const store = await openTracked({ busyTimeoutMs: 50 });
    const other = new Database(path.join(dir, STORE_FILE_NAME));
    try {
      other.exec("BEGIN EXCLUSIVE");
      await expect(recordScan(store, scan("2025-01-01T00:00:00Z", [finding("a")]))).rejects.toThrow(
        new RegExp(`${path.join(dir, STORE_FILE_NAME).replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}.*locked by another process`),
      );
    } finally {
      other.exec("ROLLBACK");
      other.close();
    }
    expect((await recordScan(store, scan("2025-01-01T00:00:00Z", [finding("a")]))).created).toBe(true);
  });
});

for (const target of testDatabases()) {
describe(`recordScan / compareWithPrevious on ${target.name}`, () => {
  afterAll(() => target.dispose());
  async function fresh(): Promise<Store> {
    const db = await target.open();
    await migrate(db);
    await db.run("DELETE FROM scan_findings");
    await db.run("DELETE FROM scans");
    return db;
  }

  it("records a scan with its findings and severity counts", async () => {
    const store = await fresh();
    const { scanId, created } = await recordScan(store, scan("2025-01-01T00:00:00Z", [finding("a", "high"), finding("b", "low"), finding("c", "high")], { errors: [{ source: "kubernetes:pods", message: "timeout" }] }));
    expect(created).toBe(true);
    const [summary] = await listScans(store);
    expect(summary).toMatchObject({ id: scanId, scannedAt: "2025-01-01T00:00:00Z", tenantId: "tenant-a", durationMs: 12 });
    expect(summary!.counts).toEqual({ critical: 0, high: 2, medium: 0, low: 1, total: 3 });
    expect(summary!.errors).toEqual([{ source: "kubernetes:pods", message: "timeout" }]);
    expect((await store.all<{ finding_id: string }>("SELECT finding_id FROM scan_findings WHERE scan_id = ?", [scanId])).map((r) => r.finding_id).sort()).toEqual(["a", "b", "c"]);
  });

  it("does not record the same inventory twice", async () => {
    const store = await fresh();
    const first = await recordScan(store, scan("2025-01-01T00:00:00Z", [finding("a")]));
    const again = await recordScan(store, scan("2025-01-01T00:00:00Z", [finding("a"), finding("b")]));
    expect(again).toEqual({ scanId: first.scanId, created: false });
    expect(await listScans(store)).toHaveLength(1);
    expect(await store.get("SELECT count(*) AS n FROM scan_findings")).toEqual({ n: 1 });
  });

  it("marks nothing new or resolved on a tenant's first scan", async () => {
    const store = await fresh();
    const { scanId } = await recordScan(store, scan("2025-01-01T00:00:00Z", [finding("a")]));
    expect(await compareWithPrevious(store, scanId)).toEqual({ scanId, new: [], unchanged: [], resolved: [] });
  });

  it("splits findings into new and unchanged and lists the resolved ones as stored", async () => {
    const store = await fresh();
    await recordScan(store, scan("2025-01-01T00:00:00Z", [finding("a", "high"), finding("b", "low"), finding("gone-low", "low"), finding("gone-crit", "critical")]));
    const second = await recordScan(store, scan("2025-01-02T00:00:00Z", [finding("a", "high"), finding("b", "low"), finding("c", "medium")]));
    const cmp = await compareWithPrevious(store, second.scanId);
    expect(cmp.previous?.scannedAt).toBe("2025-01-01T00:00:00Z");
    expect(cmp.new).toEqual(["c"]);
    expect(cmp.unchanged).toEqual(["a", "b"]);
    // Most severe first, with the full finding as it was in the previous scan.
    expect(cmp.resolved.map((f) => f.id)).toEqual(["gone-crit", "gone-low"]);
    expect(cmp.resolved[0]).toMatchObject({ severity: "critical", message: "message gone-crit", evidence: [{ source: "/x", fact: "f" }] });
  });

  it("compares with the scan just before, not the first one", async () => {
    const store = await fresh();
    await recordScan(store, scan("2025-01-01T00:00:00Z", [finding("a")]));
    await recordScan(store, scan("2025-01-02T00:00:00Z", [finding("b")]));
    const third = await recordScan(store, scan("2025-01-03T00:00:00Z", [finding("b"), finding("c")]));
    const cmp = await compareWithPrevious(store, third.scanId);
    expect(cmp.previous?.scannedAt).toBe("2025-01-02T00:00:00Z");
    expect(cmp).toMatchObject({ new: ["c"], unchanged: ["b"], resolved: [] });
  });

  it("never compares scans of different tenants", async () => {
    const store = await fresh();
    await recordScan(store, scan("2025-01-01T00:00:00Z", [finding("a")], { tenantId: "tenant-a" }));
    const other = await recordScan(store, scan("2025-01-02T00:00:00Z", [finding("b")], { tenantId: "tenant-b" }));
    const cmp = await compareWithPrevious(store, other.scanId);
    expect(cmp.previous).toBeUndefined();
    expect(cmp.resolved).toEqual([]);
  });

  it("compares a person's scan only with that person's previous scan (they see different parts of the tenant)", async () => {
    const store = await fresh();
    await recordScan(store, scan("2025-01-01T00:00:00Z", [finding("a"), finding("b")], { viewer: "user:dana" }));
    const bob = await recordScan(store, scan("2025-01-02T00:00:00Z", [finding("a")], { viewer: "user:bob" }));
    // Bob cannot see "b": it is not resolved for him, he simply has no earlier scan.
    expect(await compareWithPrevious(store, bob.scanId)).toMatchObject({ new: [], unchanged: [], resolved: [] });
    expect((await compareWithPrevious(store, bob.scanId)).previous).toBeUndefined();
    const dana = await recordScan(store, scan("2025-01-03T00:00:00Z", [finding("a")], { viewer: "user:dana" }));
    expect((await compareWithPrevious(store, dana.scanId)).resolved.map((f) => f.id)).toEqual(["b"]);
  });

  it("keeps only the newest scans of a tenant, with their findings", async () => {
    const store = await fresh();
    for (let day = 1; day <= 4; day++) await recordScan(store, scan(`2025-01-0${day}T00:00:00Z`, [finding(`f${day}`)]), { keep: 2 });
    await recordScan(store, scan("2025-01-01T00:00:00Z", [finding("other")], { tenantId: "tenant-b" }), { keep: 2 });
    expect((await listScans(store)).map((s) => `${s.tenantId} ${s.scannedAt}`)).toEqual(["tenant-a 2025-01-04T00:00:00Z", "tenant-a 2025-01-03T00:00:00Z", "tenant-b 2025-01-01T00:00:00Z"]);
    expect((await store.all<{ finding_id: string }>("SELECT finding_id FROM scan_findings")).map((r) => r.finding_id).sort()).toEqual(["f3", "f4", "other"]);
  });

  it("names an unknown scan id", async () => {
    const store = await fresh();
    await expect(compareWithPrevious(store, 42)).rejects.toThrow(/no scan with id 42/);
  });

  it("keeps the history across reopening the database", async () => {
    const first = await fresh();
    await recordScan(first, scan("2025-01-01T00:00:00Z", [finding("a")]));
    const reopened = await target.open();
    const second = await recordScan(reopened, scan("2025-01-02T00:00:00Z", []));
    expect((await compareWithPrevious(reopened, second.scanId)).resolved.map((f) => f.id)).toEqual(["a"]);
  });
});
}
