import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseResourceAddress, configAddress } from "./address";
import { readTerraformPlan } from "./terraform-json";
import { TerraformModel } from "./terraform-model";

const model = new TerraformModel(readTerraformPlan(fs.readFileSync(path.join(__dirname, "testdata/seed/plan.json"), "utf8"), "plan.json"));
const get = (a: string) => model.get(a)!;

describe("addresses", () => {
  it("splits module path, resource and instance key, keys with dots included", () => {
    expect(parseResourceAddress('module.aks["a.b"].azurerm_role_assignment.acr["x.y"]')).toEqual({ module: 'module.aks["a.b"]', resource: "azurerm_role_assignment.acr", key: '["x.y"]' });
    expect(parseResourceAddress("data.azurerm_resource_group.rg")).toEqual({ module: "", resource: "data.azurerm_resource_group.rg", key: "" });
    expect(configAddress('module.aks[0].azurerm_role_assignment.acr["k"]')).toBe("module.aks.azurerm_role_assignment.acr");
  });
});

describe("values unknown until apply", () => {
  it("follow principal_id to the new cluster's kubelet identity", () => {
    expect(model.resolve(get("module.aks.azurerm_role_assignment.acr_pull"), ["principal_id"])).toBe("module.aks.azurerm_kubernetes_cluster.main.kubelet_identity[0].object_id");
  });

  it("follow a module input to the root module's resource", () => {
    // var.acr_id → azurerm_container_registry.acr.id (a new registry: its id is a stand-in until the ARM id is predicted)
    expect(model.resolve(get("module.aks.azurerm_role_assignment.acr_pull"), ["scope"])).toBe("azurerm_container_registry.acr.id");
  });

  it("name a new user-assigned identity's principal by its address", () => {
    expect(model.resolve(get("module.aks.azurerm_role_assignment.control_plane_network"), ["principal_id"])).toBe("module.aks.azurerm_user_assigned_identity.control_plane");
  });

  it("follow a module output and collection[each.key]", () => {
    const fic = get('azurerm_federated_identity_credential.app["web"]');
    expect(model.resolve(fic, ["issuer"])).toBe("module.aks.azurerm_kubernetes_cluster.main.oidc_issuer_url");
    expect(model.resolve(fic, ["parent_id"])).toBe('azurerm_user_assigned_identity.app["web"].id');
  });

  it("keep known values and leave unset ones undefined", () => {
    expect(model.resolve(get("module.aks.azurerm_role_assignment.acr_pull"), ["role_definition_name"])).toBe("AcrPull");
    expect(model.resolve(get("module.aks.azurerm_role_assignment.acr_pull"), ["condition"])).toBeUndefined();
  });
});
