import { describe, expect, it } from "vitest";
import { adaptManagementGroup, adaptResourceGroup, adaptSubscription } from "./hierarchy.adapter";
import { adaptResource, hasSystemAssigned, hasUserAssigned } from "./resource.adapter";
import { adaptPrincipal } from "./principal.adapter";

describe("hierarchy adapters", () => {
  it("reads a management group with its parent, and the tenant root with none", () => {
    const mg = adaptManagementGroup({
      id: "/providers/Microsoft.Management/managementGroups/platform",
      name: "platform",
      type: "Microsoft.Management/managementGroups",
      properties: { displayName: "Platform", details: { parent: { id: "/providers/Microsoft.Management/managementGroups/root" } } },
    });
    expect(mg).toEqual({ id: "/providers/Microsoft.Management/managementGroups/platform", name: "platform", displayName: "Platform", parentId: "/providers/Microsoft.Management/managementGroups/root" });
    const root = adaptManagementGroup({ id: "/providers/Microsoft.Management/managementGroups/root", properties: { details: { parent: null } } });
    expect(root.parentId).toBeUndefined();
    expect(root.displayName).toBe("root");
  });

  it("reads a subscription and turns a bare management group name into its id", () => {
    const s = adaptSubscription({ subscriptionId: "s1", displayName: "hub", state: "Enabled", managementGroupId: "platform" });
    expect(s).toMatchObject({ id: "/subscriptions/s1", subscriptionId: "s1", managementGroupId: "/providers/Microsoft.Management/managementGroups/platform" });
    expect(() => adaptSubscription({ displayName: "no id" })).toThrow(/subscription \(unknown\): subscriptionId is missing/);
  });

  it("reads a Resource Graph resourcecontainers subscription row", () => {
    const s = adaptSubscription({
      id: "/subscriptions/s2",
      name: "spoke",
      type: "microsoft.resources/subscriptions",
      subscriptionId: "s2",
      tenantId: "t",
      properties: { state: "Disabled", managementGroupAncestorsChain: [{ name: "landing", displayName: "Landing" }, { name: "root" }] },
    });
    expect(s).toMatchObject({ displayName: "spoke", state: "Disabled", managementGroupId: "/providers/Microsoft.Management/managementGroups/landing" });
  });

  it("reads a node resource group's managedBy and rejects a resource id", () => {
    const rg = adaptResourceGroup({ id: "/subscriptions/s1/resourceGroups/MC_x", location: "westeurope", managedBy: "/subscriptions/s1/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/x" });
    expect(rg).toMatchObject({ name: "MC_x", subscriptionId: "s1", managedBy: expect.stringMatching(/managedClusters\/x$/) });
    expect(() => adaptResourceGroup({ id: "/subscriptions/s1/resourceGroups/r/providers/A.B/c/d" })).toThrow(/not a resource group id/);
  });
});

describe("adaptResource", () => {
  it("reads a Resource Graph row (lower-cased type, no properties) and a system+user identity block", () => {
    const r = adaptResource({
      id: "/subscriptions/s1/resourceGroups/RG1/providers/Microsoft.Network/networkInterfaces/nic",
      name: "nic",
      type: "microsoft.network/networkinterfaces",
      location: "centralus",
      tags: { tag1: "Value1" },
      identity: { type: "SystemAssigned, UserAssigned", principalId: "p", userAssignedIdentities: { "/subscriptions/s1/resourceGroups/r/providers/Microsoft.ManagedIdentity/userAssignedIdentities/u": {} } },
    });
    expect(r).toMatchObject({ subscriptionId: "s1", resourceGroup: "RG1", type: "microsoft.network/networkinterfaces", properties: {}, tags: { tag1: "Value1" } });
    expect(hasSystemAssigned(r.identity)).toBe(true);
    expect(hasUserAssigned(r.identity)).toBe(true);
    expect(Object.values(r.identity!.userAssignedIdentities!)[0]).toEqual({ principalId: undefined, clientId: undefined });
  });

  it("rejects a non-resource id", () => {
    expect(() => adaptResource({ id: "/subscriptions/s1" })).toThrow(/resource \/subscriptions\/s1: id is not a resource id/);
  });
});

describe("adaptPrincipal", () => {
  it("maps @odata.type to user, group, and defaults to service principal", () => {
    expect(adaptPrincipal({ id: "u", "@odata.type": "#microsoft.graph.user", displayName: "Ana", userPrincipalName: "ana@contoso.com" }).type).toBe("user");
    expect(adaptPrincipal({ id: "g", "@odata.type": "#microsoft.graph.group", displayName: "Ops" }).type).toBe("group");
    const sp = adaptPrincipal({ id: "s", appId: "a", displayName: "id-api", servicePrincipalType: "ManagedIdentity", alternativeNames: ["isExplicit=True", "/subscriptions/x"] });
    expect(sp).toMatchObject({ type: "servicePrincipal", appId: "a", servicePrincipalType: "ManagedIdentity", alternativeNames: ["isExplicit=True", "/subscriptions/x"] });
    expect(() => adaptPrincipal({ displayName: "x" })).toThrow(/principal \(unknown\): id is missing/);
  });
});
