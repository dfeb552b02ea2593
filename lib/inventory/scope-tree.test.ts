import { describe, expect, it } from "vitest";
import { managementGroupId } from "@/lib/model/scope";
import { rawFromTenant } from "@/lib/tenant/raw-from-tenant";
import { managementGroupWire, resourceGroupWire, resourceWire, subscriptionWire } from "@/lib/tenant/builder/arm";
import { buildInventory } from "./build";
import { TENANT, tenant } from "./fixtures.testing";
import { indexInventory } from "./indexes";
import { scopeTreeOf } from "./scope-tree";

const A = "aaaaaaaa-0000-4000-8000-000000000001";
const B = "bbbbbbbb-0000-4000-8000-000000000002";
const LONE = "cccccccc-0000-4000-8000-000000000003";
const STORAGE = "Microsoft.Storage/storageAccounts";
const VAULT = "Microsoft.KeyVault/vaults";

/** root › platform › landing; A and B under landing, LONE under no group. */
function tree() {
  const rg = (sub: string, name: string) => `/subscriptions/${sub}/resourceGroups/${name}`;
  const t = tenant({
    managementGroups: [
      managementGroupWire({ name: "root", displayName: "Tenant Root", parent: null }),
      managementGroupWire({ name: "platform", displayName: "Platform", parent: "root" }),
      managementGroupWire({ name: "landing", displayName: "Landing", parent: "platform" }),
    ],
    subscriptions: [
      subscriptionWire({ subscriptionId: A, displayName: "a", tenantId: TENANT, managementGroupId: managementGroupId("landing") }),
      subscriptionWire({ subscriptionId: B, displayName: "b", tenantId: TENANT, managementGroupId: managementGroupId("landing") }),
      subscriptionWire({ subscriptionId: LONE, displayName: "lone", tenantId: TENANT }),
    ],
    resourceGroups: [resourceGroupWire(A, "rg-data", "westeurope"), resourceGroupWire(B, "rg-data", "westeurope"), resourceGroupWire(LONE, "rg-data", "westeurope")],
    resources: [
      resourceWire(rg(B, "rg-data"), STORAGE, "stb2", "westeurope"),
      resourceWire(rg(A, "rg-data"), STORAGE, "sta1", "westeurope"),
      resourceWire(rg(A, "rg-data"), STORAGE, "sta2", "westeurope"),
      resourceWire(rg(A, "rg-data"), VAULT, "kva1", "westeurope"),
      resourceWire(rg(LONE, "rg-data"), STORAGE, "stlone", "westeurope"),
    ],
  });
  const inv = buildInventory(rawFromTenant(t));
  return { inv, tree: scopeTreeOf(indexInventory(inv)) };
}

const names = (list: readonly { name: string }[]) => list.map((r) => r.name);

describe("scope tree", () => {
  it("applies a management-group assignment to the subscriptions under the group, at any depth, and nowhere else", () => {
    const { tree: t } = tree();
    const inA = `/subscriptions/${A}/resourceGroups/rg-data/providers/${STORAGE}/sta1`;
    expect(t.applies(managementGroupId("root"), inA)).toBe(true);
    expect(t.applies(managementGroupId("PLATFORM"), inA.toUpperCase())).toBe(true);
    expect(t.applies(managementGroupId("landing"), `/subscriptions/${LONE}/resourceGroups/rg-data`)).toBe(false);
    expect(t.applies(`/subscriptions/${A}`, inA)).toBe(true);
    expect(t.applies(`/subscriptions/${B}`, inA)).toBe(false);
    expect(t.applies("/", inA)).toBe(true);
    expect(t.managementGroupsOf(A)).toEqual(["landing", "platform", "root"].map((n) => managementGroupId(n).toLowerCase()));
    expect(t.managementGroupsOf(LONE)).toEqual([]);
  });

  it("lists the resources of a kind under each level of scope, sorted by id", () => {
    const { tree: t } = tree();
    expect(names(t.resourcesUnder(managementGroupId("platform"), [STORAGE]))).toEqual(["sta1", "sta2", "stb2"]);
    expect(names(t.resourcesUnder(`/subscriptions/${A}`, [STORAGE, VAULT]))).toEqual(["kva1", "sta1", "sta2"]);
    expect(names(t.resourcesUnder(`/SUBSCRIPTIONS/${B.toUpperCase()}`, [STORAGE.toLowerCase()]))).toEqual(["stb2"]);
    expect(names(t.resourcesUnder(`/subscriptions/${A}/resourceGroups/rg-data`, [STORAGE]))).toEqual(["sta1", "sta2"]);
    expect(names(t.resourcesUnder(`/subscriptions/${A}/resourceGroups/rg-data/providers/${STORAGE}/sta2`, [STORAGE]))).toEqual(["sta2"]);
    expect(names(t.resourcesUnder("/", [STORAGE]))).toEqual(["sta1", "sta2", "stb2", "stlone"]);
    expect(t.resourcesUnder(`/subscriptions/${LONE}`, [VAULT])).toEqual([]);
  });

  it("answers a repeated question with the same list, one tree per index", () => {
    const { inv } = tree();
    const index = indexInventory(inv);
    expect(scopeTreeOf(index)).toBe(scopeTreeOf(index));
    const first = scopeTreeOf(index).resourcesUnder(`/subscriptions/${A}`, [STORAGE]);
    expect(scopeTreeOf(index).resourcesUnder(`/subscriptions/${A}`, [STORAGE])).toBe(first);
  });
});
