import { describe, expect, it } from "vitest";
import { DATA_RG_ID, R, roleAssignment, run, scenario, SUB_ID, uai } from "../assignments.testing";

const ID = "privileged-role-on-workload-identity";

describe(ID, () => {
  it("fail-owner-on-app-identity: Owner on an app identity is critical", () => {
    let a!: ReturnType<typeof roleAssignment>;
    const s = scenario({ assignments: (i) => [(a = roleAssignment(DATA_RG_ID, R.Owner, i.app.properties.principalId))] });
    const [f, ...rest] = run(ID, s.tenant);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ ruleId: ID, principalId: s.app.properties.principalId, roleAssignmentId: a.id, scope: DATA_RG_ID, severity: "critical", roleName: "Owner" });
    expect(f!.message).toContain("id-app");
    expect(f!.fixes[0]!.steps).toEqual([expect.objectContaining({ kind: "delete-role-assignment", roleAssignmentId: a.id })]);
  });

  it("fail-user-access-administrator-on-kubelet: judged by permissions (roleAssignments/write)", () => {
    const s = scenario({ assignments: (i) => [roleAssignment(SUB_ID, R.UserAccessAdministrator, i.kubelet.properties.principalId)] });
    expect(run(ID, s.tenant).map((f) => f.identityName)).toEqual(["aks-agentpool"]);
  });

  it("pass-contributor: Contributor's notActions remove role-assignment writes", () => {
    const s = scenario({ assignments: (i) => [roleAssignment(DATA_RG_ID, R.Contributor, i.app.properties.principalId)] });
    expect(run(ID, s.tenant)).toEqual([]);
  });

  it("pass-owner-on-unrelated-identity: an identity no cluster or pod uses is not a workload identity", () => {
    const other = uai("id-deployer");
    const s = scenario({ identities: [other], assignments: () => [roleAssignment(DATA_RG_ID, R.Owner, other.properties.principalId)] });
    expect(run(ID, s.tenant)).toEqual([]);
  });

  it("edge-owner-on-single-resource: lowered one step to high", () => {
    const vault = `${DATA_RG_ID}/providers/Microsoft.KeyVault/vaults/kv1`;
    const s = scenario({ assignments: (i) => [roleAssignment(vault, R.Owner, i.app.properties.principalId)] });
    expect(run(ID, s.tenant)[0]).toMatchObject({ baseSeverity: "critical", severity: "high" });
  });
});
