import { describe, expect, it } from "vitest";
import { getIndex } from "@/components/inventory/lookup";
import { MG_CORP, RG_PROD, SUBNET, SUB_PROD, SUB_SHARED, VAULT, buildTestInventory } from "@/components/inventory/inventory.testing";
import { buildScopeCrumbs } from "./names";

const index = getIndex(buildTestInventory());
const labels = (scope: string) => buildScopeCrumbs(scope, index).map((c) => `${c.level}:${c.label}`);

describe("buildScopeCrumbs", () => {
  it("prefixes a resource scope with the subscription's management group chain and resolves names", () => {
    expect(labels(VAULT)).toEqual([
      "managementGroup:Tenant Root Group",
      "managementGroup:Corp",
      "subscription:prod",
      "resourceGroup:rg-prod",
      "resource:kv-payments",
    ]);
    expect(buildScopeCrumbs(VAULT, index).at(-1)).toMatchObject({ resourceType: "Microsoft.KeyVault/vaults", known: true });
  });

  it("matches ids case-insensitively, as ARM does", () => {
    expect(labels(VAULT.toUpperCase()).slice(2)).toEqual(["subscription:prod", "resourceGroup:rg-prod", "resource:kv-payments"]);
  });

  it("names a child resource parent/child and marks it unknown when the scan did not see it", () => {
    const last = buildScopeCrumbs(SUBNET, index).at(-1)!;
    expect(last).toMatchObject({ label: "vnet-prod/nodes", known: false, resourceType: "Microsoft.Network/virtualNetworks/subnets" });
  });

  it("shows a subscription outside any management group without a management group step", () => {
    expect(labels(`/subscriptions/${SUB_SHARED}`)).toEqual(["subscription:shared"]);
  });

  it("walks a management group scope to the root", () => {
    expect(labels(MG_CORP)).toEqual(["managementGroup:Tenant Root Group", "managementGroup:Corp"]);
  });

  it("falls back to ids for subscriptions and groups the scan did not see", () => {
    const other = "/subscriptions/99999999-9999-9999-9999-999999999999/resourceGroups/rg-x";
    expect(buildScopeCrumbs(other, index).map((c) => [c.label, c.known])).toEqual([
      ["99999999-9999-9999-9999-999999999999", false],
      ["rg-x", false],
    ]);
  });

  it("keeps an unparseable scope as a single raw step instead of throwing", () => {
    expect(buildScopeCrumbs("not-a-scope", index)).toEqual([{ level: "resource", id: "not-a-scope", label: "not-a-scope", known: false }]);
    expect(labels("/")).toEqual(["root:Tenant root (/)"]);
    expect(labels(RG_PROD).at(-1)).toBe("resourceGroup:rg-prod");
    expect(labels(`/subscriptions/${SUB_PROD}`).at(-1)).toBe("subscription:prod");
  });
});
