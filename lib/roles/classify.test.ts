import { describe, expect, it } from "vitest";
import {
  classifyRole,
  governedResourceTypes,
  hasWildcardAction,
  isBroad,
  isDataRole,
  isDataWrite,
  isPrivileged,
  isReaderClass,
  wildcardActions,
  WildcardKind,
  writesProvider,
} from "./classify";
import { builtin, customRole } from "./test-roles";

describe("isPrivileged / isBroad", () => {
  it("Owner, User Access Administrator and RBAC Administrator are privileged, not broad", () => {
    for (const name of ["Owner", "User Access Administrator", "Role Based Access Control Administrator"]) {
      expect(isPrivileged(builtin(name)), name).toBe(true);
      expect(isBroad(builtin(name)), name).toBe(false);
    }
  });

  it("Contributor is broad, not privileged: its notActions remove role assignment writes", () => {
    const c = classifyRole(builtin("Contributor"));
    expect(c.privileged).toBe(false);
    expect(c.broad).toBe(true);
    expect(c.broadEvidence).toBe("scopewise.unnamedprovider/x/write");
  });

  it("Reader, Network Contributor and a Microsoft.Storage/* custom role are not broad", () => {
    expect(isBroad(builtin("Reader"))).toBe(false);
    expect(isBroad(builtin("Network Contributor"))).toBe(false);
    const storageAll = customRole("storage admin", { actions: ["Microsoft.Storage/*"] });
    expect(isBroad(storageAll)).toBe(false);
    expect(isPrivileged(storageAll)).toBe(false);
    expect(hasWildcardAction(storageAll)).toBe(true);
    expect(wildcardActions(storageAll)).toEqual([{ pattern: "Microsoft.Storage/*", data: false, kind: WildcardKind.Provider, readOnly: false }]);
  });

  it("a custom * role is privileged unless its notActions remove role assignment writes", () => {
    const minusDelete = customRole("almost owner", { actions: ["*"], notActions: ["Microsoft.Authorization/roleAssignments/delete"] });
    expect(isPrivileged(minusDelete)).toBe(true);
    expect(isBroad(minusDelete)).toBe(false);
    const minusWrite = customRole("contributor-like", { actions: ["*"], notActions: ["Microsoft.Authorization/*/write"] });
    expect(isPrivileged(minusWrite)).toBe(false);
    expect(isBroad(minusWrite)).toBe(true);
    expect(hasWildcardAction(minusWrite)).toBe(true);
  });

  it("*/write is privileged (it includes roleAssignments/write); minus Authorization it is broad", () => {
    expect(isPrivileged(customRole("writer", { actions: ["*/write"] }))).toBe(true);
    expect(isBroad(customRole("writer-", { actions: ["*/write"], notActions: ["Microsoft.Authorization/*"] }))).toBe(true);
    const readOnlyStar = customRole("star minus changes", { actions: ["*"], notActions: ["*/write", "*/delete", "*/action"] });
    expect(isPrivileged(readOnlyStar)).toBe(false);
    expect(isBroad(readOnlyStar)).toBe(false);
    expect(isReaderClass(readOnlyStar)).toBe(true);
  });
});

describe("isReaderClass", () => {
  it.each(["Reader", "Key Vault Reader", "Storage Blob Data Reader", "Azure Kubernetes Service RBAC Reader", "AcrPull"])("%s is reader-class", (name) => {
    expect(isReaderClass(builtin(name))).toBe(true);
  });

  it.each(["AcrPush", "Network Contributor", "Key Vault Secrets User", "Contributor", "Storage Blob Data Contributor"])("%s is not reader-class", (name) => {
    const c = classifyRole(builtin(name));
    expect(c.readerClass).toBe(false);
    expect(c.nonReadEvidence).toBeDefined();
  });

  it("a read-only custom role with a write in a second block is not reader-class", () => {
    expect(isReaderClass(customRole("reader", { actions: ["*/read"] }))).toBe(true);
    expect(isReaderClass(customRole("reader+", { actions: ["*/read"] }, { actions: ["Microsoft.Network/virtualNetworks/subnets/join/action"] }))).toBe(false);
    // A write its own block cancels does not count.
    expect(isReaderClass(customRole("reader-", { actions: ["*/read", "Microsoft.Network/*/write"], notActions: ["Microsoft.Network/*"] }))).toBe(true);
  });
});

describe("data roles", () => {
  it("tells data roles and data writers apart", () => {
    expect(isDataRole(builtin("Storage Blob Data Reader"))).toBe(true);
    expect(isDataWrite(builtin("Storage Blob Data Reader"))).toBe(false);
    expect(isDataWrite(builtin("Storage Blob Data Contributor"))).toBe(true);
    expect(isDataWrite(builtin("Key Vault Secrets User"))).toBe(false);
    expect(isDataWrite(builtin("Azure Service Bus Data Sender"))).toBe(true);
    expect(isDataRole(builtin("Contributor"))).toBe(false);
    const blobs = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs";
    expect(isDataWrite(customRole("blob reader by exclusion", { dataActions: [`${blobs}/*`], notDataActions: ["*/write", "*/delete", "*/action"] }))).toBe(false);
    expect(isDataWrite(customRole("blob writer by exclusion", { dataActions: [`${blobs}/*`], notDataActions: ["*/delete", "*/action"] }))).toBe(true);
  });

  it("names the resource types a role governs", () => {
    expect(governedResourceTypes(builtin("Storage Blob Data Reader"))).toEqual(["Microsoft.Storage/storageAccounts"]);
    expect(governedResourceTypes(builtin("AcrPull"))).toEqual(["Microsoft.ContainerRegistry/registries"]);
    expect(governedResourceTypes(builtin("Azure Service Bus Data Sender"))).toEqual(["Microsoft.ServiceBus/namespaces"]);
    expect(governedResourceTypes(builtin("Key Vault Secrets User"))).toEqual(["Microsoft.KeyVault/vaults"]);
    expect(governedResourceTypes(builtin("Azure Event Hubs Data Owner"))).toEqual(["Microsoft.EventHub/namespaces"]);
    expect(governedResourceTypes(builtin("DNS Zone Contributor"))).toEqual(["Microsoft.Network/dnsZones"]);
    expect(governedResourceTypes(builtin("Contributor"))).toEqual([]);
    expect(governedResourceTypes(builtin("Reader"))).toEqual([]);
  });
});

describe("wildcards and providers", () => {
  it("classifies wildcard kinds; */read alone is not a custom-role-wildcard finding", () => {
    expect(wildcardActions(builtin("Owner")).map((w) => w.kind)).toEqual([WildcardKind.All]);
    expect(hasWildcardAction(builtin("Reader"))).toBe(false);
    expect(classifyRole(builtin("Reader")).wildcards).toEqual([{ pattern: "*/read", data: false, kind: WildcardKind.AnyProvider, readOnly: true }]);
    expect(hasWildcardAction(customRole("narrow", { actions: ["Microsoft.Compute/virtualMachines/*"] }))).toBe(false);
    expect(hasWildcardAction(customRole("any delete", { actions: ["*/delete"] }))).toBe(true);
    expect(hasWildcardAction(customRole("data provider", { dataActions: ["Microsoft.ServiceBus/*"] }))).toBe(true);
  });

  it("writesProvider sees writes, deletes and actions, not reads", () => {
    expect(writesProvider(builtin("Network Contributor"), "Microsoft.Network")).toBe(true);
    expect(writesProvider(builtin("Virtual Machine Contributor"), "Microsoft.Network")).toBe(true);
    expect(writesProvider(builtin("Reader"), "Microsoft.Network")).toBe(false);
    expect(writesProvider(builtin("Contributor"), "Microsoft.Network")).toBe(true);
    // Contributor removes Authorization writes and deletes, but e.g. policy exemption actions remain.
    expect(writesProvider(builtin("Contributor"), "microsoft.authorization")).toBe(true);
    expect(writesProvider(customRole("no authz changes", { actions: ["*"], notActions: ["Microsoft.Authorization/*/write", "Microsoft.Authorization/*/delete", "Microsoft.Authorization/*/action"] }), "Microsoft.Authorization")).toBe(false);
    expect(writesProvider(builtin("AcrPull"), "Microsoft.ContainerRegistry")).toBe(false);
    expect(() => writesProvider(builtin("Reader"), "Microsoft.Network/*")).toThrow(/provider namespace/);
  });

  it("memoises per role object", () => {
    const role = builtin("Network Contributor");
    expect(classifyRole(role)).toBe(classifyRole(role));
  });
});
