import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { locateIn } from "@/lib/iac/hcl-sources";
import type { TerraformPlan } from "@/lib/iac/terraform-json";
import type { Finding } from "@/lib/model/findings";
import { IdentityKind } from "@/lib/model/types";
import { rawFromTenant } from "@/lib/tenant/raw-from-tenant";
import { loadTenantFile } from "@/lib/tenant/schema";
import { buildInventory } from "@/lib/inventory/build";
import { evaluateRules } from "@/lib/rules/evaluate";
import { readTerraformDir, readTerraformPlanFile } from "./terraform-files";
import { evaluateTerraformPlan } from "./terraform-plan";

const testdata = path.resolve(__dirname, "../iac/testdata");
const minimal = path.resolve(__dirname, "../../fixtures/tenants/minimal.json");
let seed: TerraformPlan;
let shop: TerraformPlan;
beforeAll(async () => {
  seed = await readTerraformPlanFile(path.join(testdata, "seed/plan.json"));
  shop = await readTerraformPlanFile(path.join(testdata, "shop/plan.json"));
});

const byAddress = (findings: Finding[], address: string) => findings.filter((f) => f.iac?.address === address);

describe("plan check on the seed example (plan alone)", () => {
  it("builds the planned cluster with its kubelet and control-plane identities before they exist", () => {
    const { inventory } = evaluateTerraformPlan({ plan: seed });
    expect(inventory.errors).toEqual([]);
    const [cluster] = inventory.clusters;
    expect(cluster?.id).toBe("/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590/resourceGroups/rg-seed/providers/Microsoft.ContainerService/managedClusters/aks-seed");
    expect(cluster?.nodeResourceGroup).toBe("MC_rg-seed_aks-seed_westeurope");
    const kubelet = inventory.identities.find((i) => i.kind === IdentityKind.Kubelet);
    expect(kubelet?.principalId).toBe("module.aks.azurerm_kubernetes_cluster.main.kubelet_identity[0].object_id");
    // The grants naming the kubelet through the configuration's reference are the kubelet's.
    const kubeletGrants = inventory.roleAssignments.filter((a) => a.principalId === kubelet?.principalId).map((a) => a.roleName);
    expect(kubeletGrants.sort()).toEqual(["AcrPull", "DNS Zone Contributor", "Managed Identity Operator", "Virtual Machine Contributor"]);
    // The app identities' federated credentials trust the planned cluster's issuer.
    expect(inventory.federatedCredentials.map((f) => f.issuer)).toEqual([cluster?.oidcIssuerUrl, cluster?.oidcIssuerUrl]);
  });

  it("judges the planned grants with the live rules and names each block", async () => {
    const locate = locateIn(await readTerraformDir(path.join(testdata, "seed")));
    const { findings } = evaluateTerraformPlan({ plan: seed, locate });
    expect(findings.map((f) => [f.ruleId, f.iac?.address]).sort()).toEqual([
      ["kubelet-identity-extra-role", "module.aks.azurerm_role_assignment.pod_identity_mio"],
      ["kubelet-identity-extra-role", "module.aks.azurerm_role_assignment.pod_identity_vmc"],
      ["network-role-scope-too-broad", "module.aks.azurerm_role_assignment.control_plane_network"],
    ]);
    const network = byAddress(findings, "module.aks.azurerm_role_assignment.control_plane_network")[0]!;
    expect(network.iac).toMatchObject({ tool: "terraform", file: "modules/aks/role_assignments.tf" });
    expect(network.iac?.line).toBeGreaterThan(1);
    // The cluster does not exist yet: its id is its address; the principal is the identity's address.
    expect(network.clusterId).toBe("module.aks.azurerm_kubernetes_cluster.main");
    expect(network.principalId).toBe("module.aks.azurerm_user_assigned_identity.control_plane");
    expect(network.roleAssignmentId).toBe("module.aks.azurerm_role_assignment.control_plane_network");
  });

  it("leaves file and line out without the HCL", () => {
    const { findings } = evaluateTerraformPlan({ plan: seed });
    expect(findings[0]?.iac).toEqual({ tool: "terraform", address: findings[0]?.iac?.address });
  });
});

describe("plan check on the terraform-azurerm-aks role assignments", () => {
  it("gives each grant to the identity the module's reference names, and finds them all within the profiles", async () => {
    const { inventory, findings } = evaluateTerraformPlan({ plan: await readTerraformPlanFile(path.join(testdata, "aks-module/plan.json")) });
    const kindOf = (principalId: string) => inventory.identities.find((i) => i.principalId === principalId)?.kind;
    const grants = Object.fromEntries(inventory.roleAssignments.map((a) => [a.id, [a.roleName, kindOf(a.principalId)]]));
    expect(grants).toEqual({
      'module.aks.azurerm_role_assignment.acr["main"]': ["AcrPull", IdentityKind.Kubelet],
      [`module.aks.azurerm_role_assignment.network_contributor["${inventory.clusters[0]!.agentPools[0]!.vnetSubnetId}"]`]: ["Network Contributor", IdentityKind.ControlPlane],
      "module.aks.azurerm_role_assignment.existing_application_gateway_contributor": ["Contributor", IdentityKind.Addon],
      "module.aks.azurerm_role_assignment.application_gateway_resource_group_reader": ["Reader", IdentityKind.Addon],
    });
    // AcrPull on the registry, Network Contributor on the subnet, Contributor on the gateway and Reader on its group are the profiles' own grants.
    expect(findings).toEqual([]);
  });
});

describe("plan check over a live scan", () => {
  it("judges planned grants together with what exists, and drops what the plan deletes", async () => {
    const live = rawFromTenant(await loadTenantFile(minimal));
    const before = evaluateRules(buildInventory(live));
    const { inventory, findings } = evaluateTerraformPlan({ plan: shop, live });
    // The live reader grant the plan deletes is gone; the planned ones are in.
    const roles = inventory.roleAssignments.map((a) => a.roleName);
    expect(roles).not.toContain("Storage Blob Data Reader");
    expect(roles).toEqual(expect.arrayContaining(["AcrPull", "AcrPush", "Storage Blob Data Contributor"]));
    // AcrPush is judged as the live cluster's kubelet's: the data source resolved it to the live principal.
    const push = byAddress(findings, "azurerm_role_assignment.kubelet_acr_push");
    expect(push.map((f) => f.ruleId).sort()).toEqual(["acr-write-on-kubelet", "kubelet-identity-extra-role"]);
    expect(push[0]?.identityKind).toBe(IdentityKind.Kubelet);
    expect(push[0]?.clusterId).toBe("/subscriptions/662f1b12-49e5-5cad-a6a3-c02e01f4a9d6/resourceGroups/rg-shop/providers/Microsoft.ContainerService/managedClusters/aks-shop");
    // The app identity is an app identity only through the live cluster's workload-identity link.
    expect(byAddress(findings, "azurerm_role_assignment.api_blob").map((f) => [f.ruleId, f.identityKind])).toEqual([["data-role-broader-than-needed", IdentityKind.App]]);
    // Findings about untouched live objects carry no Terraform origin.
    for (const f of findings.filter((x) => !x.iac)) expect(before.map((b) => b.id)).toContain(f.id);
  });

  it("lists identities a plan creates as directory principals, so their grants are not orphaned", async () => {
    const live = rawFromTenant(await loadTenantFile(minimal));
    const { findings } = evaluateTerraformPlan({ plan: seed, live });
    expect(findings.filter((f) => f.ruleId === "orphaned-role-assignment" && f.iac)).toEqual([]);
    expect(findings.filter((f) => f.iac).length).toBeGreaterThan(0);
  });
});
