import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { stubDemoEnv } from "@/lib/testing/demo-env";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "scopewise-ready-"));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
stubDemoEnv();
vi.stubEnv("SCOPEWISE_DATA_DIR", dataDir);

const { GET: health } = await import("./route");
const { GET: ready } = await import("../ready/route");
const { serverStore } = await import("@/lib/scan/store");
const { recordScan } = await import("@/lib/store/scans");

describe("health probes", () => {
  it("GET /api/health answers 200 while the process serves, and says nothing else", async () => {
    const res = health();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });

  it("GET /api/ready answers 200 when the store answers, with the newest complete scan's age and nothing about the tenant", async () => {
    const empty = await ready();
    expect(empty.status).toBe(200);
    expect(await empty.json()).toEqual({ status: "ready", store: "sqlite", lastCompletedScanAgeSeconds: null });
    const store = await serverStore();
    const at = new Date(Date.now() - 90_000).toISOString();
    await recordScan(store, { scannedAt: at, tenantId: "t", source: "secret tenant name", durationMs: 1, findings: [], errors: [], state: "succeeded", scopeKey: "k" });
    await recordScan(store, { scannedAt: new Date().toISOString(), tenantId: "t", source: "s", durationMs: 1, findings: [], errors: [], state: "failed", scopeKey: "k" });
    const res = await ready();
    const body = await res.json();
    expect(body.lastCompletedScanAgeSeconds).toBeGreaterThanOrEqual(89);
    expect(body.lastCompletedScanAgeSeconds).toBeLessThan(200);
    expect(JSON.stringify(body)).not.toMatch(/secret|tenant|72f988bf/);
  });

  it("GET /api/ready answers 503 with the reason when the store cannot be opened", async () => {
    const { closeStores } = await import("@/lib/store/db");
    await closeStores();
    fs.writeFileSync(path.join(dataDir, "scopewise.db"), "not a database ".repeat(100));
    fs.rmSync(path.join(dataDir, "scopewise.db-wal"), { force: true });
    fs.rmSync(path.join(dataDir, "scopewise.db-shm"), { force: true });
    const res = await ready();
    expect(res.status).toBe(503);
    const body = await res.json();
    expect(body).toEqual({ status: "unavailable", reason: "the store (sqlite) cannot be opened" });
    expect(JSON.stringify(body)).not.toContain(dataDir);
  });
});
