import { describe, expect, it } from "vitest";
import { runBenchSize, type BenchRow } from "./run";

/**
 * A rescan of the unchanged tenant finds the same and pays only its fixed floor: the
 * subscription and management-group lists, the Resource Graph change, role-assignment,
 * definition and extension queries, Graph's batch and one revision probe per cluster; no
 * federated-credential list, no cluster credential, no Kubernetes list. At this small size the
 * floor is ~14% of a full scan; it grows with clusters and assignment pages only.
 */
function expectRescanOfUnchanged(row: BenchRow): void {
  expect(row.rescanFindings).toBe(row.findings);
  expect(row.rescanCalls["arm:federatedIdentityCredentials"] ?? 0).toBe(0);
  expect(row.rescanCalls["arm:listClusterUserCredential"] ?? 0).toBe(0);
  const kube = Object.entries(row.rescanCalls).filter(([k]) => k.startsWith("k8s:"));
  expect(kube).toEqual([["k8s:namespaces", row.clusters]]);
  expect(row.rescanApiCalls).toBeLessThanOrEqual(0.2 * row.apiCalls);
}

describe("scale benchmark (smoke: small size, no injected latency)", () => {
  it("measures a small tenant with close to the minimum number of API calls", async () => {
    const row = await runBenchSize("small", { latencyMs: 0 });
    expect(row).toMatchObject({ shape: "standard", size: "small", subscriptions: 20, roleAssignments: 2000, clusters: 5, pods: 1000, errors: 0 });
    for (const key of ["apiCalls", "minimumApiCalls", "armPathApiCalls", "scanMs", "armPathScanMs", "rulesMs", "graphMs", "peakRssMb"] as const) {
      expect(typeof row[key], key).toBe("number");
      expect(row[key], key).toBeGreaterThanOrEqual(0);
    }
    expect(row.apiCalls).toBeLessThanOrEqual(1.1 * row.minimumApiCalls);
    // 20 subscriptions: Resource Graph replaces ~6 lists per subscription with a few pages.
    expect(row.apiCalls).toBeLessThan(row.armPathApiCalls);
    expect(row.calls["arm:roleAssignments"] ?? 0).toBe(0);
    expectRescanOfUnchanged(row);
  }, 90_000);

  it("measures the adversarial shape of the same size, whose assignments are mostly findings", async () => {
    const row = await runBenchSize("small", { latencyMs: 0, shape: "adversarial" });
    expect(row).toMatchObject({ shape: "adversarial", size: "small", subscriptions: 20, roleAssignments: 2000, clusters: 5, workloadIdentities: 240, errors: 0 });
    expect(row.apiCalls).toBeLessThanOrEqual(1.1 * row.minimumApiCalls);
    expect(row.findings).toBeGreaterThan(row.roleAssignments / 2);
    expectRescanOfUnchanged(row);
  }, 90_000);
});
