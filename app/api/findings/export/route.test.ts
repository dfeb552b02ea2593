import { parse } from "csv-parse/sync";
import { beforeEach, describe, expect, it, vi } from "vitest";
import { AKS_PROD, buildTestInventory, RG_PROD, SUB_PROD } from "@/components/inventory/inventory.testing";
import type { Finding } from "@/lib/model/findings";
import type { ChangeRecord } from "@/lib/store/audit";

vi.stubEnv("SCOPEWISE_MODE", "demo");
vi.stubEnv("SCOPEWISE_ARM_ENDPOINT", "https://localhost:8443");
vi.stubEnv("SCOPEWISE_GRAPH_ENDPOINT", "https://localhost:8443");
vi.stubEnv("SCOPEWISE_AUTHORITY_HOST", "https://localhost:8443");
vi.stubEnv("SCOPEWISE_TENANT_ID", "72f988bf-86f1-41af-91ab-2d7cd011db47");
vi.stubEnv("SCOPEWISE_CLIENT_ID", "scopewise-demo");
vi.stubEnv("SCOPEWISE_CLIENT_SECRET", "s3cret");
vi.stubEnv("SCOPEWISE_CA_FILE", "/tmp/ca.pem");

const HOSTILE = '=HYPERLINK("https://evil.example","x")';
const inventory = buildTestInventory();
inventory.identities = inventory.identities.map((i) => (i.key === "cp-1" ? { ...i, displayName: HOSTILE } : i));

const finding = (id: string, severity: Finding["severity"], extra: Partial<Finding>): Finding => ({ id, ruleId: "subscription-scope-grant", severity, baseSeverity: severity, title: `Title ${id}`, message: `Message ${id}`, evidence: [], fixes: [], ...extra });
const findings: Finding[] = [
  finding("f-cp-sub", "high", { identityKey: "cp-1", principalId: "cp-1", identityKind: "control-plane", identityName: HOSTILE, scope: `/subscriptions/${SUB_PROD}`, clusterId: AKS_PROD }),
  finding("f-kubelet-rg", "medium", { ruleId: "acr-scope-too-broad", identityKey: "kubelet-1", principalId: "kubelet-1", identityKind: "kubelet", identityName: "aks-prod-agentpool", scope: RG_PROD }),
  finding("f-low", "low", { identityKey: "app-1", principalId: "app-1", identityKind: "app", identityName: "-id-api", scope: RG_PROD }),
];
const scan = { inventory, findings, scanId: 7, scan: { id: 7 }, comparison: { new: [], unchanged: [], resolved: [] }, findingComparisons: new Map() };

const getCurrentScan = vi.fn();
const getInventory = vi.fn();
const listChanges = vi.fn();
vi.mock("@/lib/scan/current-scan", () => ({ getCurrentScan: (...a: unknown[]) => getCurrentScan(...a) }));
vi.mock("@/lib/scan/load", async (original) => ({ ...(await original<object>()), getInventory: (...a: unknown[]) => getInventory(...a) }));
vi.mock("@/lib/scan/apply", () => ({ listChanges: (...a: unknown[]) => listChanges(...a) }));

const findingsExport = (await import("./route")).GET;
const identitiesExport = (await import("../../identities/export/route")).GET;
const assignmentsExport = (await import("../../role-assignments/export/route")).GET;
const changesExport = (await import("../../changes/export/route")).GET;
const { InventoryUnavailableError } = await import("@/lib/scan/load");

const context = { params: Promise.resolve({}) };
const call = (handler: typeof findingsExport, path: string) => handler(new Request(`http://localhost:3100${path}`), context);
const csvOf = async (res: Response) => parse(await res.text()) as string[][];

beforeEach(() => {
  getCurrentScan.mockReset().mockResolvedValue(scan);
  getInventory.mockReset().mockResolvedValue({ inventory, scan: { id: 7 } });
  listChanges.mockReset();
});

describe("GET /api/findings/export", () => {
  it("exports every finding the filter shows, in the list's order, with hostile names neutralised", async () => {
    const res = await call(findingsExport, "/api/findings/export?format=csv&sort=severity&dir=asc&page=5");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="scopewise-findings-scan-7.csv"');
    expect(res.body).toBeInstanceOf(ReadableStream);
    const records = await csvOf(res);
    const header = records[0]!;
    const col = (name: string) => header.indexOf(name);
    expect(records.slice(1).map((r) => r[col("Finding id")])).toEqual(["f-low", "f-kubelet-rg", "f-cp-sub"]);
    expect(records.find((r) => r[0] === "f-cp-sub")![col("Identity")]).toBe(`'${HOSTILE}`);
    expect(records.find((r) => r[0] === "f-low")![col("Identity")]).toBe("'-id-api");
    expect(getCurrentScan).toHaveBeenCalledWith({ kind: "server" });
  });

  it("applies the list's filters to JSON too, and says which filter and scan it holds", async () => {
    const res = await call(findingsExport, "/api/findings/export?format=json&severity=high");
    const body = await res.json();
    expect(body).toMatchObject({ list: "findings", scanId: 7, total: 1, filter: { severity: "high", q: "" } });
    expect(body.items.map((f: { id: string; identityName: string }) => [f.id, f.identityName])).toEqual([["f-cp-sub", HOSTILE]]);
  });

  it("answers 422 naming a missing format, a bad filter and an unknown parameter, instead of a wider file", async () => {
    const res = await call(findingsExport, "/api/findings/export?severity=urgent&colour=red");
    expect(res.status).toBe(422);
    const { issues } = await res.json();
    expect(issues).toEqual(expect.arrayContaining(["format: must be one of csv, json", "colour: is not a parameter of this export"]));
    expect(issues.some((i: string) => i.startsWith("Ignored severity="))).toBe(true);
    expect(getCurrentScan).not.toHaveBeenCalled();
  });

  it("accepts every filter the list's URL carries (triage, control, iac), as the page's export link sends them", async () => {
    const res = await call(findingsExport, "/api/findings/export?format=json&triage=open&control=mcsb:PA-7&iac=unmanaged&severity=high");
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.filter).toMatchObject({ triage: "open", control: "mcsb:PA-7", iac: "unmanaged" });
    expect(body.items.map((f: { id: string; triage: string }) => [f.id, f.triage])).toEqual([["f-cp-sub", "open"]]);
  });

  it("exports only the ticked findings (id=a,b), in the list's order", async () => {
    const res = await call(findingsExport, "/api/findings/export?format=csv&sort=severity&dir=asc&id=f-cp-sub,f-low");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-disposition")).toBe('attachment; filename="scopewise-findings-scan-7-selected.csv"');
    const records = await csvOf(res);
    expect(records.slice(1).map((r) => r[0])).toEqual(["f-low", "f-cp-sub"]);
    const body = await (await call(findingsExport, "/api/findings/export?format=json&id=f-kubelet-rg")).json();
    expect(body).toMatchObject({ total: 1, filter: { ids: ["f-kubelet-rg"] } });
  });

  it("answers 422 for a ticked id the list does not show (gone, or outside the filter) or that is not an id, never a shorter file", async () => {
    const gone = await call(findingsExport, "/api/findings/export?format=csv&id=f-low,subscription-scope-grant-000000000000");
    expect(gone.status).toBe(422);
    expect((await gone.json()).issues).toEqual(["id: subscription-scope-grant-000000000000 is not a finding the list shows in scan 7 with these filters"]);
    const outside = await call(findingsExport, "/api/findings/export?format=csv&severity=high&id=f-low");
    expect(outside.status).toBe(422);
    const bad = await call(findingsExport, "/api/findings/export?format=csv&id=%3Cscript%3E");
    expect(bad.status).toBe(422);
    expect((await bad.json()).issues).toEqual(['id: "<script>" is not a finding id']);
    const empty = await call(findingsExport, "/api/findings/export?format=csv&id=");
    expect(empty.status).toBe(422);
  });

  it("answers 503 when no scan can be shown, never an empty file", async () => {
    getCurrentScan.mockRejectedValue(new InventoryUnavailableError("the tenant could not be read"));
    const res = await call(findingsExport, "/api/findings/export?format=csv");
    expect(res.status).toBe(503);
    expect((await res.json()).error).toBe("the tenant could not be read");
  });
});

describe("GET /api/identities/export", () => {
  it("exports the identities the filter shows, sorted as the list", async () => {
    const records = await csvOf(await call(identitiesExport, `/api/identities/export?format=csv&kind=kubelet`));
    expect(records.slice(1).map((r) => r[1])).toEqual(["aks-prod-agentpool"]);
    const all = await (await call(identitiesExport, "/api/identities/export?format=json&sort=name")).json();
    expect(all.total).toBe(inventory.identities.length);
    expect(all.items[0].displayName).toBe(HOSTILE);
  });
});

describe("GET /api/role-assignments/export", () => {
  it("exports one identity's assignments widest first, or the tenant's, and 404s an unknown identity", async () => {
    const mine = await (await call(assignmentsExport, "/api/role-assignments/export?format=json&identity=kubelet-1")).json();
    expect(mine.items.map((a: { scopeLevel: string; roleName: string }) => `${a.scopeLevel}:${a.roleName}`)).toEqual(["resourceGroup:AcrPull", "resource:Network Contributor"]);
    const all = await (await call(assignmentsExport, "/api/role-assignments/export?format=json")).json();
    expect(all.total).toBe(inventory.roleAssignments.length);
    const inSub = await (await call(assignmentsExport, `/api/role-assignments/export?format=json&subscription=${SUB_PROD}`)).json();
    expect(inSub.items.every((a: { scope: string }) => a.scope.startsWith(`/subscriptions/${SUB_PROD}`))).toBe(true);
    expect((await call(assignmentsExport, "/api/role-assignments/export?format=csv&identity=nobody")).status).toBe(404);
    expect((await call(assignmentsExport, "/api/role-assignments/export?format=csv&subscription=x")).status).toBe(422);
  });
});

describe("GET /api/changes/export", () => {
  it("exports the audit log the caller may see, as the changes page lists it", async () => {
    const change: ChangeRecord = { id: "c1", kind: "apply", findingId: "f-cp-sub", planId: "p", actor: "@evil", startedAt: "2026-01-01T00:00:00Z", status: "applied", summary: "+remove", scopes: ["/subscriptions/x"], steps: [] };
    listChanges.mockResolvedValue({ changes: [change], unfinished: [] });
    const records = await csvOf(await call(changesExport, "/api/changes/export?format=csv&findingId=f-cp-sub"));
    expect(records[1]!.slice(0, 4)).toEqual(["c1", "apply", "applied", "'@evil"]);
    expect(listChanges).toHaveBeenCalledWith({ kind: "server" }, { limit: 200, findingId: "f-cp-sub" });
    expect((await call(changesExport, "/api/changes/export?format=csv&limit=5000")).status).toBe(422);
  });
});
