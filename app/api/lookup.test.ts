import { describe, expect, it, vi } from "vitest";
import { stubDemoEnv } from "@/lib/testing/demo-env";

stubDemoEnv();

vi.mock("@/lib/scan/current-scan", () => ({
  getCurrentScan: async () => ({ findings: [{ id: "acr-scope-too-broad-1a2b3c4d5e6f", ruleId: "acr-scope-too-broad", severity: "high", title: "AcrPull too broad", evidence: [] }] }),
}));
vi.mock("@/lib/scan/load", () => ({
  InventoryUnavailableError: class extends Error {},
  getInventory: async () => ({ inventory: { identities: [{ key: "6a3fd275-293b-53a1-88ff-d0ef25b996c1", kind: "kubelet", displayName: "aks-agentpool" }] } }),
}));

const FIXED = "acr-scope-too-broad-fixedfixedfixe";
vi.mock("@/lib/scan/apply", () => ({
  changesOfFinding: async (id: string) => ({
    changes:
      id === FIXED
        ? [
            { id: "c2", kind: "apply", findingId: FIXED, planId: "rescope", status: "applied", startedAt: "2026-01-02T10:00:00Z", finishedAt: "2026-01-02T10:00:05Z" },
            { id: "c1", kind: "apply", findingId: FIXED, planId: "rescope", status: "undone", startedAt: "2026-01-01T10:00:00Z" },
          ]
        : id === "acr-scope-too-broad-undoneundoneu"
          ? [{ id: "c3", kind: "apply", findingId: id, planId: "rescope", status: "undone", startedAt: "2026-01-01T10:00:00Z" }]
          : [],
  }),
}));

const findings = await import("./findings/[id]/route");
const identities = await import("./identities/[key]/route");
const get = (route: { GET: (r: Request, c: { params: Promise<Record<string, string>> }) => Promise<Response> }, id: string) =>
  route.GET(new Request("http://localhost:3000/api/x", { headers: { host: "localhost:3000" } }), { params: Promise.resolve({ id }) });

describe("lookup APIs", () => {
  it("answer a known finding or identity with a summary, an unknown one with 404 and a malformed id with 400", async () => {
    const known = await get(findings, "acr-scope-too-broad-1a2b3c4d5e6f");
    expect(known.status).toBe(200);
    expect(await known.json()).toEqual({ id: "acr-scope-too-broad-1a2b3c4d5e6f", ruleId: "acr-scope-too-broad", severity: "high", title: "AcrPull too broad" });
    expect((await get(findings, "acr-scope-too-broad-000000000000")).status).toBe(404);
    expect((await get(findings, "%E0%A4%A")).status).toBe(400);
    expect((await get(identities, "6a3fd275-293b-53a1-88ff-d0ef25b996c1")).status).toBe(200);
    expect((await get(identities, "%zz")).status).toBe(400);
    expect((await get(identities, "nobody")).status).toBe(404);
  });

  it("answer a finding the scan no longer reports with the change that fixed it; an undone fix is no fix", async () => {
    const fixed = await get(findings, FIXED);
    expect(fixed.status).toBe(200);
    expect(await fixed.json()).toEqual({ id: FIXED, fixedBy: { changeId: "c2", at: "2026-01-02T10:00:05Z" } });
    expect((await get(findings, "acr-scope-too-broad-undoneundoneu")).status).toBe(404);
  });
});
