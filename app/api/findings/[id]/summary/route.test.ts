import { beforeEach, describe, expect, it, vi } from "vitest";
import { buildTestInventory, SUB_PROD } from "@/components/inventory/inventory.testing";
import type { Finding } from "@/lib/model/findings";

vi.stubEnv("SCOPEWISE_MODE", "demo");
vi.stubEnv("SCOPEWISE_ARM_ENDPOINT", "https://localhost:8443");
vi.stubEnv("SCOPEWISE_GRAPH_ENDPOINT", "https://localhost:8443");
vi.stubEnv("SCOPEWISE_AUTHORITY_HOST", "https://localhost:8443");
vi.stubEnv("SCOPEWISE_TENANT_ID", "72f988bf-86f1-41af-91ab-2d7cd011db47");
vi.stubEnv("SCOPEWISE_CLIENT_ID", "scopewise-demo");
vi.stubEnv("SCOPEWISE_CLIENT_SECRET", "s3cret");
vi.stubEnv("SCOPEWISE_CA_FILE", "/tmp/ca.pem");

const finding: Finding = {
  id: "subscription-scope-grant-1",
  ruleId: "subscription-scope-grant",
  severity: "high",
  baseSeverity: "high",
  title: "Role at subscription scope",
  message: "m",
  identityName: "[x](https://evil.example)",
  principalId: "p",
  scope: `/subscriptions/${SUB_PROD}`,
  evidence: [],
  fixes: [],
};
const getCurrentScan = vi.fn();
vi.mock("@/lib/scan/current-scan", () => ({ getCurrentScan: (...a: unknown[]) => getCurrentScan(...a) }));
const { GET } = await import("./route");
const get = (id: string) => GET(new Request(`http://localhost:3100/api/findings/${id}/summary`), { params: Promise.resolve({ id }) });

beforeEach(() => getCurrentScan.mockReset().mockResolvedValue({ inventory: buildTestInventory(), findings: [finding], comparison: { new: [], unchanged: [], resolved: [] } }));

describe("GET /api/findings/<id>/summary", () => {
  it("answers the finding as a Markdown download linking back to this server", async () => {
    const res = await get(encodeURIComponent(finding.id));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="finding-subscription-scope-grant-1.md"');
    const text = await res.text();
    expect(text).toContain("`[x](https://evil.example)`");
    expect(text).toContain("(<http://localhost:3100/findings/subscription-scope-grant-1>)");
  });

  it("answers 404 for a finding the scan does not have and 400 for a malformed id", async () => {
    expect((await get("nope")).status).toBe(404);
    expect((await get("%E0%A4%A")).status).toBe(400);
  });
});
