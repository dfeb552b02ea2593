import { describe, expect, it } from "vitest";
import roleDefById from "./testdata/GetRoleDefinitionById.json";
import assignmentsForRg from "./testdata/RoleAssignments_ListForResourceGroup.json";
import { builtinCatalog, catalogRoleToWire } from "@/lib/roles/builtin-catalog";
import { adaptRoleAssignment, adaptRoleDefinition } from "./authorization.adapter";

describe("adaptRoleDefinition", () => {
  it("normalises a subscription-qualified id to the tenant-level id and maps an unknown type to CustomRole", () => {
    const d = adaptRoleDefinition(roleDefById.responses["200"].body);
    expect(d.id).toBe("/providers/Microsoft.Authorization/roleDefinitions/roledefinitionid");
    expect(d.name).toBe("roledefinitionid");
    expect(d.roleName).toBe("Role name");
    expect(d.roleType).toBe("CustomRole");
    expect(d.permissions).toEqual([{ actions: ["action"], notActions: [], dataActions: ["dataAction"], notDataActions: [] }]);
  });

  it("reads a built-in role from the catalog in wire shape", () => {
    const contributor = builtinCatalog.find((r) => r.roleName === "Contributor")!;
    const d = adaptRoleDefinition(catalogRoleToWire(contributor, "/subscriptions/s"));
    expect(d.roleType).toBe("BuiltInRole");
    expect(d.id).toBe("/providers/Microsoft.Authorization/roleDefinitions/b24988ac-6180-42a0-ab88-20f7382dd24c");
    expect(d.permissions[0]?.notActions).toContain("Microsoft.Authorization/*/Write");
  });

  it("requires roleName", () => {
    const body = roleDefById.responses["200"].body;
    expect(() => adaptRoleDefinition({ ...body, properties: { ...body.properties, roleName: undefined } })).toThrow(/roleDefinition .*roleDefinitionId: properties\.roleName is missing/);
  });
});

describe("adaptRoleAssignment", () => {
  const [atSub, atRg] = assignmentsForRg.responses["200"].body.value;

  it("reads scope level and role GUID from the list example", () => {
    const a = adaptRoleAssignment(atSub);
    expect(a.scopeLevel).toBe("subscription");
    expect(a.roleDefinitionName).toBe("0b5fe924-9a61-425c-96af-cfe6e287ca2d");
    expect(a.principalType).toBe("User");
    expect(a.name).toBe("b0f43c54-e787-4862-89b1-a653fa9cf747");
    expect(adaptRoleAssignment(atRg).scopeLevel).toBe("resourceGroup");
  });

  it("derives the scope from the id when properties.scope is absent", () => {
    const a = adaptRoleAssignment({
      id: "/providers/Microsoft.Management/managementGroups/root/providers/Microsoft.Authorization/roleAssignments/g1",
      properties: { roleDefinitionId: "/providers/Microsoft.Authorization/roleDefinitions/r1", principalId: "p1" },
    });
    expect(a.scope).toBe("/providers/Microsoft.Management/managementGroups/root");
    expect(a.scopeLevel).toBe("managementGroup");
    expect(a.principalType).toBe("Unknown");
  });

  it("rejects an unparseable scope and a missing principal id, naming the assignment", () => {
    expect(() => adaptRoleAssignment({ ...atSub, properties: { ...atSub!.properties, scope: "subscriptions/x" } })).toThrow(/roleAssignment .*b0f43c54.*: properties\.scope Cannot parse ARM scope/);
    expect(() => adaptRoleAssignment({ ...atSub, properties: { ...atSub!.properties, principalId: undefined } })).toThrow(/properties\.principalId is missing/);
  });
});
