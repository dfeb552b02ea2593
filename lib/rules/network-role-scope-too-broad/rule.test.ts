import { describe, expect, it } from "vitest";
import { DATA_RG_ID, NET_RG_ID, R, roleAssignment, ROUTE_TABLE_ID, run, scenario, SUB_ID, SUBNET_ID, VNET_ID } from "../assignments.testing";

const ID = "network-role-scope-too-broad";

describe(ID, () => {
  it.each([
    ["virtual network", VNET_ID, "low"],
    ["resource group", NET_RG_ID, "medium"],
    ["subscription", SUB_ID, "high"],
  ])("fail-network-contributor-on-%s: severity by scope", (_level, scope, severity) => {
    let a!: ReturnType<typeof roleAssignment>;
    const s = scenario({ assignments: (i) => [(a = roleAssignment(scope, R.NetworkContributor, i.cp.properties.principalId))] });
    const [f, ...rest] = run(ID, s.tenant);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ ruleId: ID, roleAssignmentId: a.id, baseSeverity: severity, severity, targetIds: [SUBNET_ID, ROUTE_TABLE_ID] });
    expect(f!.fixes[0]!.steps.map((x) => [x.kind, (x as { scope: string }).scope])).toEqual([
      ["create-role-assignment", SUBNET_ID],
      ["create-role-assignment", ROUTE_TABLE_ID],
      ["delete-role-assignment", scope],
    ]);
  });

  it("pass-on-subnet-and-route-table: the control-plane profile", () => {
    const s = scenario({
      assignments: (i) => [roleAssignment(SUBNET_ID, R.NetworkContributor, i.cp.properties.principalId), roleAssignment(ROUTE_TABLE_ID, R.NetworkContributor, i.cp.properties.principalId)],
    });
    expect(run(ID, s.tenant)).toEqual([]);
  });

  it("edge-unrelated-resource-group: a network role elsewhere (e.g. a public IP's group) does not contain the cluster's network", () => {
    const s = scenario({ assignments: (i) => [roleAssignment(DATA_RG_ID, R.NetworkContributor, i.cp.properties.principalId)] });
    expect(run(ID, s.tenant)).toEqual([]);
  });

  it("edge-kubelet-network-role: only the control-plane identity is judged", () => {
    const s = scenario({ assignments: (i) => [roleAssignment(NET_RG_ID, R.NetworkContributor, i.kubelet.properties.principalId)] });
    expect(run(ID, s.tenant)).toEqual([]);
  });
});
