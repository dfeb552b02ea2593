import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { buildInventory } from "@/lib/inventory/build";
import type { Inventory } from "@/lib/model/types";
import { readTerraformDir } from "@/lib/scan/terraform-files";
import { rawFromTenant } from "@/lib/tenant/raw-from-tenant";
import { loadTenantFile } from "@/lib/tenant/schema";
import { locateIn, type TerraformSources } from "./hcl-sources";
import { ownershipOf, TERRAFORM_DRIFT } from "./ownership";
import { readTerraformState, type TerraformState } from "./terraform-json";

const dir = path.join(__dirname, "testdata/shop/state");
const SUB = "/subscriptions/662f1b12-49e5-5cad-a6a3-c02e01f4a9d6";
const API_PRINCIPAL = "91024498-e9ff-5870-9dea-d9ac7a12654c";
let state: TerraformState;
let sources: TerraformSources;
let raw: ReturnType<typeof rawFromTenant>;
let inventory: Inventory;
beforeAll(async () => {
  state = readTerraformState(fs.readFileSync(path.join(dir, "state.json"), "utf8"), "shop.tfstate.json");
  sources = await readTerraformDir(dir);
  raw = rawFromTenant(await loadTenantFile(path.resolve(__dirname, "../../fixtures/tenants/minimal.json")));
  inventory = buildInventory(raw);
});

describe("ownership of live grants", () => {
  it("tells which live role assignments, identities and credentials a state holds, with block and line", () => {
    const { managed } = ownershipOf([state], inventory, locateIn(sources));
    const acr = managed.get(`${SUB}/resourcegroups/rg-shop/providers/microsoft.containerregistry/registries/fabrikamshop/providers/microsoft.authorization/roleassignments/c2850fb9-cb4c-54c2-8e33-6b9e586b44ac`);
    expect(acr).toMatchObject({ kind: "roleAssignment", address: "azurerm_role_assignment.kubelet_acr", state: "shop.tfstate.json", file: "main.tf" });
    expect(acr?.line).toBe(fs.readFileSync(path.join(dir, "main.tf"), "utf8").split("\n").findIndex((l) => l.includes('"kubelet_acr"')) + 1);
    const kinds = [...managed.values()].map((m) => m.kind).sort();
    expect(kinds).toEqual(["federatedCredential", "identity", "roleAssignment", "roleAssignment", "roleAssignment"]);
    // Live objects no state holds are unmanaged.
    const unmanaged = inventory.roleAssignments.filter((a) => !managed.has(a.id.toLowerCase()));
    expect(unmanaged.map((a) => a.roleName)).toEqual(["Network Contributor"]);
  });

  it("reports drift both ways as terraform-drift findings", () => {
    const { drift } = ownershipOf([state], inventory, locateIn(sources));
    expect(new Set(drift.map((f) => f.ruleId))).toEqual(new Set([TERRAFORM_DRIFT]));
    const byAddress = Object.fromEntries(drift.map((f) => [f.iac!.address, f]));
    expect(Object.keys(byAddress).sort()).toEqual(["azurerm_role_assignment.api_blob_reader", "azurerm_role_assignment.kubelet_acr_old"]);
    expect(byAddress["azurerm_role_assignment.kubelet_acr_old"]!.message).toMatch(/Azure no longer has/);
    expect(byAddress["azurerm_role_assignment.api_blob_reader"]!.message).toMatch(/condition .* in state, \(none\) live/);
    expect(byAddress["azurerm_role_assignment.api_blob_reader"]!.iac).toMatchObject({ file: "main.tf" });
    // Ids are stable across runs.
    expect(ownershipOf([state], inventory).drift.map((f) => f.id)).toEqual(drift.map((f) => f.id));
  });

  it("flags a live grant on a state-managed identity that no state holds", () => {
    const extra = {
      id: `${SUB}/resourceGroups/rg-shop/providers/Microsoft.Authorization/roleAssignments/7c4b3c52-0d55-4c8e-9a3c-8f1f1c1d2e3f`,
      name: "7c4b3c52-0d55-4c8e-9a3c-8f1f1c1d2e3f",
      type: "Microsoft.Authorization/roleAssignments",
      properties: { scope: `${SUB}/resourceGroups/rg-shop`, roleDefinitionId: `${SUB}/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c`, principalId: API_PRINCIPAL, principalType: "ServicePrincipal" },
    };
    const withExtra = buildInventory({ ...raw, roleAssignments: [...raw.roleAssignments, extra] });
    const unmanaged = ownershipOf([state], withExtra).drift.filter((f) => f.roleAssignmentId === extra.id);
    expect(unmanaged).toHaveLength(1);
    expect(unmanaged[0]!.message).toMatch(/Contributor at .*rg-shop is granted to azurerm_user_assigned_identity\.api .* outside Terraform/);
  });

  it("does not call objects outside the scanned subscriptions gone", () => {
    const elsewhere = JSON.parse(JSON.stringify(state).replaceAll("662f1b12-49e5-5cad-a6a3-c02e01f4a9d6", "00000000-0000-0000-0000-00000000beef")) as TerraformState;
    expect(ownershipOf([elsewhere], inventory)).toMatchObject({ drift: [] });
    expect(ownershipOf([elsewhere], inventory).managed.size).toBe(0);
  });
});
