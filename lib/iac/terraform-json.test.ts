import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { IacInputError } from "./input-error";
import { listResourceInstances, readTerraformPlan, readTerraformState } from "./terraform-json";

const seedPlan = fs.readFileSync(path.join(__dirname, "testdata/seed/plan.json"), "utf8");

function error(fn: () => unknown): IacInputError {
  try {
    fn();
  } catch (e) {
    if (e instanceof IacInputError) return e;
    throw e;
  }
  throw new Error("expected an IacInputError");
}

describe("Terraform JSON readers", () => {
  it("reads a plan's planned values, child modules and changes", () => {
    const plan = readTerraformPlan(seedPlan, "plan.json");
    const addresses = listResourceInstances(plan.plannedValues).map((r) => r.address);
    expect(addresses).toContain('azurerm_user_assigned_identity.app["orders"]');
    expect(addresses).toContain("module.aks.azurerm_role_assignment.acr_pull");
    expect(plan.resourceChanges.find((c) => c.address === "module.aks.azurerm_kubernetes_cluster.main")?.change.actions).toEqual(["create"]);
  });

  it("refuses a plan of another format major version, naming the file and the version", () => {
    const doc = JSON.parse(seedPlan) as Record<string, unknown>;
    doc.format_version = "2.0";
    const e = error(() => readTerraformPlan(JSON.stringify(doc), "infra/plan.json"));
    expect(e.message).toMatch(/^infra\/plan\.json: has format_version "2\.0"; Scopewise reads Terraform's JSON format 1\.x/);
    // A newer minor version is compatible by Terraform's promise.
    doc.format_version = "1.9";
    expect(readTerraformPlan(JSON.stringify(doc), "plan.json").formatVersion).toBe("1.9");
  });

  it("refuses a state that is not JSON with the file and the line of the fault", () => {
    const text = '{\n  "format_version": "1.0",\n  "values": {\n    "root_module": { oops }\n  }\n}\n';
    const e = error(() => readTerraformState(text, "prod.tfstate.json"));
    expect(e.file).toBe("prod.tfstate.json");
    expect(e.line).toBe(4);
    expect(e.message).toMatch(/^prod\.tfstate\.json:4: is not JSON/);
  });

  it("tells a state passed as a plan, and a plan passed as a state", () => {
    const state = JSON.stringify({ format_version: "1.0", terraform_version: "1.9.8", values: { root_module: { resources: [] } } });
    expect(error(() => readTerraformPlan(state, "state.json")).message).toMatch(/state\.json: is a Terraform state .* not a plan/);
    expect(error(() => readTerraformState(seedPlan, "plan.json")).message).toMatch(/plan\.json: is a Terraform plan .* not a state/);
  });

  it("refuses output that is not from terraform show -json, and malformed parts by their path", () => {
    expect(error(() => readTerraformPlan('{"planned_values": {}}', "x.json")).message).toMatch(/no format_version/);
    expect(error(() => readTerraformPlan("[1]", "x.json")).message).toMatch(/not a JSON object/);
    const bad = JSON.stringify({ format_version: "1.2", planned_values: {}, resource_changes: [{ address: "a.b", type: "a", name: "b", change: { actions: "create" } }] });
    expect(error(() => readTerraformPlan(bad, "x.json")).message).toMatch(/resource_changes\[0\]\.change\.actions must be an array of strings/);
  });
});
