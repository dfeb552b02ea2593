import { describe, expect, it } from "vitest";
import { DATA_RG_ID, R, registry, roleAssignment, run, scenario, SUB_ID } from "../assignments.testing";

const ID = "acr-write-on-kubelet";

describe(ID, () => {
  it("fail-acrpush-on-registry: replaced by AcrPull", () => {
    const acr = registry("contoso");
    let a!: ReturnType<typeof roleAssignment>;
    const s = scenario({ resources: [acr], assignments: (i) => [(a = roleAssignment(acr.id, R.AcrPush, i.kubelet.properties.principalId))] });
    const [f] = run(ID, s.tenant);
    expect(f).toMatchObject({ ruleId: ID, roleAssignmentId: a.id, targetIds: [acr.id] });
    expect(f!.fixes[0]!.steps).toEqual([
      expect.objectContaining({ kind: "create-role-assignment", roleName: "AcrPull", scope: acr.id }),
      expect.objectContaining({ kind: "delete-role-assignment", roleAssignmentId: a.id }),
    ]);
  });

  it("fail-contributor-over-a-registry", () => {
    const acr = registry("contoso");
    const s = scenario({ resources: [acr], assignments: (i) => [roleAssignment(SUB_ID, R.Contributor, i.kubelet.properties.principalId)] });
    expect(run(ID, s.tenant)).toHaveLength(1);
  });

  it("pass-contributor-where-no-registry-lives", () => {
    const s = scenario({ assignments: (i) => [roleAssignment(DATA_RG_ID, R.Contributor, i.kubelet.properties.principalId)] });
    expect(run(ID, s.tenant)).toEqual([]);
  });

  it("edge-acrpush-on-app-identity: CI-style pushers are not kubelets", () => {
    const acr = registry("contoso");
    const s = scenario({ resources: [acr], assignments: (i) => [roleAssignment(acr.id, R.AcrPush, i.app.properties.principalId)] });
    expect(run(ID, s.tenant)).toEqual([]);
  });
});
