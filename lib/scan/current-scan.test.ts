import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildTestInventory } from "@/components/inventory/inventory.testing";
import { evaluateRules } from "@/lib/rules/evaluate";
import { STORE_FILE_NAME } from "@/lib/store/db";
import { buildCurrentScan } from "./current-scan";
import type { InventoryResult } from "./load";

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), "scopewise-current-"));
  process.env.SCOPEWISE_MODE = "azure";
  process.env.SCOPEWISE_DATA_DIR = dir;
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const result = (scannedAt: string, viewer = "server"): InventoryResult => ({
  inventory: { ...buildTestInventory(), scannedAt, tenantId: "t1" },
  durationMs: 5,
  source: "test",
  mode: "azure",
  viewer,
});

describe("buildCurrentScan", () => {
  it("evaluates the rules, records the scan under SCOPEWISE_DATA_DIR and compares it with the previous one", async () => {
    const first = await buildCurrentScan(result("2025-01-01T00:00:00Z"));
    expect(fs.existsSync(path.join(dir, STORE_FILE_NAME))).toBe(true);
    expect(first.findings.length).toBeGreaterThan(0);
    expect(first.findings.map((f) => f.id)).toEqual(evaluateRules(first.inventory).map((f) => f.id));
    expect(first.scanId).toBeTypeOf("number");
    expect(first.comparison?.previous).toBeUndefined();

    const again = await buildCurrentScan(result("2025-01-01T00:00:00Z"));
    expect(again.scanId).toBe(first.scanId);

    const second = await buildCurrentScan(result("2025-01-02T00:00:00Z"));
    expect(second.scanId).not.toBe(first.scanId);
    expect(second.comparison?.previous?.id).toBe(first.scanId);
    expect(second.comparison?.unchanged).toEqual([...first.findings.map((f) => f.id)].sort());
    expect(second.comparison?.new).toEqual([]);
  });
});
