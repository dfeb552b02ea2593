import { describe, expect, it } from "vitest";
import type { ArmWireObject } from "@/lib/model/wire";
import { DATA_RG_ID, roleAssignment, run, scenario, SUB_ID } from "../assignments.testing";

const ID = "custom-role-wildcard";

function customRole(guid: string, roleName: string, actions: string[]): ArmWireObject {
  return {
    id: `${SUB_ID}/providers/Microsoft.Authorization/roleDefinitions/${guid}`,
    name: guid,
    type: "Microsoft.Authorization/roleDefinitions",
    properties: { roleName, type: "CustomRole", description: roleName, assignableScopes: [SUB_ID], permissions: [{ actions, notActions: [], dataActions: [], notDataActions: [] }] },
  };
}
const WILD = "1b1b1b1b-0000-4000-8000-000000000001";
const EXPLICIT = "1b1b1b1b-0000-4000-8000-000000000002";
const READS = "1b1b1b1b-0000-4000-8000-000000000003";

describe(ID, () => {
  it("fail-provider-wildcard-on-app-identity", () => {
    let a!: ReturnType<typeof roleAssignment>;
    const s = scenario({ assignments: (i) => [(a = roleAssignment(DATA_RG_ID, WILD, i.app.properties.principalId))] });
    s.tenant.roleDefinitions = [customRole(WILD, "Storage Operator", ["Microsoft.Storage/*"])];
    const [f] = run(ID, s.tenant);
    expect(f).toMatchObject({ ruleId: ID, roleAssignmentId: a.id, roleName: "Storage Operator", baseSeverity: "medium" });
    expect(f!.targetIds![0]).toMatch(new RegExp(`${WILD}$`));
    expect(f!.message).toContain("Microsoft.Storage/*");
    expect(f!.fixes.map((p) => p.id)).toEqual(["narrow-role", "remove"]);
  });

  it("pass-explicit-actions", () => {
    const s = scenario({ assignments: (i) => [roleAssignment(DATA_RG_ID, EXPLICIT, i.app.properties.principalId)] });
    s.tenant.roleDefinitions = [customRole(EXPLICIT, "Metrics Reader", ["Microsoft.Storage/storageAccounts/read", "Microsoft.Insights/metrics/read"])];
    expect(run(ID, s.tenant)).toEqual([]);
  });

  it("edge-star-read-only: `*/read` only reaches reads and does not count", () => {
    const s = scenario({ assignments: (i) => [roleAssignment(DATA_RG_ID, READS, i.app.properties.principalId)] });
    s.tenant.roleDefinitions = [customRole(READS, "Reads Everything", ["*/read"])];
    expect(run(ID, s.tenant)).toEqual([]);
  });
});
