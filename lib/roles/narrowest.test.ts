import { describe, expect, it } from "vitest";
import { BuiltinRoleId } from "./catalog";
import { countGrantedOperations, narrowestCovering } from "./narrowest";
import { builtin, catalog, customRole } from "./test-roles";

const names = (need: Parameters<typeof narrowestCovering>[1], options?: Parameters<typeof narrowestCovering>[2]) =>
  narrowestCovering(catalog, need, options).map((c) => c.role.roleName);

describe("narrowestCovering", () => {
  it("proposes AcrPull for pulling images", () => {
    const [first] = narrowestCovering(catalog, { actions: ["Microsoft.ContainerRegistry/registries/pull/read"] });
    expect(first!.role.name).toBe(BuiltinRoleId.AcrPull);
    expect(first!.extraOperations).toBe(0);
  });

  it("proposes Storage Blob Data Reader for reading blobs", () => {
    expect(names({ dataActions: ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"] })[0]).toBe("Storage Blob Data Reader");
  });

  it("proposes Azure Service Bus Data Sender for sending, ahead of Data Owner", () => {
    const list = names({ dataActions: ["Microsoft.ServiceBus/namespaces/messages/send/action"] });
    expect(list[0]).toBe("Azure Service Bus Data Sender");
    expect(list).toContain("Azure Service Bus Data Owner");
    expect(list.indexOf("Azure Service Bus Data Owner")).toBeGreaterThan(0);
  });

  it("finds Network Contributor for subnet join plus load balancer writes, and ranks it before Contributor", () => {
    const list = names({
      actions: ["Microsoft.Network/virtualNetworks/subnets/join/action", "Microsoft.Network/loadBalancers/write", "Microsoft.Network/loadBalancers/delete"],
    });
    expect(list).toContain("Network Contributor");
    expect(list).toContain("Contributor");
    expect(list.indexOf("Network Contributor")).toBeLessThan(list.indexOf("Contributor"));
    expect(list).not.toContain("Owner");
  });

  it("leaves privileged roles out unless nothing else covers the need, and then ranks them narrowest first", () => {
    expect(names({ actions: ["Microsoft.Network/loadBalancers/write"] })).not.toContain("Owner");
    expect(names({ actions: ["Microsoft.Network/loadBalancers/write"] }, { includePrivileged: true }).at(-1)).toBe("Owner");
    const assign = narrowestCovering(catalog, { actions: ["Microsoft.Authorization/roleAssignments/write"] });
    expect(assign.every((c) => c.privileged)).toBe(true);
    expect(assign.map((c) => c.role.roleName).slice(0, 3)).toEqual(["Role Based Access Control Administrator", "User Access Administrator", "Owner"]);
    expect(narrowestCovering(catalog, { actions: ["Microsoft.Authorization/roleAssignments/write"] }, { includePrivileged: false })).toEqual([]);
  });

  it("chooses among given candidates, custom roles included", () => {
    const joiner = customRole("subnet joiner", { actions: ["Microsoft.Network/virtualNetworks/subnets/join/action"] });
    const result = narrowestCovering(catalog, { actions: ["Microsoft.Network/virtualNetworks/subnets/join/action"] }, { candidates: [builtin("Network Contributor"), joiner, builtin("Reader")] });
    expect(result.map((c) => c.role.roleName)).toEqual(["subnet joiner", "Network Contributor"]);
    expect(result[0]!.extraOperations).toBe(0);
  });

  it("counts a wider wildcard as granting strictly more", () => {
    expect(countGrantedOperations(builtin("Azure Service Bus Data Owner")).total).toBeGreaterThan(countGrantedOperations(builtin("Azure Service Bus Data Sender")).total);
    expect(countGrantedOperations(builtin("Owner")).total).toBeGreaterThan(countGrantedOperations(builtin("Contributor")).total);
  });

  it("rejects wildcard or empty needs", () => {
    expect(() => narrowestCovering(catalog, { actions: ["Microsoft.Network/*"] })).toThrow(/concrete operation/);
    expect(() => narrowestCovering(catalog, {})).toThrow(/at least one/);
  });
});
