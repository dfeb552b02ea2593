import { describe, expect, it } from "vitest";
import { adaptRoleAssignment } from "@/lib/azure/authorization.adapter";
import { realArm } from "@/lib/azure/testdata/real-examples";
import { builtinRoleDefinitions } from "@/lib/roles/catalog";
import { blobContainerCondition } from "@/lib/tenant/builder/roles";
import type { RoleAssignment } from "@/lib/model/types";
import { conditionEffect, parseCondition } from "./conditions";

const role = (name: string) => builtinRoleDefinitions().find((r) => r.roleName === name)!;
const docsExample = adaptRoleAssignment(realArm.roleAssignments.find((a) => (a.properties as { condition?: unknown }).condition)!);
const withCondition = (condition: string | null): RoleAssignment => ({ ...docsExample, condition });

describe("role assignment conditions", () => {
  it("reads the Azure docs' example (Microsoft Learn, conditions-role-assignments-rest): blob reads only in blobs-example-container", () => {
    expect(docsExample.conditionVersion).toBe("2.0");
    expect(parseCondition(docsExample.condition!)).toEqual([
      {
        actions: ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"],
        partial: [],
        expression: "@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'blobs-example-container'",
        names: { noun: "container", values: ["blobs-example-container"] },
      },
    ]);
    // Storage Blob Data Reader, the docs' role: every data action it grants is limited to that container.
    expect(conditionEffect(docsExample, role("Storage Blob Data Reader"))).toMatchObject({ dataLimitedTo: { noun: "container", values: ["blobs-example-container"] }, writesGuarded: false });
  });

  it("on a write-capable role, the same condition leaves the writes unconditioned: not limited, writes not guarded", () => {
    const effect = conditionEffect(docsExample, role("Storage Blob Data Contributor"))!;
    expect(effect.dataLimitedTo).toBeUndefined();
    expect(effect.writesGuarded).toBe(false);
  });

  it("a condition guarding every blob data action of Storage Blob Data Contributor limits it and guards its writes", () => {
    const effect = conditionEffect(withCondition(blobContainerCondition("exports", ["read", "write", "add/action", "delete", "move/action"])), role("Storage Blob Data Contributor"))!;
    expect(effect).toMatchObject({ dataLimitedTo: { noun: "container", values: ["exports"] }, writesGuarded: true, guardsRoleAssignmentWrite: false });
  });

  it("several clauses joined by AND, names compared with ForAnyOfAnyValues, and a sub-operation guard", () => {
    const condition =
      "((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read'} AND NOT SubOperationMatches{'Blob.List'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] ForAnyOfAnyValues:StringEquals {'a', 'b'})) AND ((!(ActionMatches{'Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write'})) OR (@Resource[Microsoft.Storage/storageAccounts/blobServices/containers/blobs:path] StringLike 'uploads/*'))";
    const clauses = parseCondition(condition)!;
    expect(clauses.map((c) => [c.actions, c.partial, c.names])).toEqual([
      [[], ["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/read"], { noun: "container", values: ["a", "b"] }],
      [["Microsoft.Storage/storageAccounts/blobServices/containers/blobs/write"], [], undefined],
    ]);
    // A read guarded only for one sub-operation is not limited; a path condition is not a name limit.
    expect(conditionEffect(withCondition(condition), role("Storage Blob Data Reader"))!.dataLimitedTo).toBeUndefined();
  });

  it("a delegation condition constrains the role assignments its holder may write", () => {
    const condition =
      "((!(ActionMatches{'Microsoft.Authorization/roleAssignments/write'})) OR (@Request[Microsoft.Authorization/roleAssignments:RoleDefinitionId] ForAnyOfAnyValues:GuidEquals {2a2b9908-6ea1-4ae2-8e65-a410df84e7d1}))";
    expect(conditionEffect(withCondition(condition), role("Role Based Access Control Administrator"))).toMatchObject({ guardsRoleAssignmentWrite: true });
  });

  it("a condition not in the portal's form is kept as a whole and limits nothing Scopewise can prove", () => {
    expect(parseCondition("@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'x'")).toBeUndefined();
    const effect = conditionEffect(withCondition("@Resource[Microsoft.Storage/storageAccounts/blobServices/containers:name] StringEquals 'x'"), role("Storage Blob Data Reader"))!;
    expect(effect).toMatchObject({ writesGuarded: false, guardsRoleAssignmentWrite: false });
    expect(effect.dataLimitedTo).toBeUndefined();
    expect(conditionEffect(withCondition(null), role("Storage Blob Data Reader"))).toBeUndefined();
  });
});
