import { beforeEach, describe, expect, it, vi } from "vitest";
import { stubDemoEnv } from "@/lib/testing/demo-env";
import { createCsrfToken } from "@/app/_lib/csrf";

stubDemoEnv();

const CHANGE = "0b8a4f4e-6d3c-4a59-9a51-3f0f7d7c2b11";
const finding = { id: "f1", ruleId: "pod-identity-deprecated", clusterId: "/subscriptions/s/resourceGroups/r/providers/Microsoft.ContainerService/managedClusters/aks-payments-prod" };
const engine = { audit: {}, staged: {}, findFinding: vi.fn() };
const launch = vi.fn();
const relaunch = vi.fn();
const production = vi.fn();
const pause = vi.fn();
vi.mock("@/lib/auth/actor", () => ({
  requireActor: vi.fn(async (request: Request) =>
    request.headers.get("x-test-no-session") ? { ok: false, response: Response.json({ error: "sign in first" }, { status: 401 }) } : { ok: true, actor: { kind: "server", id: "server", displayName: "server", viewer: { kind: "server" } } },
  ),
}));
vi.mock("@/lib/scan/staged", () => ({
  stagedEngineFor: vi.fn(async () => engine),
  launchStagedMigration: (...a: unknown[]) => launch(...a),
  relaunchStagedMigration: (...a: unknown[]) => relaunch(...a),
  productionClusterOfMigration: (...a: unknown[]) => production(...a),
  stagedProgressOf: vi.fn(async (id: string) => ({ changeId: id, clusterId: finding.clusterId, state: "running" })),
}));
vi.mock("@/lib/scan/apply", () => ({ serverAuditLog: vi.fn(), serverStagedLog: vi.fn(), changeVisibility: vi.fn() }));
vi.mock("@/lib/scan/load", async (importOriginal) => ({ ...(await importOriginal<object>()), getInventory: vi.fn(async () => ({ inventory: {} })) }));
vi.mock("@/lib/remediation/staged/engine", () => ({ pauseStagedMigration: (...a: unknown[]) => pause(...a) }));
vi.mock("@/lib/rules/pod-identity-deprecated/staged-plan", () => ({ planStagedMigration: vi.fn((_i, _c, bindings: string[]) => ({ bindings: bindings.map((key) => ({ key })) })) }));

const { POST } = await import("./route");
const { GET } = await import("./[id]/route");
const pauseRoute = await import("./[id]/pause/route");
const resumeRoute = await import("./[id]/resume/route");

const token = createCsrfToken();
function post(url: string, body: unknown, headers: Record<string, string> = {}): Request {
  return new Request(`http://localhost:3100${url}`, {
    method: "POST",
    body: JSON.stringify(body),
    headers: { host: "localhost:3100", origin: "http://localhost:3100", cookie: `scopewise_csrf=${token}`, "x-csrf-token": token, "content-type": "application/json", ...headers },
  });
}
const params = (id: string) => ({ params: Promise.resolve({ id }) });
const start = { findingId: "f1", bindings: ["payments/notifier-binding", "payments/ledger-writer-binding"], confirm: true };

beforeEach(() => {
  vi.clearAllMocks();
  engine.findFinding.mockResolvedValue({ finding, inventory: {} });
  launch.mockResolvedValue(CHANGE);
  production.mockReturnValue(undefined);
});

describe("POST /api/changes/staged", () => {
  it("starts the migration of the chosen bindings (202 with its progress)", async () => {
    const res = await POST(post("/api/changes/staged", start));
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ progress: { changeId: CHANGE, clusterId: finding.clusterId, state: "running" } });
    expect(launch.mock.calls[0]![3]).toEqual(start.bindings);
  });

  it("without confirm answers the plan of the chosen bindings and starts nothing", async () => {
    const res = await POST(post("/api/changes/staged", { ...start, confirm: undefined }));
    expect(await res.json()).toEqual({ plan: { bindings: [{ key: "payments/notifier-binding" }, { key: "payments/ledger-writer-binding" }] } });
    expect(launch).not.toHaveBeenCalled();
  });

  it("on a production cluster needs the typed cluster name (422 naming it), then starts", async () => {
    production.mockReturnValue("aks-payments-prod");
    const refused = await POST(post("/api/changes/staged", start));
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({ cluster: "aks-payments-prod", error: expect.stringMatching(/aks-payments-prod is a production cluster: type its name/) });
    expect((await POST(post("/api/changes/staged", { ...start, confirmCluster: "aks-payments" }))).status).toBe(422);
    expect(launch).not.toHaveBeenCalled();
    expect((await POST(post("/api/changes/staged", { ...start, confirmCluster: "aks-payments-prod" }))).status).toBe(202);
  });

  it("refuses without a session (401), without the CSRF token (403) and with bad bindings (422), starting nothing", async () => {
    expect((await POST(post("/api/changes/staged", start, { "x-test-no-session": "1" }))).status).toBe(401);
    expect((await POST(post("/api/changes/staged", start, { "x-csrf-token": "wrong" }))).status).toBe(403);
    const bad = await POST(post("/api/changes/staged", { ...start, bindings: ["notifier-binding; rm -rf /"] }));
    expect(bad.status).toBe(422);
    expect((await bad.json()).issues[0]).toMatch(/^bindings\.0: must be namespace\/name of a binding/);
    expect((await POST(post("/api/changes/staged", { ...start, bindings: [] }))).status).toBe(422);
    expect(launch).not.toHaveBeenCalled();
  });

  it("refuses a finding that is not a pod-identity migration (422)", async () => {
    engine.findFinding.mockResolvedValue({ finding: { ...finding, ruleId: "acr-scope-too-broad" }, inventory: {} });
    expect((await POST(post("/api/changes/staged", start))).status).toBe(422);
  });
});

describe("/api/changes/staged/{id}", () => {
  it("GET answers the progress; 401 without a session; 422 for an id that is not a UUID", async () => {
    const ok = await GET(new Request(`http://localhost:3100/api/changes/staged/${CHANGE}`), params(CHANGE));
    expect(await ok.json()).toMatchObject({ progress: { changeId: CHANGE } });
    expect((await GET(new Request("http://localhost:3100/x", { headers: { "x-test-no-session": "1" } }), params(CHANGE))).status).toBe(401);
    expect((await GET(new Request("http://localhost:3100/x"), params("../etc"))).status).toBe(422);
  });

  it("pause: CSRF-checked (403), then asks the engine to pause (202)", async () => {
    expect((await pauseRoute.POST(post("/x", {}, { "x-csrf-token": "wrong" }), params(CHANGE))).status).toBe(403);
    expect(pause).not.toHaveBeenCalled();
    expect((await pauseRoute.POST(post("/x", {}), params(CHANGE))).status).toBe(202);
    expect(pause.mock.calls[0]![0]).toBe(CHANGE);
  });

  it("resume: needs confirm (422) and, on production, the typed cluster name (422), then resumes (202)", async () => {
    expect((await resumeRoute.POST(post("/x", {}), params(CHANGE))).status).toBe(422);
    production.mockReturnValue("aks-payments-prod");
    expect((await resumeRoute.POST(post("/x", { confirm: true }), params(CHANGE))).status).toBe(422);
    expect(relaunch).not.toHaveBeenCalled();
    expect((await resumeRoute.POST(post("/x", { confirm: true, confirmCluster: "aks-payments-prod" }), params(CHANGE))).status).toBe(202);
    expect(relaunch.mock.calls[0]![1]).toBe(CHANGE);
  });
});
