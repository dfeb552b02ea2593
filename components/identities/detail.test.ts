import { describe, expect, it } from "vitest";
import { buildTestInventory } from "@/components/inventory/inventory.testing";
import { bindingPathText, buildIdentityDetail } from "./detail";

describe("buildIdentityDetail", () => {
  const inv = buildTestInventory();

  it("returns undefined for an unknown key", () => {
    expect(buildIdentityDetail(inv, "no-such-identity")).toBeUndefined();
  });

  it("lists assignments widest first with a resolved scope breadcrumb and the condition", () => {
    const detail = buildIdentityDetail(inv, "kubelet-1")!;
    expect(detail.assignments.map((a) => [a.roleName, a.scopeLevel])).toEqual([
      ["AcrPull", "resourceGroup"],
      ["Network Contributor", "resource"],
    ]);
    expect(detail.assignments[0]!.crumbs.map((c) => c.label)).toEqual(["Tenant Root Group", "Corp", "prod", "rg-prod"]);
    const app = buildIdentityDetail(inv, "app-1")!;
    const conditional = app.assignments.find((a) => a.roleName === "Key Vault Secrets User")!;
    expect(conditional.condition).toContain("StringEquals");
    expect(app.assignments.find((a) => a.roleName === "role-a5")!.roleResolved).toBe(false);
  });

  it("shows a workload-identity binding path through the service account and federated credential, with sorted pods", () => {
    const [bound] = buildIdentityDetail(inv, "app-1")!.workloads;
    expect(bound).toMatchObject({ clusterName: "aks-prod", namespace: "payments", workloadKind: "Deployment", workloadName: "api", complete: true, workloadPodCount: 2 });
    expect(bound!.pods.map((p) => p.name)).toEqual(["api-7d9f-a", "api-7d9f-b"]);
    expect(bindingPathText(bound!)).toBe("Workload identity: ServiceAccount payments/api → Federated credential fic-api");
    expect(bound!.steps[1]!.detail).toBe("system:serviceaccount:payments:api");
  });

  it("shows an aad-pod-identity chain and flags it incomplete with its problems", () => {
    const [bound] = buildIdentityDetail(inv, "legacy-app")!.workloads;
    expect(bindingPathText(bound!)).toBe("aad-pod-identity: AzureIdentityBinding default/reporter-binding → AzureIdentity default/reporter");
    expect(bound).toMatchObject({ complete: false, problems: ["No pod carries the label aadpodidbinding=reporter"], workloadName: "reporter", workloadKind: "Workload" });
  });

  it("describes each use with its cluster", () => {
    expect(buildIdentityDetail(inv, "addon-1")!.uses.map((u) => u.label)).toEqual(["Add-on omsagent of aks-prod"]);
    expect(buildIdentityDetail(inv, "kubelet-1")!.uses.map((u) => u.label)).toEqual(["Kubelet identity of aks-prod"]);
    expect(buildIdentityDetail(inv, "app-1")!.uses.map((u) => u.label)).toEqual(["Used by pods on aks-prod through workload identity"]);
  });

  it("says a principal is missing from the directory only when the directory was read", () => {
    expect(buildIdentityDetail(inv, "legacy-app")!.directory).toBe("no");
    expect(buildIdentityDetail({ ...inv, principalsResolved: false }, "legacy-app")!.directory).toBe("unknown");
    expect(buildIdentityDetail(inv, "cp-1")!.directory).toBe("yes");
  });
});
