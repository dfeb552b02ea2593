import { describe, expect, it } from "vitest";
import { ActionPatternError } from "./match";
import { effectivePermissions, explainGrant, findGrantedOperation, grants, grantsAll, grantsAny, missingOperations, RoleDefinitionError } from "./permissions";
import { builtin, customRole } from "./test-roles";

const RA_WRITE = "Microsoft.Authorization/roleAssignments/write";
const BLOB = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs";

describe("grants", () => {
  it("subtracts Contributor's notActions from its * action", () => {
    const contributor = builtin("Contributor");
    expect(grants(contributor, "Microsoft.Storage/storageAccounts/write")).toBe(true);
    expect(grants(contributor, RA_WRITE)).toBe(false);
    expect(grants(contributor, "Microsoft.Authorization/roleAssignments/read")).toBe(true);
    expect(grants(contributor, "microsoft.authorization/ROLEASSIGNMENTS/WRITE")).toBe(false);
    expect(explainGrant(contributor, "Microsoft.Compute/virtualMachines/write")).toMatchObject({ blockIndex: 0, matchedBy: "*" });
  });

  it("keeps actions and data actions apart", () => {
    const owner = builtin("Owner");
    expect(grants(owner, `${BLOB}/read`, { data: true })).toBe(false);
    expect(grants(builtin("Storage Blob Data Reader"), `${BLOB}/read`, { data: true })).toBe(true);
    expect(grants(builtin("Storage Blob Data Reader"), `${BLOB}/read`)).toBe(false);
  });

  it("applies notActions only to the block they are in; blocks union", () => {
    const role = customRole(
      "two blocks",
      { actions: ["*"], notActions: ["Microsoft.Authorization/*/Write"] },
      { actions: [RA_WRITE] },
    );
    expect(grants(role, RA_WRITE)).toBe(true);
    expect(explainGrant(role, RA_WRITE)).toMatchObject({ blockIndex: 1 });
    const single = customRole("one block", { actions: ["*", RA_WRITE], notActions: ["Microsoft.Authorization/*/Write"] });
    expect(grants(single, RA_WRITE)).toBe(false);
  });

  it("subtracts notDataActions: Storage Blob Data Owner deletes blobs, a custom role excluding delete does not", () => {
    expect(grants(builtin("Storage Blob Data Owner"), `${BLOB}/delete`, { data: true })).toBe(true);
    const noDelete = customRole("blob writer", { dataActions: [`${BLOB}/*`], notDataActions: [`${BLOB}/delete`] });
    expect(grants(noDelete, `${BLOB}/delete`, { data: true })).toBe(false);
    expect(grants(noDelete, `${BLOB}/write`, { data: true })).toBe(true);
  });

  it("grantsAny / grantsAll / missingOperations", () => {
    const acrPush = builtin("AcrPush");
    const ops = ["Microsoft.ContainerRegistry/registries/pull/read", "Microsoft.ContainerRegistry/registries/artifacts/delete"];
    expect(grantsAny(acrPush, ops)).toBe(true);
    expect(grantsAll(acrPush, ops)).toBe(false);
    expect(grantsAll(acrPush, [])).toBe(true);
    expect(missingOperations(acrPush, ops)).toEqual(["Microsoft.ContainerRegistry/registries/artifacts/delete"]);
  });

  it("refuses a wildcard operation and points to findGrantedOperation", () => {
    expect(() => grants(builtin("Reader"), "Microsoft.Network/*")).toThrow(/findGrantedOperation/);
    expect(() => grants(builtin("Reader"), "")).toThrow(ActionPatternError);
  });

  it("reports malformed role definitions by role and field", () => {
    const bad = customRole("broken", { actions: ["*"] });
    (bad.permissions[0] as unknown as Record<string, unknown>).notActions = "Microsoft.Authorization/*/Write";
    expect(() => grants(bad, "Microsoft.Compute/virtualMachines/write")).toThrow(RoleDefinitionError);
    expect(() => grants(bad, "Microsoft.Compute/virtualMachines/write")).toThrow(/broken .*permissions\[0\]\.notActions must be an array/);
  });
});

describe("effectivePermissions", () => {
  it("drops patterns their own block cancels and keeps partly cut ones", () => {
    const role = customRole("cancelled", { actions: ["*", RA_WRITE], notActions: ["Microsoft.Authorization/*/Write"] });
    const eff = effectivePermissions(role);
    expect(eff.actions).toEqual(["*"]);
    expect(eff.blocks[0]!.notActions).toEqual(["Microsoft.Authorization/*/Write"]);
    expect(effectivePermissions(role)).toBe(eff);
  });

  it("flags ABAC-conditioned blocks", () => {
    expect(effectivePermissions(builtin("Key Vault Data Access Administrator")).conditional).toBe(true);
    expect(effectivePermissions(builtin("Owner")).conditional).toBe(false);
  });
});

describe("findGrantedOperation", () => {
  it("answers wildcard questions exactly", () => {
    const contributor = builtin("Contributor");
    expect(findGrantedOperation(contributor, "Microsoft.Authorization/*/write")).toBeUndefined();
    expect(findGrantedOperation(contributor, "Microsoft.Network/*/write")).toBe("microsoft.network/x/write");
    expect(findGrantedOperation(builtin("Reader"), "*", { except: ["*/read"] })).toBeUndefined();
  });
});
