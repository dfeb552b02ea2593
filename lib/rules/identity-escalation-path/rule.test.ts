import { describe, expect, it } from "vitest";
import { DATA_RG_ID, NODE_RG_ID, R, resource, roleAssignment, run, scenario, SUB_ID, uai } from "../assignments.testing";

const ID = "identity-escalation-path";
const deployer = uai("id-deployer");

describe(ID, () => {
  it("fail-mio-on-an-owner-identity: Managed Identity Operator's */assign/action reaches it", () => {
    let a!: ReturnType<typeof roleAssignment>;
    const s = scenario({
      identities: [deployer],
      assignments: (i) => [(a = roleAssignment(deployer.id, R.ManagedIdentityOperator, i.app.properties.principalId)), roleAssignment(DATA_RG_ID, R.Owner, deployer.properties.principalId)],
    });
    const [f, ...rest] = run(ID, s.tenant);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ ruleId: ID, principalId: s.app.properties.principalId, roleAssignmentId: a.id, targetIds: [deployer.id], baseSeverity: "high" });
    expect(f!.message).toContain("id-deployer");
    expect(f!.evidence.some((e) => /Owner/.test(e.fact))).toBe(true);
  });

  it("fail-vm-contributor-on-a-scale-set-carrying-a-stronger-identity", () => {
    const strong = uai("id-strong");
    const vmss = resource(NODE_RG_ID, "Microsoft.Compute/virtualMachineScaleSets", "aks-pool-vmss", {
      identity: { type: "UserAssigned", userAssignedIdentities: { [strong.id]: { principalId: strong.properties.principalId, clientId: strong.properties.clientId } } },
    });
    const s = scenario({
      identities: [strong],
      resources: [vmss],
      assignments: (i) => [roleAssignment(vmss.id, R.VirtualMachineContributor, i.app.properties.principalId), roleAssignment(SUB_ID, R.Contributor, strong.properties.principalId)],
    });
    const [f] = run(ID, s.tenant);
    expect(f!.targetIds).toEqual([strong.id, vmss.id]);
  });

  it("pass-control-plane-mio-on-its-own-kubelet: required by AKS (profile)", () => {
    const s = scenario({
      assignments: (i) => [roleAssignment(i.kubelet.id, R.ManagedIdentityOperator, i.cp.properties.principalId), roleAssignment(SUB_ID, R.Contributor, i.kubelet.properties.principalId)],
    });
    expect(run(ID, s.tenant)).toEqual([]);
  });

  it("pass-target-not-stronger: data roles do not make an identity stronger", () => {
    const s = scenario({
      identities: [deployer],
      assignments: (i) => [roleAssignment(deployer.id, R.ManagedIdentityOperator, i.app.properties.principalId), roleAssignment(DATA_RG_ID, R.StorageBlobDataOwner, deployer.properties.principalId)],
    });
    expect(run(ID, s.tenant)).toEqual([]);
  });

  it("edge-holder-already-as-strong: Owner over the target's scope gains nothing", () => {
    const s = scenario({
      identities: [deployer],
      assignments: (i) => [roleAssignment(SUB_ID, R.Owner, i.app.properties.principalId), roleAssignment(DATA_RG_ID, R.Owner, deployer.properties.principalId)],
    });
    expect(run(ID, s.tenant)).toEqual([]);
  });
});
