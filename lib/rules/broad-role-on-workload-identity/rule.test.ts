import { describe, expect, it } from "vitest";
import { DATA_RG_ID, NODE_RG_ID, R, roleAssignment, run, scenario, SUB_ID, SUBNET_ID, ROUTE_TABLE_ID } from "../assignments.testing";

const ID = "broad-role-on-workload-identity";

describe(ID, () => {
  it("fail-contributor-on-kubelet: high, raised to critical for the kubelet identity", () => {
    const s = scenario({ resources: [], assignments: (i) => [roleAssignment(SUB_ID, R.Contributor, i.kubelet.properties.principalId)] });
    const [f] = run(ID, s.tenant);
    expect(f).toMatchObject({ ruleId: ID, principalId: s.kubelet.properties.principalId, baseSeverity: "high", severity: "critical" });
    expect(f!.severityReason).toMatch(/kubelet/);
  });

  it("fail-contributor-on-control-plane-outside-node-rg: replaced by Network Contributor on the subnet and route table", () => {
    const s = scenario({ assignments: (i) => [roleAssignment(DATA_RG_ID, R.Contributor, i.cp.properties.principalId)] });
    const [f] = run(ID, s.tenant);
    const plan = f!.fixes.find((p) => p.id === "replace-with-profile")!;
    expect(plan.steps.filter((x) => x.kind === "create-role-assignment").map((x) => (x as { scope: string }).scope)).toEqual([SUBNET_ID, ROUTE_TABLE_ID]);
    expect(plan.steps.at(-1)).toMatchObject({ kind: "delete-role-assignment" });
  });

  it("pass-contributor-on-own-node-resource-group: the control plane's profile", () => {
    const s = scenario({ assignments: (i) => [roleAssignment(NODE_RG_ID, R.Contributor, i.cp.properties.principalId)] });
    expect(run(ID, s.tenant)).toEqual([]);
  });

  it("pass-owner-is-privileged-not-broad", () => {
    const s = scenario({ assignments: (i) => [roleAssignment(DATA_RG_ID, R.Owner, i.app.properties.principalId)] });
    expect(run(ID, s.tenant)).toEqual([]);
  });

  it("edge-custom-star-role: a custom role with actions '*' is broad too", () => {
    const guid = "0a0a0a0a-0000-4000-8000-00000000c0de";
    const s = scenario({ assignments: (i) => [roleAssignment(DATA_RG_ID, guid, i.app.properties.principalId)] });
    s.tenant.roleDefinitions = [
      {
        id: `${SUB_ID}/providers/Microsoft.Authorization/roleDefinitions/${guid}`,
        name: guid,
        type: "Microsoft.Authorization/roleDefinitions",
        properties: {
          roleName: "Everything But Access",
          type: "CustomRole",
          description: "custom",
          assignableScopes: [SUB_ID],
          permissions: [{ actions: ["*"], notActions: ["Microsoft.Authorization/*/write"], dataActions: [], notDataActions: [] }],
        },
      },
    ];
    expect(run(ID, s.tenant).map((f) => f.roleName)).toEqual(["Everything But Access"]);
  });
});
