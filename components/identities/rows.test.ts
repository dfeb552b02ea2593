import { describe, expect, it } from "vitest";
import { AKS_PROD, MG_CORP, SUB_PROD, buildTestInventory } from "@/components/inventory/inventory.testing";
import { buildIdentityRows } from "./rows";

describe("buildIdentityRows", () => {
  const inv = buildTestInventory();
  const rows = buildIdentityRows(inv);
  const row = (key: string) => rows.find((r) => r.key === key)!;

  it("summarises role assignments: count, distinct sorted roles, widest scope with a resolved name", () => {
    expect(row("kubelet-1")).toMatchObject({
      assignmentCount: 2,
      roles: ["AcrPull", "Network Contributor"],
      widest: { level: "resourceGroup", name: "rg-prod" },
    });
    expect(row("sp-1").widest).toEqual({ level: "managementGroup", scope: MG_CORP, name: "Corp" });
    expect(row("cp-1").widest).toMatchObject({ level: "subscription", name: "prod" });
  });

  it("shows an unresolved role definition by its GUID rather than hiding it", () => {
    expect(row("app-1").roles).toEqual(["Key Vault Secrets User", "role-a5"]);
  });

  it("has no widest scope for an identity without role assignments", () => {
    expect(row("addon-1")).toMatchObject({ assignmentCount: 0, roles: [], widest: undefined });
  });

  it("names clusters and counts distinct bound workloads", () => {
    expect(row("app-1").clusters).toEqual([{ id: AKS_PROD, name: "aks-prod" }]);
    expect(row("app-1").workloadCount).toBe(1);
    expect(row("cp-1").workloadCount).toBe(0);
  });

  it("collects subscriptions from clusters, resource id and assignment scopes", () => {
    expect(row("app-1").subscriptionIds).toEqual([SUB_PROD]);
    // Owner at a management group names no subscription; its cluster does.
    expect(row("sp-1").subscriptionIds).toEqual(["22222222-2222-2222-2222-222222222222"]);
  });

  it("builds rows once per inventory object", () => {
    expect(buildIdentityRows(inv)).toBe(rows);
    expect(buildIdentityRows(buildTestInventory())).not.toBe(rows);
  });
});
