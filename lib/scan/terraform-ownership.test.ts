import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildInventory } from "@/lib/inventory/build";
import { managedObjectOf, withManagedOrigin } from "@/lib/iac/managed-origin";
import type { Inventory } from "@/lib/model/types";
import { evaluateRules } from "@/lib/rules/evaluate";
import { rawFromTenant } from "@/lib/tenant/raw-from-tenant";
import { loadTenantFile } from "@/lib/tenant/schema";
import { readScanOwnership, scanOwnership, terraformConfigOf } from "./terraform-ownership";
import { parseEnv } from "@/lib/env";
import { DEMO_ENV } from "@/lib/testing/demo-env";

const root = path.resolve(__dirname, "../..");
const demoTf = path.join(root, "fixtures/terraform/demo");
const config = { states: [path.join(demoTf, "state")], dir: demoTf };
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "scopewise-tf-own-"));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));
let inventory: Inventory;
beforeAll(async () => {
  inventory = buildInventory(rawFromTenant(await loadTenantFile(path.join(root, "fixtures/tenants/demo.json"))));
});

describe("Terraform ownership of a scan", () => {
  it("reads the configured states and HCL: managed objects with their block's file and line, drift as findings", async () => {
    const own = await readScanOwnership(inventory, config);
    expect(own.error).toBeUndefined();
    const byAddress = new Map([...own.managed.values()].map((m) => [m.address, m]));
    expect([...byAddress.keys()].sort()).toEqual([
      "azurerm_federated_identity_credential.external_dns",
      "azurerm_role_assignment.external_dns_zone",
      "azurerm_role_assignment.orders_reports_reader",
      "azurerm_user_assigned_identity.external_dns",
      "module.aks.azurerm_role_assignment.control_plane_network",
      "module.aks.azurerm_role_assignment.kubelet_acr",
    ]);
    const acr = byAddress.get("module.aks.azurerm_role_assignment.kubelet_acr")!;
    const tf = fs.readFileSync(path.join(demoTf, "modules/aks/role_assignments.tf"), "utf8").split("\n");
    expect(acr).toMatchObject({ file: "modules/aks/role_assignments.tf", line: tf.findIndex((l) => l.includes('"kubelet_acr"')) + 1 });
    // The state's Reader grant is gone from Azure: drift, and nothing else drifts in the demo.
    expect(own.drift.map((f) => [f.ruleId, f.iac?.address])).toEqual([["terraform-drift", "azurerm_role_assignment.orders_reports_reader"]]);
  });

  it("ties findings on managed grants to their block, and leaves the others alone", async () => {
    const { managed } = await readScanOwnership(inventory, config);
    const findings = evaluateRules(inventory);
    const acr = findings.find((f) => f.ruleId === "acr-scope-too-broad")!;
    expect(withManagedOrigin(acr, managed).iac).toMatchObject({ tool: "terraform", address: "module.aks.azurerm_role_assignment.kubelet_acr", file: "modules/aks/role_assignments.tf" });
    const owner = findings.find((f) => f.ruleId === "privileged-role-on-workload-identity" && f.roleName === "Owner")!;
    expect(managedObjectOf(owner, managed)).toBeUndefined();
    expect(withManagedOrigin(owner, managed)).toBe(owner);
  });

  it("reports a state that cannot be read by file and line, with nothing managed rather than a part", async () => {
    const bad = path.join(tmp, "broken.json");
    fs.writeFileSync(bad, '{\n  "format_version": "1.0",\n  "values": {\n');
    const own = await readScanOwnership(inventory, { states: [path.join(demoTf, "state"), bad] });
    expect(own.error).toMatch(new RegExp(`${bad.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(:\\d+)?: is not JSON`));
    expect(own.managed.size).toBe(0);
    expect(own.drift).toEqual([]);
    expect((await readScanOwnership(inventory, { states: [path.join(tmp, "missing")] })).error).toMatch(/missing: does not exist/);
  });

  it("reads nothing without configuration, and reads once per scan", async () => {
    expect(terraformConfigOf(parseEnv(DEMO_ENV))).toBeUndefined();
    expect(terraformConfigOf(parseEnv({ ...DEMO_ENV, SCOPEWISE_TERRAFORM_STATES: "a.json,b" }))).toEqual({ states: ["a.json", "b"] });
    expect((await readScanOwnership(inventory, undefined)).managed.size).toBe(0);
    expect(scanOwnership(inventory, config)).toBe(scanOwnership(inventory, config));
  });
});
