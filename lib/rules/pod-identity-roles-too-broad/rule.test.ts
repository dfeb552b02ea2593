import { describe, expect, it } from "vitest";
import { azureIdentity } from "@/lib/inventory/fixtures.testing";
import { NODE_RG_ID, R, roleAssignment, run, scenario, SUB_ID } from "../assignments.testing";

const ID = "pod-identity-roles-too-broad";

describe(ID, () => {
  it("fail-vm-contributor-at-subscription-while-aad-pod-identity-runs", () => {
    let a!: ReturnType<typeof roleAssignment>;
    const s = scenario({
      assignments: (i) => [(a = roleAssignment(SUB_ID, R.VirtualMachineContributor, i.kubelet.properties.principalId))],
      kubernetes: (i) => [azureIdentity("shop", "cart-id", i.app)],
    });
    const [f] = run(ID, s.tenant);
    expect(f).toMatchObject({ ruleId: ID, roleAssignmentId: a.id, targetIds: [NODE_RG_ID], baseSeverity: "medium", severity: "high" });
    expect(f!.fixes[0]!.steps).toEqual([
      expect.objectContaining({ kind: "create-role-assignment", scope: NODE_RG_ID, roleName: "Virtual Machine Contributor" }),
      expect.objectContaining({ kind: "delete-role-assignment", roleAssignmentId: a.id }),
    ]);
  });

  it("pass-on-node-resource-group", () => {
    const s = scenario({
      assignments: (i) => [roleAssignment(NODE_RG_ID, R.ManagedIdentityOperator, i.kubelet.properties.principalId)],
      kubernetes: (i) => [azureIdentity("shop", "cart-id", i.app)],
    });
    expect(run(ID, s.tenant)).toEqual([]);
  });

  it("pass-mio-on-bound-identity", () => {
    const s = scenario({
      assignments: (i) => [roleAssignment(i.app.id, R.ManagedIdentityOperator, i.kubelet.properties.principalId)],
      kubernetes: (i) => [azureIdentity("shop", "cart-id", i.app)],
    });
    expect(run(ID, s.tenant)).toEqual([]);
  });

  it("edge-no-aad-pod-identity: left to pod-identity-roles-unused", () => {
    const s = scenario({ assignments: (i) => [roleAssignment(SUB_ID, R.VirtualMachineContributor, i.kubelet.properties.principalId)] });
    expect(run(ID, s.tenant)).toEqual([]);
  });
});
