import { describe, expect, it } from "vitest";
import { BuiltinRoleId } from "./catalog";
import { DATA_ROLE_FAMILIES, DATA_ROLE_NARROWING, DataNeed, DataRoleFamilyId, dataRoleFamilies, narrowerDataRoles, narrowestDataRole } from "./data-narrowing";
import { builtin, catalog } from "./test-roles";

describe("data role narrowing", () => {
  it.each(DATA_ROLE_NARROWING.flatMap((row) => Object.entries(row.to).map(([need, to]) => ({ ...row, need: need as DataNeed, to: to! }))))(
    "computes $family $need → the role RULES.md names",
    ({ family, need, to, from }) => {
      expect(narrowestDataRole(catalog, family, need)?.role.name).toBe(to);
      for (const wide of from) {
        const proposals = narrowerDataRoles(catalog, catalog.require(wide), [need]);
        expect(proposals.find((p) => p.family.id === family)?.suggestion.role.name, `${catalog.require(wide).roleName} for ${need}`).toBe(to);
      }
    },
  );

  it("finds which services a data role reaches", () => {
    expect(dataRoleFamilies(builtin("Key Vault Administrator")).map((f) => f.id)).toEqual([
      DataRoleFamilyId.KeyVaultSecrets,
      DataRoleFamilyId.KeyVaultKeys,
      DataRoleFamilyId.KeyVaultCertificates,
    ]);
    expect(dataRoleFamilies(builtin("Storage Blob Data Contributor")).map((f) => f.id)).toEqual([DataRoleFamilyId.StorageBlob]);
    expect(dataRoleFamilies(builtin("Contributor"))).toEqual([]);
  });

  it("proposes nothing when the held role is already the narrowest", () => {
    expect(narrowerDataRoles(catalog, builtin("Storage Blob Data Reader"), [DataNeed.Read])).toEqual([]);
    expect(narrowerDataRoles(catalog, builtin("Azure Service Bus Data Sender"), [DataNeed.Send])).toEqual([]);
    expect(narrowerDataRoles(catalog, builtin("Key Vault Secrets User"))).toEqual([]);
  });

  it("proposes Storage Blob Data Contributor to a blob owner that only writes", () => {
    expect(narrowestDataRole(catalog, DataRoleFamilyId.StorageBlob, DataNeed.Write)?.role.name).toBe(BuiltinRoleId.StorageBlobDataContributor);
    expect(narrowestDataRole(catalog, DataRoleFamilyId.StorageBlob, DataNeed.Manage)?.role.name).toBe(BuiltinRoleId.StorageBlobDataOwner);
  });

  it("has an operation set for every need it lists, all concrete", () => {
    for (const f of DATA_ROLE_FAMILIES) {
      for (const [need, ops] of Object.entries(f.needs)) {
        const all = [...(ops!.actions ?? []), ...(ops!.dataActions ?? [])];
        expect(all.length, `${f.id} ${need}`).toBeGreaterThan(0);
        expect(all.every((o) => !o.includes("*"))).toBe(true);
      }
    }
  });
});
