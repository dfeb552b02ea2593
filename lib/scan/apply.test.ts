import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeEach, describe, expect, it, vi } from "vitest";
import type { Actor } from "@/lib/auth/actor";
import type { Finding } from "@/lib/model/findings";
import type { Inventory } from "@/lib/model/types";
import type { CurrentScan } from "./current-scan";

const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), "scopewise-engine-"));
afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

const inventory = { subscriptions: [{ subscriptionId: "11111111-1111-1111-1111-111111111111" }] } as unknown as Inventory;
const finding = { id: "acr-scope-too-broad-1", ruleId: "acr-scope-too-broad", fixes: [] } as unknown as Finding;
const getCurrentScan = vi.fn(async () => ({ inventory, findings: [finding] }) as unknown as CurrentScan);
const evaluateRules = vi.fn(() => [finding]);

vi.mock("@/lib/env", () => ({ serverEnv: () => ({ SCOPEWISE_DATA_DIR: dataDir }) }));
vi.mock("./env-config", () => ({
  scanConfigFromEnv: async () => ({ config: { credential: { getToken: async () => null }, armEndpoint: "https://arm.test", graphEndpoint: "https://graph.test" }, source: "test" }),
}));
vi.mock("./load", () => ({ getInventory: async () => ({ inventory }), refreshInventory: async () => ({ inventory }) }));
vi.mock("./current-scan", () => ({ getCurrentScan: (...a: unknown[]) => getCurrentScan(...(a as [])) }));
vi.mock("@/lib/rules/evaluate", () => ({ evaluateRules: (...a: unknown[]) => evaluateRules(...(a as [])) }));

const { engineFor } = await import("./apply");
const actor: Actor = { kind: "server", id: "server", displayName: "server", viewer: { kind: "server" } } as Actor;

beforeEach(() => vi.clearAllMocks());

describe("engineFor().findFinding", () => {
  it("takes the finding from the current scan, whose rules already ran: it does not evaluate them again", async () => {
    const engine = await engineFor(actor);
    expect(await engine.findFinding(finding.id)).toEqual({ finding, inventory });
    expect(getCurrentScan).toHaveBeenCalledTimes(1);
    expect(getCurrentScan).toHaveBeenCalledWith(actor.viewer);
    expect(evaluateRules).not.toHaveBeenCalled();
  });

  it("answers 404 for a finding the current scan does not report", async () => {
    const engine = await engineFor(actor);
    await expect(engine.findFinding("acr-scope-too-broad-2")).rejects.toMatchObject({ status: 404, message: expect.stringContaining("no finding acr-scope-too-broad-2 in the current scan") });
    expect(evaluateRules).not.toHaveBeenCalled();
  });
});
