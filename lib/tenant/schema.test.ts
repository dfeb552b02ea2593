import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildTestTenant, ids, T } from "@/emulator/testdata/tenant";
import { loadTenantFile, parseTenant, TenantFormatError } from "./schema";

const minimal = {
  version: 1,
  tenantId: T.tenantId,
  subscriptions: [],
  resourceGroups: [],
  resources: [],
  roleAssignments: [],
  principals: [],
};

function errorOf(fn: () => unknown): TenantFormatError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(TenantFormatError);
    return e as TenantFormatError;
  }
  throw new Error("expected a TenantFormatError");
}

describe("parseTenant", () => {
  it("accepts a minimal tenant", () => {
    expect(parseTenant(minimal).tenantId).toBe(T.tenantId);
  });

  it("accepts the full test tenant", () => {
    const t = parseTenant(buildTestTenant());
    expect(t.roleAssignments).toHaveLength(11);
  });

  it("rejects another version, naming $.version", () => {
    const e = errorOf(() => parseTenant({ ...minimal, version: 2 }, "demo.json"));
    expect(e.message).toMatch(/^demo\.json: \$\.version: expected 1/);
    expect(e.path).toBe("$.version");
  });

  it("rejects a tenant id that is not a GUID", () => {
    expect(errorOf(() => parseTenant({ ...minimal, tenantId: "contoso" })).message).toBe("$.tenantId: expected a GUID");
  });

  it("names the JSON path of a missing field deep inside", () => {
    const t = buildTestTenant();
    delete (t.roleAssignments[3]!.properties as Record<string, unknown>).principalId;
    const e = errorOf(() => parseTenant(t, "demo.json"));
    expect(e.path).toBe("$.roleAssignments[3].properties.principalId");
    expect(e.message).toMatch(/^demo\.json: \$\.roleAssignments\[3\]\.properties\.principalId: required field is missing/);
  });

  it("names a wrongly typed field", () => {
    const t = buildTestTenant();
    (t.roleAssignments[3]!.properties as Record<string, unknown>).principalId = 42;
    expect(errorOf(() => parseTenant(t)).message).toBe("$.roleAssignments[3].properties.principalId: expected a string");
  });

  it("requires ARM ids to start with '/'", () => {
    const t = buildTestTenant();
    t.resources[2]!.id = "subscriptions/x";
    expect(errorOf(() => parseTenant(t)).message).toMatch(/^\$\.resources\[2\]\.id: expected an ARM id starting with '\/'/);
  });

  it("requires apiVersion, kind and metadata.name on Kubernetes objects", () => {
    const t = buildTestTenant();
    const objs = t.kubernetes![ids.aks1.toLowerCase()]!;
    delete (objs[1]!.metadata as Record<string, unknown>).name;
    const e = errorOf(() => parseTenant(t));
    expect(e.path).toBe(`$.kubernetes["${ids.aks1.toLowerCase()}"][1].metadata.name`);
  });

  it("keeps unknown fields", () => {
    const t = buildTestTenant() as unknown as Record<string, unknown>;
    t.generator = "test";
    (t.resources as Record<string, unknown>[])[0]!.systemData = { createdBy: "me" };
    const parsed = parseTenant(t) as unknown as Record<string, unknown>;
    expect(parsed.generator).toBe("test");
    expect((parsed.resources as Record<string, unknown>[])[0]!.systemData).toEqual({ createdBy: "me" });
  });

  it("rejects a resource under an undeclared resource group", () => {
    const t = buildTestTenant();
    t.resources.push({ id: `/subscriptions/${T.sub1}/resourceGroups/nope/providers/Microsoft.Storage/storageAccounts/sa`, name: "sa", type: "Microsoft.Storage/storageAccounts" });
    const e = errorOf(() => parseTenant(t));
    expect(e.path).toBe(`$.resources[${t.resources.length - 1}].id`);
    expect(e.message).toMatch(/resource group .*nope, which is not declared in \$\.resourceGroups/);
  });

  it("rejects a resource group under an undeclared subscription", () => {
    const t = buildTestTenant();
    t.resourceGroups.push({ id: "/subscriptions/33333333-3333-3333-3333-333333333333/resourceGroups/x", name: "x" });
    expect(errorOf(() => parseTenant(t)).message).toMatch(/subscription 33333333-3333-3333-3333-333333333333, which is not declared/);
  });

  it("rejects duplicate ids, compared case-insensitively", () => {
    const t = buildTestTenant();
    t.resources.push({ ...t.resources[0]!, id: ids.aks1.toUpperCase().replace("/SUBSCRIPTIONS", "/subscriptions") });
    const e = errorOf(() => parseTenant(t));
    expect(e.message).toMatch(/duplicate id .* \(also at \$\.resources\[0\]\.id\)/);
  });

  it("rejects a kubernetes key that is not a managed cluster", () => {
    const t = buildTestTenant();
    t.kubernetes![ids.acr] = [];
    const e = errorOf(() => parseTenant(t));
    expect(e.path).toBe(`$.kubernetes["${ids.acr}"]`);
    expect(e.message).toMatch(/not the id of a Microsoft\.ContainerService\/managedClusters resource/);
  });
});

describe("loadTenantFile", () => {
  it("reports invalid JSON with the file, line and column", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "tenant-"));
    const file = path.join(dir, "bad.json");
    await writeFile(file, '{\n  "version": 1,\n  "tenantId": oops\n}\n');
    await expect(loadTenantFile(file)).rejects.toThrow(new RegExp(`^${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}: invalid JSON: line 3, column 15`));
  });

  it("validates after parsing, naming the file", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "tenant-"));
    const file = path.join(dir, "t.json");
    await writeFile(file, JSON.stringify({ ...minimal, principals: [{ id: 5 }] }));
    await expect(loadTenantFile(file)).rejects.toThrow(`${file}: $.principals[0].id: expected a string`);
  });

  it("loads a valid file", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "tenant-"));
    const file = path.join(dir, "t.json");
    await writeFile(file, JSON.stringify(buildTestTenant()));
    expect((await loadTenantFile(file)).subscriptions).toHaveLength(2);
  });
});
