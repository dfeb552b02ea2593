import { describe, expect, it } from "vitest";
import {
  normalizeId,
  parseScope,
  resourceGroupIdOf,
  roleDefinitionGuid,
  lastSegment,
  scopeAncestors,
  scopeContains,
  scopeLevelRank,
  ScopeParseError,
  subscriptionOf,
} from "./scope";

const SUB = "/subscriptions/0b1f6471-1bf0-4dda-aec3-cb9272f09590";
const RG = `${SUB}/resourceGroups/rg-aks`;
const VNET = `${RG}/providers/Microsoft.Network/virtualNetworks/vnet-spoke`;
const SUBNET = `${VNET}/subnets/snet-nodes`;

describe("parseScope", () => {
  it("parses the root scope", () => {
    expect(parseScope("/")).toEqual({ id: "/", level: "root" });
  });

  it("parses a management group", () => {
    const p = parseScope("/providers/Microsoft.Management/managementGroups/contoso");
    expect(p.level).toBe("managementGroup");
    expect(p.managementGroup).toBe("contoso");
  });

  it("parses subscription and resource group scopes case-insensitively", () => {
    expect(parseScope(SUB)).toMatchObject({ level: "subscription", subscriptionId: "0b1f6471-1bf0-4dda-aec3-cb9272f09590" });
    expect(parseScope(`${SUB}/RESOURCEGROUPS/rg-aks`)).toMatchObject({ level: "resourceGroup", resourceGroup: "rg-aks" });
  });

  it("parses a top-level resource with its full type", () => {
    expect(parseScope(VNET)).toMatchObject({
      level: "resource",
      provider: "Microsoft.Network",
      resourceType: "Microsoft.Network/virtualNetworks",
      resourceName: "vnet-spoke",
      isChildResource: false,
    });
  });

  it("parses a child resource (subnet) as a child of its parent type", () => {
    expect(parseScope(SUBNET)).toMatchObject({
      level: "resource",
      resourceType: "Microsoft.Network/virtualNetworks/subnets",
      resourceName: "snet-nodes",
      isChildResource: true,
    });
  });

  it("parses an extension resource (a cluster extension) by the type after its last providers segment", () => {
    const cluster = `${RG}/providers/Microsoft.ContainerService/managedClusters/aks-1`;
    expect(parseScope(`${cluster}/providers/Microsoft.KubernetesConfiguration/extensions/flux`)).toMatchObject({
      level: "resource",
      provider: "Microsoft.KubernetesConfiguration",
      resourceType: "Microsoft.KubernetesConfiguration/extensions",
      resourceName: "flux",
      isChildResource: false,
      extendsResource: cluster,
    });
    expect(parseScope(VNET).extendsResource).toBeUndefined();
  });

  it.each([
    ["subscriptions/x", "starts with '/'"],
    ["/subscriptions", "expected /subscriptions/<id>"],
    [`${SUB}/foo/bar`, "expected /resourceGroups/<name>"],
    [`${RG}/providers/Microsoft.Network/virtualNetworks`, "type/name pairs"],
    ["/tenants/abc", "expected /subscriptions/<id>"],
  ])("rejects %s naming the problem", (scope, reason) => {
    expect(() => parseScope(scope)).toThrow(ScopeParseError);
    expect(() => parseScope(scope)).toThrow(reason);
  });
});

describe("scope relations", () => {
  it("contains itself and its descendants, compared case-insensitively", () => {
    expect(scopeContains(RG, SUBNET.toUpperCase())).toBe(true);
    expect(scopeContains(SUB, SUB)).toBe(true);
    expect(scopeContains("/", SUBNET)).toBe(true);
  });

  it("does not treat a name prefix as containment", () => {
    expect(scopeContains(`${SUB}/resourceGroups/rg`, RG)).toBe(false);
    expect(scopeContains(SUBNET, VNET)).toBe(false);
  });

  it("lists ancestors widest first", () => {
    expect(scopeAncestors(SUBNET)).toEqual(["/", SUB, RG, VNET, SUBNET]);
    expect(scopeAncestors(RG)).toEqual(["/", SUB, RG]);
  });

  it("ranks levels widest first", () => {
    expect(scopeLevelRank("managementGroup")).toBeLessThan(scopeLevelRank("subscription"));
    expect(scopeLevelRank("resourceGroup")).toBeLessThan(scopeLevelRank("resource"));
  });

  it("extracts subscription, resource group and role GUIDs", () => {
    expect(subscriptionOf(SUBNET)).toBe("0b1f6471-1bf0-4dda-aec3-cb9272f09590");
    expect(resourceGroupIdOf(SUBNET)).toBe(RG);
    expect(resourceGroupIdOf(SUB)).toBeUndefined();
    expect(roleDefinitionGuid(`${SUB}/providers/Microsoft.Authorization/roleDefinitions/7F951DDA-4ED3-4680-A7CA-43FE172D538D`)).toBe(
      "7f951dda-4ed3-4680-a7ca-43fe172d538d",
    );
    expect(normalizeId(`${RG}/`)).toBe(RG.toLowerCase());
  });

  it("takes the last segment past trailing slashes, and keeps an id without segments", () => {
    expect(lastSegment(`${SUBNET}/`)).toBe("snet-nodes");
    expect(lastSegment("crcontosohub")).toBe("crcontosohub");
    expect(lastSegment("/a//b//")).toBe("b");
    expect(lastSegment("")).toBe("");
    expect(lastSegment("///")).toBe("///");
    expect(roleDefinitionGuid("ACDD72A7-3385-48EF-BD42-F606FBA81AE7/")).toBe("acdd72a7-3385-48ef-bd42-f606fba81ae7");
  });
});
