import { describe, expect, it } from "vitest";
import type { FixPlan } from "@/lib/model/findings";
import { BuiltinRoleId, roleDefinitionIdOf } from "@/lib/roles/catalog";
import { buildBlastRadius, buildReach, capList, grantsAfterPlan, grantsOfPrincipal } from "./blast-radius";
import { ACR_A, ACR_B, assignment, MG, PRINCIPAL, RG_ACR, RG_NET, STORAGE, SUBNET, VNET, wizardInventory } from "./wizard.testing";

const ids = (list: { id: string }[]) => list.map((r) => r.id).sort();

describe("buildReach", () => {
  it("AcrPull at resource-group scope reads every registry in the group and nothing else", () => {
    const inv = wizardInventory();
    const reach = buildReach(inv, grantsOfPrincipal(inv, PRINCIPAL));
    expect(ids(reach.read)).toEqual([ACR_A, ACR_B].sort());
    expect(reach.write).toEqual([]);
    expect(reach.read[0]!.via).toEqual(["AcrPull"]);
  });

  it("Contributor reaches every resource type under its scope with write access", () => {
    const inv = wizardInventory([assignment("c", RG_ACR, BuiltinRoleId.Contributor)]);
    const reach = buildReach(inv, grantsOfPrincipal(inv, PRINCIPAL));
    expect(ids(reach.write)).toEqual([ACR_A, ACR_B, STORAGE].sort());
    expect(reach.read).toEqual([]);
  });

  it("a write grant wins over a read grant on the same resource and both roles are listed", () => {
    const inv = wizardInventory([assignment("p", RG_ACR, BuiltinRoleId.AcrPull), assignment("w", ACR_A, BuiltinRoleId.AcrPush)]);
    const reach = buildReach(inv, grantsOfPrincipal(inv, PRINCIPAL));
    expect(ids(reach.write)).toEqual([ACR_A]);
    expect(reach.write[0]!.via.sort()).toEqual(["AcrPull", "AcrPush"]);
    expect(ids(reach.read)).toEqual([ACR_B]);
  });

  it("Network Contributor on a subnet reaches the subnet but not its virtual network", () => {
    const inv = wizardInventory([assignment("n", SUBNET, BuiltinRoleId.NetworkContributor)]);
    const reach = buildReach(inv, grantsOfPrincipal(inv, PRINCIPAL));
    expect(ids(reach.write)).toEqual([SUBNET]);
    const wide = wizardInventory([assignment("n", RG_NET, BuiltinRoleId.NetworkContributor)]);
    expect(ids(buildReach(wide, grantsOfPrincipal(wide, PRINCIPAL)).write)).toEqual([SUBNET, VNET].sort());
  });

  it("a management-group grant reaches resources of subscriptions under the group", () => {
    const inv = wizardInventory([assignment("m", MG, BuiltinRoleId.Reader)]);
    const reach = buildReach(inv, grantsOfPrincipal(inv, PRINCIPAL));
    expect(reach.read.length).toBe(5);
    expect(reach.write).toEqual([]);
  });

  it("reports a role it cannot resolve as unknown rather than as no reach", () => {
    const inv = wizardInventory();
    const reach = buildReach(inv, [{ roleDefinitionId: "00000000-0000-0000-0000-00000000dead", roleName: "Mystery", scope: RG_ACR }]);
    expect(reach.unknownRoles).toEqual(["Mystery"]);
  });
});

describe("buildBlastRadius", () => {
  const rescope = (scopes: string[]): FixPlan => ({
    id: "rescope",
    summary: "narrow",
    steps: [
      ...scopes.map((scope) => ({
        kind: "create-role-assignment" as const,
        principalId: PRINCIPAL,
        principalType: "ServicePrincipal",
        roleDefinitionId: roleDefinitionIdOf(BuiltinRoleId.AcrPull),
        roleName: "AcrPull",
        scope,
      })),
      { kind: "delete-role-assignment", roleAssignmentId: `${RG_ACR}/providers/Microsoft.Authorization/roleAssignments/a1`, principalId: PRINCIPAL, roleName: "AcrPull", scope: RG_ACR },
    ],
  });

  it("narrowing AcrPull to one registry loses the other registry", () => {
    const inv = wizardInventory();
    const radius = buildBlastRadius(inv, PRINCIPAL, rescope([ACR_A]));
    expect(ids(radius.now.read)).toEqual([ACR_A, ACR_B].sort());
    expect(ids(radius.after.read)).toEqual([ACR_A]);
    expect(ids(radius.noLongerReachable)).toEqual([ACR_B]);
    expect(radius.newlyReachable).toEqual([]);
    expect(ids(radius.changedNow.read)).toEqual([ACR_A, ACR_B].sort());
    expect(ids(radius.changedAfter.read)).toEqual([ACR_A]);
  });

  it("keeps grants the plan does not delete and ignores creations for other principals", () => {
    const inv = wizardInventory([assignment("a1", RG_ACR, BuiltinRoleId.AcrPull), assignment("keep", STORAGE, BuiltinRoleId.StorageBlobDataReader)]);
    const plan = rescope([ACR_A]);
    plan.steps.push({ ...(plan.steps[0] as Extract<FixPlan["steps"][number], { kind: "create-role-assignment" }>), principalId: "someone-else", scope: ACR_B });
    const after = grantsAfterPlan(grantsOfPrincipal(inv, PRINCIPAL), plan, PRINCIPAL);
    expect(after.map((g) => g.scope).sort()).toEqual([ACR_A, STORAGE].sort());
    const radius = buildBlastRadius(inv, PRINCIPAL, plan);
    expect(ids(radius.after.read)).toEqual([ACR_A, STORAGE].sort());
    // The kept grant is not part of what the fix changes.
    expect(ids(radius.changedNow.read)).toEqual([ACR_A, ACR_B].sort());
    expect(ids(radius.changedAfter.read)).toEqual([ACR_A]);
  });

  it("flags a choice that would widen reach", () => {
    const inv = wizardInventory([assignment("a1", ACR_A, BuiltinRoleId.AcrPull)]);
    const plan = rescope([RG_ACR]);
    plan.steps[1] = { kind: "delete-role-assignment", roleAssignmentId: `${ACR_A}/providers/Microsoft.Authorization/roleAssignments/a1`, principalId: PRINCIPAL, roleName: "AcrPull", scope: ACR_A };
    expect(ids(buildBlastRadius(inv, PRINCIPAL, plan).newlyReachable)).toEqual([ACR_B]);
  });
});

it("capList keeps the first items and counts the rest", () => {
  expect(capList([1, 2, 3, 4, 5], 3)).toEqual({ shown: [1, 2, 3], more: 2 });
  expect(capList([1], 3)).toEqual({ shown: [1], more: 0 });
});
