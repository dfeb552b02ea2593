import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildInventory } from "@/lib/inventory/build";
import { clusterId, managedCluster, pod, tenant, uai } from "@/lib/inventory/fixtures.testing";
import { builtinCatalog } from "@/lib/roles/builtin-catalog";
import type { TenantFile } from "@/lib/tenant/types";
import { rawFromTenant } from "./raw-from-tenant";

describe("rawFromTenant", () => {
  it("serves the built-in catalog subscription-qualified, then the tenant's custom roles", () => {
    const custom = {
      id: "/subscriptions/11111111-1111-1111-1111-111111111111/providers/Microsoft.Authorization/roleDefinitions/c0ffee00-0000-0000-0000-000000000001",
      name: "c0ffee00-0000-0000-0000-000000000001",
      type: "Microsoft.Authorization/roleDefinitions",
      properties: { roleName: "AKS Deployer", type: "CustomRole", assignableScopes: ["/subscriptions/11111111-1111-1111-1111-111111111111"], permissions: [{ actions: ["*"], notActions: [] }] },
    };
    const raw = rawFromTenant(tenant({ roleDefinitions: [custom] }));
    expect(raw.roleDefinitions).toHaveLength(builtinCatalog.length + 1);
    expect(raw.roleDefinitions[0]?.id).toMatch(/^\/subscriptions\/11111111-1111-1111-1111-111111111111\/providers\/Microsoft\.Authorization\/roleDefinitions\//);
    const inv = buildInventory(raw);
    expect(inv.roleDefinitions.find((d) => d.roleName === "AKS Deployer")).toMatchObject({ roleType: "CustomRole", id: "/providers/Microsoft.Authorization/roleDefinitions/c0ffee00-0000-0000-0000-000000000001" });
    expect(inv.errors).toEqual([]);
  });

  it("passes principals and Kubernetes objects through, marking every cluster present as read", () => {
    const u = uai("id-x");
    const t = tenant({ resources: [u, managedCluster("aks", { controlPlane: "system" })], principals: [{ id: u.properties.principalId }], kubernetes: { [clusterId("aks")]: [pod("ns", "p")] } });
    const raw = rawFromTenant(t);
    expect(raw.principals).toEqual([{ id: u.properties.principalId }]);
    expect(raw.kubernetesRead).toEqual([clusterId("aks")]);
    expect(raw.federatedIdentityCredentials).toEqual([]);
    expect(raw.managementGroups).toEqual([]);
    expect(raw.errors).toEqual([]);
  });
});

const DEMO = path.join(__dirname, "../../fixtures/tenants/demo.json");

describe.skipIf(!existsSync(DEMO))("demo tenant", () => {
  it("builds with zero errors and sane counts", () => {
    const t = JSON.parse(readFileSync(DEMO, "utf8")) as TenantFile;
    const inv = buildInventory(rawFromTenant(t));
    expect(inv.errors).toEqual([]);
    expect(inv.clusters).toHaveLength(3);
    const kinds = new Set(inv.identities.map((i) => i.kind));
    for (const k of ["control-plane", "kubelet", "addon", "app"]) expect(kinds).toContain(k);
    expect(inv.workloads.length).toBeGreaterThan(0);
    expect(inv.links.length).toBeGreaterThan(0);
    expect(inv.roleAssignments.every((a) => a.roleName !== undefined)).toBe(true);
  });
});
