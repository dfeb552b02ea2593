import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildTestTenant, ids, T } from "@/emulator/testdata/tenant";
import flexibleFic from "@/lib/azure/testdata/FlexibleFederatedIdentityCredentialGet.json";
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

describe("parseTenant: real shapes", () => {
  const withFic = (properties: Record<string, unknown>) => {
    const t = buildTestTenant();
    t.federatedIdentityCredentials = [{ ...t.federatedIdentityCredentials![0]!, properties }];
    return t;
  };

  it("accepts a flexible federated credential (claimsMatchingExpression, no subject) as the managed identity API returns it", () => {
    const { properties } = flexibleFic.responses["200"].body;
    const t = parseTenant(withFic(properties));
    expect(t.federatedIdentityCredentials![0]!.properties).toMatchObject({ claimsMatchingExpression: { languageVersion: 1 } });
  });

  it("rejects a federated credential with neither or both of subject and claimsMatchingExpression", () => {
    const base = { issuer: "https://oidc.example/", audiences: ["api://AzureADTokenExchange"] };
    const neither = errorOf(() => parseTenant(withFic(base)));
    expect(neither.path).toBe("$.federatedIdentityCredentials[0].properties.subject");
    expect(neither.message).toMatch(/exactly one of subject and claimsMatchingExpression/);
    const both = { ...base, subject: "system:serviceaccount:a:b", claimsMatchingExpression: { value: "claims['sub'] matches x", languageVersion: 1 } };
    expect(errorOf(() => parseTenant(withFic(both))).path).toBe("$.federatedIdentityCredentials[0].properties.subject");
    const badExpression = { ...base, claimsMatchingExpression: { value: "", languageVersion: 1 } };
    expect(errorOf(() => parseTenant(withFic(badExpression))).path).toBe("$.federatedIdentityCredentials[0].properties.claimsMatchingExpression.value");
  });

  it("accepts every ARM principal type, ForeignGroup and Device included, and rejects others by path", () => {
    for (const principalType of ["ForeignGroup", "Device", "User", "Group", "ServicePrincipal"]) {
      const t = buildTestTenant();
      (t.roleAssignments[0]!.properties as Record<string, unknown>).principalType = principalType;
      expect(parseTenant(t).roleAssignments[0]!.properties!.principalType).toBe(principalType);
    }
    const t = buildTestTenant();
    (t.roleAssignments[0]!.properties as Record<string, unknown>).principalType = "Robot";
    const e = errorOf(() => parseTenant(t));
    expect(e.path).toBe("$.roleAssignments[0].properties.principalType");
    expect(e.message).toMatch(/ForeignGroup/);
  });

  it("accepts a condition with its version, and null for both, and rejects a condition that is not text", () => {
    const t = buildTestTenant();
    Object.assign(t.roleAssignments[5]!.properties!, { condition: "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'})))", conditionVersion: "2.0" });
    expect(parseTenant(t).roleAssignments[5]!.properties!.conditionVersion).toBe("2.0");
    Object.assign(t.roleAssignments[5]!.properties!, { condition: 42 });
    expect(errorOf(() => parseTenant(t)).path).toBe("$.roleAssignments[5].properties.condition");
  });

  it("accepts any Microsoft Graph directory object type and rejects a bare type name by path", () => {
    const t = buildTestTenant();
    t.principals.push({ id: "aaaaaaaa-0000-0000-0000-0000000000d1", "@odata.type": "#microsoft.graph.device", displayName: "build-agent-01" });
    expect(parseTenant(t).principals.at(-1)!["@odata.type"]).toBe("#microsoft.graph.device");
    t.principals.push({ id: "aaaaaaaa-0000-0000-0000-0000000000d2", "@odata.type": "group" });
    expect(errorOf(() => parseTenant(t)).path).toBe(`$.principals[${t.principals.length - 1}]["@odata.type"]`);
  });

  it("accepts the emulator-only consent block and names a resource that is neither an app id nor an https URI", () => {
    const t = buildTestTenant();
    t.consent = { required: ["https://management.azure.com"], adminConsented: [], interactionRequired: ["6dae42f8-4368-4678-94ff-3960e28e3630"] };
    t.users![0]!.consentedResources = ["6dae42f8-4368-4678-94ff-3960e28e3630"];
    expect(parseTenant(t).consent?.required).toEqual(["https://management.azure.com"]);
    t.users![0]!.consentedResources = ["aks"];
    expect(errorOf(() => parseTenant(t)).path).toBe("$.users[0].consentedResources[0]");
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
