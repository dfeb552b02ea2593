import { describe, expect, it } from "vitest";
import { ActionPatternError, actionMatches, compileActionPattern, findOperation, patternSurvives } from "./match";

describe("actionMatches", () => {
  it("matches a provider wildcard across segments", () => {
    expect(actionMatches("Microsoft.Storage/*", "Microsoft.Storage/storageAccounts/read")).toBe(true);
    expect(actionMatches("Microsoft.Storage/*", "Microsoft.Storage/storageAccounts/blobServices/containers/write")).toBe(true);
    expect(actionMatches("Microsoft.Storage/*", "Microsoft.StorageSync/storageSyncServices/read")).toBe(false);
  });

  it("treats */read as every read of every provider and nothing else", () => {
    expect(actionMatches("*/read", "Microsoft.Compute/virtualMachines/read")).toBe(true);
    expect(actionMatches("*/read", "Microsoft.KeyVault/vaults/secrets/readMetadata/action")).toBe(false);
    expect(actionMatches("*/read", "Microsoft.Compute/virtualMachines/write")).toBe(false);
  });

  it("matches a mid-pattern wildcard like Contributor's Microsoft.Authorization/*/Write", () => {
    expect(actionMatches("Microsoft.Authorization/*/Write", "Microsoft.Authorization/roleAssignments/write")).toBe(true);
    expect(actionMatches("Microsoft.Authorization/*/Write", "Microsoft.Authorization/policyAssignments/exemptions/write")).toBe(true);
    expect(actionMatches("Microsoft.Authorization/*/Write", "Microsoft.Authorization/roleAssignments/read")).toBe(false);
    expect(actionMatches("Microsoft.Network/*/join/action", "Microsoft.Network/virtualNetworks/subnets/join/action")).toBe(true);
    expect(actionMatches("Microsoft.Network/*/join/action", "Microsoft.Network/virtualNetworks/subnets/write")).toBe(false);
  });

  it("matches a wildcard inside a segment", () => {
    expect(actionMatches("Microsoft.Storage/storageAccounts/*Services/read", "Microsoft.Storage/storageAccounts/blobServices/read")).toBe(true);
    expect(actionMatches("Microsoft.Storage/storageAccounts/*Services/read", "Microsoft.Storage/storageAccounts/read")).toBe(false);
  });

  it("lets * alone match everything", () => {
    expect(actionMatches("*", "Microsoft.Authorization/roleAssignments/write")).toBe(true);
  });

  it("is case-insensitive and treats regex metacharacters literally", () => {
    expect(actionMatches("microsoft.network/VIRTUALNETWORKS/read", "Microsoft.Network/virtualNetworks/READ")).toBe(true);
    expect(actionMatches("Microsoft.Storage/*", "MicrosoftXStorage/storageAccounts/read")).toBe(false);
    expect(actionMatches("Microsoft.Web/sites/(x)+/read", "Microsoft.Web/sites/(x)+/read")).toBe(true);
  });

  it("compiles each pattern once", () => {
    expect(compileActionPattern("Microsoft.Network/*")).toBe(compileActionPattern("  microsoft.network/*"));
  });

  it("rejects empty patterns and operations with a clear error", () => {
    expect(() => actionMatches("", "Microsoft.Storage/storageAccounts/read")).toThrow(ActionPatternError);
    expect(() => actionMatches("*", "  ")).toThrow(/operation is empty/);
  });
});

describe("findOperation", () => {
  const contributorNotActions = ["Microsoft.Authorization/*/Delete", "Microsoft.Authorization/*/Write", "Microsoft.Authorization/elevateAccess/Action"];

  it("finds what * still grants after Contributor's notActions, but not role assignment writes", () => {
    expect(findOperation({ include: ["*", "Microsoft.Compute/*/write"], exclude: contributorNotActions })).toBe("microsoft.compute/x/write");
    expect(findOperation({ include: ["*", "Microsoft.Authorization/roleAssignments/write"], exclude: contributorNotActions })).toBeUndefined();
    expect(findOperation({ include: ["*", "Microsoft.Authorization/*/write"], exclude: contributorNotActions })).toBeUndefined();
  });

  it("decides exactly, not by sampling", () => {
    // Everything under Microsoft.Foo that is not read, written or deleted: actions remain.
    expect(findOperation({ include: ["Microsoft.Foo/*"], exclude: ["*/read", "*/write", "*/delete"] })).toBe("microsoft.foo/action");
    expect(findOperation({ include: ["Microsoft.Foo/*"], exclude: ["*/read", "*/write", "*/delete", "*/action"] })).toBeUndefined();
    expect(findOperation({ include: ["Microsoft.Foo/*/write"], exclude: ["Microsoft.Foo/bar/*"] })).toBe("microsoft.foo/x/write");
    expect(findOperation({ include: ["Microsoft.Foo/*/write"], exclude: ["Microsoft.Foo/bar/*", "Microsoft.Foo/*"] })).toBeUndefined();
    expect(findOperation({ include: ["Microsoft.Foo/*/write"], exclude: ["*e"] })).toBeUndefined();
  });

  it("only answers well-formed operations (provider and at least one more non-empty segment)", () => {
    const op = findOperation({ include: ["*"], exclude: ["*/read"] })!;
    expect(op).toMatch(/^[^/]+(\/[^/]+)+$/);
    expect(findOperation({ include: ["*/write"] })).toBe("x/write");
    expect(findOperation({ include: ["Microsoft.Foo"] })).toBeUndefined();
    expect(findOperation({ include: ["Microsoft.Foo/bar"] })).toBeUndefined();
    expect(findOperation({ include: ["Microsoft.Foo/bar/*"] })).toBe("microsoft.foo/bar/read");
  });

  it("knows when notActions cancel a pattern completely", () => {
    expect(patternSurvives("Microsoft.Authorization/roleAssignments/write", ["Microsoft.Authorization/*/Write"])).toBe(false);
    expect(patternSurvives("Microsoft.Authorization/*", ["Microsoft.Authorization/*/Write"])).toBe(true);
  });
});
