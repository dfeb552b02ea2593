import { beforeEach, describe, expect, it, vi } from "vitest";
import { stubDemoEnv } from "@/lib/testing/demo-env";
import { createCsrfToken } from "@/app/_lib/csrf";

// Demo mode, changes on (route.read-only.test.ts covers SCOPEWISE_READ_ONLY).
stubDemoEnv();

const engine = {
  azure: {},
  audit: { list: vi.fn((_query: unknown) => [{ id: "c1" }]) },
  actor: "demo",
  subscriptionId: "s",
  findFinding: vi.fn(),
};
const applyPlan = vi.fn();
const undoChange = vi.fn();
const rescanAndVerify = vi.fn();
vi.mock("@/lib/auth/actor", () => ({
  requireActor: vi.fn(async (request: Request) =>
    request.headers.get("x-test-no-session") ? { ok: false, response: Response.json({ error: "sign in first" }, { status: 401 }) } : { ok: true, actor: { kind: "server", id: "server", displayName: "server", viewer: { kind: "server" } } },
  ),
}));
vi.mock("@/lib/scan/apply", () => ({
  engineFor: vi.fn(async () => engine),
  rescanAndVerify: (...a: unknown[]) => rescanAndVerify(...a),
  listChanges: vi.fn(async (_viewer: unknown, query: unknown) => ({ changes: engine.audit.list(query), unfinished: [] })),
}));
vi.mock("@/lib/remediation/apply/apply", async (importOriginal) => ({
  ...(await importOriginal<object>()),
  applyPlan: (...a: unknown[]) => applyPlan(...a),
  undoChange: (...a: unknown[]) => undoChange(...a),
}));

const managedGrantOf = vi.fn();
vi.mock("@/lib/scan/terraform-ownership", () => ({ managedGrantOf: (...a: unknown[]) => managedGrantOf(...a) }));

const { POST, GET } = await import("./route");
const undoRoute = await import("./[id]/undo/route");
const { ApplyRequestError } = await import("@/lib/remediation/apply/apply");

const token = createCsrfToken();
function post(url: string, body: unknown, headers: Record<string, string> = {}): Request {
  return new Request(`http://localhost:3100${url}`, {
    method: "POST",
    body: typeof body === "string" ? body : JSON.stringify(body),
    headers: { host: "localhost:3100", origin: "http://localhost:3100", cookie: `scopewise_csrf=${token}`, "x-csrf-token": token, "content-type": "application/json", ...headers },
  });
}
const plan = { id: "rescope", summary: "s", steps: [] };
const finding = { id: "f1", ruleId: "acr-scope-too-broad", fixes: [plan] };

beforeEach(() => {
  vi.clearAllMocks();
  engine.findFinding.mockResolvedValue({ finding, inventory: { subscriptions: [], clusters: [], resources: [] } });
  applyPlan.mockImplementation(async (_p, o: { dryRun: boolean }) => ({ status: o.dryRun ? "dry-run" : "applied" }));
  rescanAndVerify.mockResolvedValue({ resolved: true });
  managedGrantOf.mockResolvedValue(undefined);
});

describe("POST /api/changes", () => {
  it("is a dry run unless confirm is true, and verifies with a rescan after an apply", async () => {
    const dry = await POST(post("/api/changes", { findingId: "f1", planId: "rescope" }));
    expect(await dry.json()).toEqual({ result: { status: "dry-run" } });
    expect(applyPlan.mock.calls[0]![1]).toMatchObject({ dryRun: true });
    expect(rescanAndVerify).not.toHaveBeenCalled();

    const applied = await POST(post("/api/changes", { findingId: "f1", planId: "rescope", confirm: true, choices: { scopes: ["/subscriptions/s/resourceGroups/r"] } }));
    expect(await applied.json()).toEqual({ result: { status: "applied" }, verification: { resolved: true } });
    expect(applyPlan.mock.calls[1]![1]).toMatchObject({ dryRun: false, choices: { scopes: ["/subscriptions/s/resourceGroups/r"] }, finding });
  });

  it("sends a Terraform-managed grant to the pipeline (409) unless the apply overrides it; dry runs still answer", async () => {
    managedGrantOf.mockResolvedValue({ kind: "roleAssignment", id: "x", address: "module.aks.azurerm_role_assignment.acr", state: "prod.json", file: "main.tf", line: 42 });
    const refused = await POST(post("/api/changes", { findingId: "f1", planId: "rescope", confirm: true }));
    expect(refused.status).toBe(409);
    expect(await refused.json()).toMatchObject({ error: expect.stringMatching(/module\.aks\.azurerm_role_assignment\.acr in main\.tf:42 manages this grant/), terraform: { address: "module.aks.azurerm_role_assignment.acr", file: "main.tf", line: 42 } });
    expect(applyPlan).not.toHaveBeenCalled();
    expect((await POST(post("/api/changes", { findingId: "f1", planId: "rescope" }))).status).toBe(200);
    const overridden = await POST(post("/api/changes", { findingId: "f1", planId: "rescope", confirm: true, overrideTerraform: true }));
    expect(await overridden.json()).toMatchObject({ result: { status: "applied" } });
    expect(applyPlan.mock.calls.map((c) => (c[1] as { dryRun: boolean }).dryRun)).toEqual([true, false]);
  });

  it("asks for the cluster's name, typed, before applying to a production cluster", async () => {
    const cluster = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks-prod";
    engine.findFinding.mockResolvedValue({
      finding: { ...finding, clusterId: cluster },
      inventory: { subscriptions: [], clusters: [{ id: cluster, name: "aks-prod" }], resources: [{ id: cluster, tags: { Environment: "Production" } }] },
    });
    const refused = await POST(post("/api/changes", { findingId: "f1", planId: "rescope", confirm: true }));
    expect(refused.status).toBe(422);
    expect(await refused.json()).toMatchObject({ error: expect.stringMatching(/^aks-prod is a production cluster: type its name/), cluster: "aks-prod" });
    expect((await POST(post("/api/changes", { findingId: "f1", planId: "rescope", confirm: true, confirmCluster: "aks-pro" }))).status).toBe(422);
    expect(applyPlan).not.toHaveBeenCalled();
    // A dry run needs no confirmation; the exact name lets the apply through.
    expect((await POST(post("/api/changes", { findingId: "f1", planId: "rescope" }))).status).toBe(200);
    expect(await (await POST(post("/api/changes", { findingId: "f1", planId: "rescope", confirm: true, confirmCluster: "aks-prod" }))).json()).toMatchObject({ result: { status: "applied" } });
  });

  it("refuses a missing CSRF token (403) and a missing session (401) before doing anything", async () => {
    expect((await POST(post("/api/changes", { findingId: "f1", planId: "rescope", confirm: true }, { "x-csrf-token": "" }))).status).toBe(403);
    expect((await POST(post("/api/changes", { findingId: "f1", planId: "rescope", confirm: true }, { "x-test-no-session": "1" }))).status).toBe(401);
    expect(applyPlan).not.toHaveBeenCalled();
  });

  it("answers 422 naming the bad field, 400 to broken JSON, 404 to an unknown plan", async () => {
    const bad = await POST(post("/api/changes", { findingId: "f1", planId: "rescope", choices: { roleDefinitionId: "Owner" } }));
    expect(bad.status).toBe(422);
    expect(JSON.stringify(await bad.json())).toContain("choices.roleDefinitionId");
    expect((await POST(post("/api/changes", { findingId: "f1", planId: "rescope", force: true }))).status).toBe(422);
    expect((await POST(post("/api/changes", "{nope"))).status).toBe(400);
    const missing = await POST(post("/api/changes", { findingId: "f1", planId: "remove" }));
    expect(missing.status).toBe(404);
    expect((await missing.json()).error).toContain('no fix plan "remove"');
    engine.findFinding.mockRejectedValue(new ApplyRequestError("no finding f2 in the current scan", 404));
    expect((await POST(post("/api/changes", { findingId: "f2", planId: "rescope" }))).status).toBe(404);
    expect(applyPlan).not.toHaveBeenCalled();
  });
});

describe("POST /api/changes/[id]/undo and GET /api/changes", () => {
  const id = "6f1c2a3b-1111-4222-8333-944445555666";
  it("undoes with confirm: true only, and passes the change id", async () => {
    undoChange.mockResolvedValue({ status: "applied" });
    const params = Promise.resolve({ id });
    expect((await undoRoute.POST(post(`/api/changes/${id}/undo`, {}), { params })).status).toBe(422);
    const res = await undoRoute.POST(post(`/api/changes/${id}/undo`, { confirm: true }), { params });
    expect(res.status).toBe(200);
    expect(undoChange).toHaveBeenCalledWith(id, engine);
    expect((await undoRoute.POST(post(`/api/changes/x/undo`, { confirm: true }), { params: Promise.resolve({ id: "x" }) })).status).toBe(422);
  });

  it("lists changes and unfinished ones", async () => {
    const res = await GET(new Request("http://localhost:3100/api/changes?limit=5"));
    expect(await res.json()).toEqual({ changes: [{ id: "c1" }], unfinished: [] });
    expect(engine.audit.list).toHaveBeenCalledWith({ limit: 5 });
    expect((await GET(new Request("http://localhost:3100/api/changes?limit=0"))).status).toBe(422);
  });
});
