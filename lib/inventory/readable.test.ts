import { describe, expect, it } from "vitest";
import { readableScopes } from "./readable";

const inventory = {
  subscriptions: [{ id: "/subscriptions/AAA", subscriptionId: "aaa", displayName: "a", state: "Enabled" }],
  managementGroups: [{ id: "/providers/Microsoft.Management/managementGroups/platform", name: "platform", displayName: "Platform" }],
  errors: [{ source: "arm:resources", message: "you lack rights", status: 403, scope: "/subscriptions/aaa/resourceGroups/secret" }],
};

describe("readableScopes", () => {
  const readable = readableScopes(inventory);
  it("reads scopes under a subscription the person sees, whatever the id casing", () => {
    expect(readable("/subscriptions/AAA/resourceGroups/rg/providers/Microsoft.ContainerRegistry/registries/cr")).toBe(true);
    expect(readable("/subscriptions/aaa")).toBe(true);
  });
  it("does not read another subscription, a refused resource group, the root or an unparseable id", () => {
    expect(readable("/subscriptions/bbb/resourceGroups/rg")).toBe(false);
    expect(readable("/subscriptions/aaa/resourceGroups/secret/providers/Microsoft.KeyVault/vaults/kv")).toBe(false);
    expect(readable("/")).toBe(false);
    expect(readable("not an id")).toBe(false);
  });
  it("reads a management group the scan could read, and no other", () => {
    expect(readable("/providers/Microsoft.Management/managementGroups/platform")).toBe(true);
    expect(readable("/providers/Microsoft.Management/managementGroups/other")).toBe(false);
  });
});
