import { describe, expect, it } from "vitest";
import { R, registry, roleAssignment, run, scenario, SUB_ID } from "../assignments.testing";

const ID = "acr-scope-too-broad";
const RG_ACR = `${SUB_ID}/resourceGroups/rg-acr`;

describe(ID, () => {
  it("fail-acrpull-on-resource-group: re-created on the registry the pods pull from", () => {
    const used = registry("contoso");
    const other = registry("contosomirror");
    let a!: ReturnType<typeof roleAssignment>;
    const s = scenario({ resources: [used, other], assignments: (i) => [(a = roleAssignment(RG_ACR, R.AcrPull, i.kubelet.properties.principalId))] });
    const [f] = run(ID, s.tenant);
    expect(f).toMatchObject({ ruleId: ID, roleAssignmentId: a.id, targetIds: [used.id], baseSeverity: "medium" });
    const [create, del] = f!.fixes[0]!.steps;
    expect(create).toMatchObject({ kind: "create-role-assignment", scope: used.id, alternatives: { scopes: [used.id, other.id] } });
    expect(del).toMatchObject({ kind: "delete-role-assignment", roleAssignmentId: a.id });
  });

  it("pass-acrpull-on-the-registry", () => {
    const acr = registry("contoso");
    const s = scenario({ resources: [acr], assignments: (i) => [roleAssignment(acr.id, R.AcrPull, i.kubelet.properties.principalId)] });
    expect(run(ID, s.tenant)).toEqual([]);
  });

  it("pass-app-identity: the rule is about AKS identities", () => {
    const s = scenario({ resources: [registry("contoso")], assignments: (i) => [roleAssignment(RG_ACR, R.AcrPull, i.app.properties.principalId)] });
    expect(run(ID, s.tenant)).toEqual([]);
  });

  it("edge-subscription-scope-no-registry-used: every registry in the scope is proposed", () => {
    const a1 = registry("r1");
    const s = scenario({ image: "mcr.microsoft.com", resources: [a1], assignments: (i) => [roleAssignment(SUB_ID, R.AcrPull, i.kubelet.properties.principalId)] });
    const [f] = run(ID, s.tenant);
    expect(f!.fixes[0]!.steps[0]).toMatchObject({ scope: a1.id });
  });
});
