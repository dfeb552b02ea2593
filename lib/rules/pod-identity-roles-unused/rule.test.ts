import { describe, expect, it } from "vitest";
import { azureIdentity, controller } from "@/lib/inventory/fixtures.testing";
import { NODE_RG_ID, R, roleAssignment, run, scenario } from "../assignments.testing";

const ID = "pod-identity-roles-unused";

describe(ID, () => {
  it("fail-mio-and-vmc-without-aad-pod-identity", () => {
    const s = scenario({
      assignments: (i) => [
        roleAssignment(NODE_RG_ID, R.ManagedIdentityOperator, i.kubelet.properties.principalId),
        roleAssignment(NODE_RG_ID, R.VirtualMachineContributor, i.kubelet.properties.principalId),
      ],
    });
    const found = run(ID, s.tenant);
    expect(found.map((f) => f.roleName).sort()).toEqual(["Managed Identity Operator", "Virtual Machine Contributor"]);
    // low, raised for the kubelet identity
    expect(found[0]).toMatchObject({ baseSeverity: "low", severity: "medium" });
    expect(found[0]!.fixes[0]!.steps).toEqual([expect.objectContaining({ kind: "delete-role-assignment" })]);
  });

  it("pass-azure-identity-present", () => {
    const s = scenario({
      assignments: (i) => [roleAssignment(NODE_RG_ID, R.ManagedIdentityOperator, i.kubelet.properties.principalId)],
      kubernetes: (i) => [azureIdentity("shop", "cart-id", i.app)],
    });
    expect(run(ID, s.tenant)).toEqual([]);
  });

  it("pass-nmi-daemonset-runs", () => {
    const s = scenario({
      assignments: (i) => [roleAssignment(NODE_RG_ID, R.VirtualMachineContributor, i.kubelet.properties.principalId)],
      kubernetes: () => [controller("DaemonSet", "kube-system", "nmi")],
    });
    expect(run(ID, s.tenant)).toEqual([]);
  });

  it("edge-pod-identity-addon-enabled", () => {
    const s = scenario({
      cluster: { podIdentity: { enabled: true } },
      assignments: (i) => [roleAssignment(NODE_RG_ID, R.VirtualMachineContributor, i.kubelet.properties.principalId)],
    });
    expect(run(ID, s.tenant)).toEqual([]);
  });
});
