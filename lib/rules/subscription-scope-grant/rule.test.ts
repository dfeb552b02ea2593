import { describe, expect, it } from "vitest";
import { NODE_RG_ID, R, resource, DATA_RG_ID, roleAssignment, run, scenario, SUB_ID } from "../assignments.testing";

const ID = "subscription-scope-grant";

describe(ID, () => {
  it("fail-vm-contributor-on-kubelet-at-subscription: proposes the node resource group", () => {
    let a!: ReturnType<typeof roleAssignment>;
    const s = scenario({ assignments: (i) => [(a = roleAssignment(SUB_ID, R.VirtualMachineContributor, i.kubelet.properties.principalId))] });
    const [f] = run(ID, s.tenant);
    expect(f).toMatchObject({ ruleId: ID, roleAssignmentId: a.id, scope: SUB_ID, baseSeverity: "high" });
    expect(f!.fixes[0]!.steps[0]).toMatchObject({ kind: "create-role-assignment", scope: NODE_RG_ID });
  });

  it("fail-data-role-at-subscription: re-created on the storage accounts there", () => {
    const st = resource(DATA_RG_ID, "Microsoft.Storage/storageAccounts", "st1");
    const s = scenario({ resources: [st], assignments: (i) => [roleAssignment(SUB_ID, R.StorageBlobDataContributor, i.app.properties.principalId)] });
    const [f] = run(ID, s.tenant);
    expect(f!.fixes[0]!.steps[0]).toMatchObject({ kind: "create-role-assignment", scope: st.id });
  });

  it("pass-reader-at-subscription: Reader-class roles may stay wide", () => {
    const s = scenario({ assignments: (i) => [roleAssignment(SUB_ID, R.Reader, i.app.properties.principalId), roleAssignment(SUB_ID, R.StorageBlobDataReader, i.app.properties.principalId)] });
    expect(run(ID, s.tenant)).toEqual([]);
  });

  it("edge-resource-group-scope: Contributor on a resource group is not this rule's concern", () => {
    const s = scenario({ assignments: (i) => [roleAssignment(DATA_RG_ID, R.Contributor, i.app.properties.principalId)] });
    expect(run(ID, s.tenant)).toEqual([]);
  });
});
