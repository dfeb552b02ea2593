import { describe, expect, it } from "vitest";
import { clusterId, guid, managedCluster, RG, ROLE, roleAssignment, SUB, SUB_ID, tenant } from "@/lib/inventory/fixtures.testing";
import { azCommandLine } from "@/lib/remediation/render/quote";
import { expectNoPlaceholders, run, stepsOf } from "../cluster.testing";

describe("cluster-uses-service-principal", () => {
  it("fail-service-principal: flags the cluster and lists the SP's grants to re-grant", () => {
    const appId = guid("c");
    const objectId = guid("b");
    const nodeRg = `${SUB_ID}/resourceGroups/MC_${RG}_legacy_westeurope`;
    const acr = `${SUB_ID}/resourceGroups/rg-shared/providers/Microsoft.ContainerRegistry/registries/contoso`;
    const contributor = roleAssignment(nodeRg, ROLE.Contributor, objectId);
    const pull = roleAssignment(acr, ROLE.AcrPull, objectId);
    const t = tenant({
      resources: [managedCluster("legacy", { controlPlane: { servicePrincipal: appId } })],
      principals: [{ id: objectId, appId, displayName: "sp-legacy-aks", servicePrincipalType: "Application" }],
      roleAssignments: [contributor, pull],
    });
    const [f, ...rest] = run("cluster-uses-service-principal", t);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ ruleId: "cluster-uses-service-principal", severity: "medium", baseSeverity: "medium", principalId: objectId, identityName: "sp-legacy-aks", clusterId: clusterId("legacy") });
    expect(f!.severityReason).toBeUndefined(); // the SP is also the kubelet identity; no raise for a secret-hygiene finding
    expect(f!.targetIds).toEqual([clusterId("legacy"), contributor.id, pull.id]);
    const [update] = stepsOf(f!, "az-command");
    expect(azCommandLine(update!.args)).toBe(`az aks update --resource-group ${RG} --name legacy --subscription ${SUB} --enable-managed-identity`);
    expect(update!.description).toMatch(/kubelet identity.*node pools are upgraded/);
    const manual = stepsOf(f!, "manual").map((s) => s.description);
    // AKS re-grants Contributor on the node resource group itself; AcrPull goes to the new kubelet identity.
    expect(manual.some((d) => d.includes(contributor.id as string))).toBe(false);
    expect(manual.some((d) => d.includes("new kubelet identity") && d.includes(pull.id as string))).toBe(true);
    expect(stepsOf(f!, "delete-role-assignment").map((s) => s.roleAssignmentId)).toEqual([contributor.id, pull.id]);
    expectNoPlaceholders(f!);
  });

  it("pass-managed-identity: system-assigned and msi clusters are not flagged", () => {
    expect(run("cluster-uses-service-principal", tenant({ resources: [managedCluster("aks", { controlPlane: "system" })] }))).toEqual([]);
  });

  it("edge-unknown-principal: the SP is not in Graph; the finding still names its client id", () => {
    const appId = guid("c");
    const [f] = run("cluster-uses-service-principal", tenant({ resources: [managedCluster("legacy", { controlPlane: { servicePrincipal: appId } })] }));
    expect(f?.message).toContain("legacy");
    expect(f?.evidence[0]!.fact).toContain(appId);
  });
});
