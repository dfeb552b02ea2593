import { describe, expect, it } from "vitest";
import { buildOverview } from "./overview";
import { AKS_LEGACY, AKS_PROD, SUB_PROD, SUB_SHARED, buildTestInventory } from "./inventory.testing";

describe("buildOverview", () => {
  const overview = buildOverview(buildTestInventory());

  it("counts identities by kind in display order, including kinds with none", () => {
    expect(overview.kindCounts.map((k) => [k.kind, k.count])).toEqual([
      ["control-plane", 1],
      ["kubelet", 1],
      ["addon", 1],
      ["app", 2],
      ["service-principal", 1],
      ["other", 0],
    ]);
  });

  it("derives each cluster's identity mode and identity features", () => {
    const prod = overview.clusters.find((c) => c.id === AKS_PROD)!;
    expect(prod).toMatchObject({ identityMode: "user-assigned", workloadIdentity: true, oidcIssuer: true, podIdentity: null, subscriptionName: "prod" });
    const legacy = overview.clusters.find((c) => c.id === AKS_LEGACY)!;
    expect(legacy).toMatchObject({ identityMode: "service principal", podIdentity: "in-cluster", workloadIdentity: false });
  });

  it("reports pods as unknown (null) for a cluster whose Kubernetes API was not read, not as zero", () => {
    expect(overview.clusters.find((c) => c.id === AKS_PROD)!.pods).toBe(3);
    expect(overview.clusters.find((c) => c.id === AKS_LEGACY)!.pods).toBeNull();
  });

  it("counts clusters, role assignments and user-assigned identities per subscription", () => {
    const prod = overview.subscriptions.find((s) => s.subscriptionId === SUB_PROD)!;
    expect(prod).toMatchObject({ managementGroup: "Corp", clusters: 1, roleAssignments: 5, userAssignedIdentities: 1 });
    const shared = overview.subscriptions.find((s) => s.subscriptionId === SUB_SHARED)!;
    expect(shared).toMatchObject({ managementGroup: undefined, clusters: 1, roleAssignments: 1 });
  });

  it("keeps every source error and names the failing cluster", () => {
    expect(overview.errors).toHaveLength(1);
    expect(overview.errors[0]).toMatchObject({ source: "kubernetes:pods", clusterName: "aks-legacy", status: 503 });
  });
});
