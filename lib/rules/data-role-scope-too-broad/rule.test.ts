import { describe, expect, it } from "vitest";
import { DATA_RG_ID, R, resource, roleAssignment, run, scenario, SUB_ID } from "../assignments.testing";

const ID = "data-role-scope-too-broad";
const st1 = resource(DATA_RG_ID, "Microsoft.Storage/storageAccounts", "st1");
const st2 = resource(DATA_RG_ID, "Microsoft.Storage/storageAccounts", "st2");

describe(ID, () => {
  it("fail-resource-group-with-two-storage-accounts", () => {
    let a!: ReturnType<typeof roleAssignment>;
    const s = scenario({ resources: [st1, st2], assignments: (i) => [(a = roleAssignment(DATA_RG_ID, R.StorageBlobDataReader, i.app.properties.principalId))] });
    const [f] = run(ID, s.tenant);
    expect(f).toMatchObject({ ruleId: ID, roleAssignmentId: a.id, targetIds: [st1.id, st2.id], baseSeverity: "medium" });
    expect(f!.message).toContain("2 storage accounts");
    expect(f!.fixes[0]!.steps.map((x) => x.kind)).toEqual(["create-role-assignment", "create-role-assignment", "delete-role-assignment"]);
  });

  it("fail-subscription-scope-even-with-one-resource", () => {
    const s = scenario({ resources: [st1], assignments: (i) => [roleAssignment(SUB_ID, R.StorageBlobDataReader, i.app.properties.principalId)] });
    expect(run(ID, s.tenant)).toHaveLength(1);
  });

  it("pass-resource-group-with-one-resource-of-the-kind", () => {
    const sb = resource(DATA_RG_ID, "Microsoft.ServiceBus/namespaces", "sb1");
    const s = scenario({ resources: [st1, st2, sb], assignments: (i) => [roleAssignment(DATA_RG_ID, R.ServiceBusDataSender, i.app.properties.principalId)] });
    expect(run(ID, s.tenant)).toEqual([]);
  });

  it("edge-control-plane-role-at-resource-group: Owner has no data actions", () => {
    const s = scenario({ resources: [st1, st2], assignments: (i) => [roleAssignment(DATA_RG_ID, R.Owner, i.app.properties.principalId)] });
    expect(run(ID, s.tenant)).toEqual([]);
  });
});
