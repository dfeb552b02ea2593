import { describe, expect, it } from "vitest";
import { baselineMaxAgeMs, baselineOf, scanTarget, usableBaseline, type ScanBaseline } from "./baseline";
import type { RawCollection } from "@/lib/model/wire";

const target = scanTarget("https://management.azure.com/", "T", ["B", "a"]);
const baseline = (startedAt: string, t = target): ScanBaseline => ({ startedAt, target: t, clusters: new Map() });

const raw = (parts: Partial<RawCollection>): RawCollection => ({
  tenantId: "t",
  managementGroups: [],
  subscriptions: [],
  resourceGroups: [],
  resources: [],
  roleDefinitions: [],
  roleAssignments: [],
  federatedIdentityCredentials: [],
  principals: [],
  kubernetes: {},
  kubernetesRead: [],
  errors: [],
  ...parts,
});

describe("scan baselines", () => {
  it("serve only the same endpoint, tenant and subscriptions, in any order and case", () => {
    expect(scanTarget("https://MANAGEMENT.azure.com", "t", ["A", "b"])).toBe(target);
    const now = Date.parse("2026-01-02T00:00:00Z");
    expect(usableBaseline(baseline("2026-01-01T23:00:00Z"), target, now)).toHaveProperty("baseline");
    expect(usableBaseline(baseline("2026-01-01T23:00:00Z", scanTarget("https://management.azure.com", "t", ["a"])), target, now)).toEqual({ reason: "the earlier scan read another tenant or other subscriptions" });
    expect(usableBaseline(undefined, target, now)).toHaveProperty("reason");
  });

  it("stop serving after the maximum age, so a full read happens at least that often", () => {
    const now = Date.parse("2026-01-02T00:00:00Z");
    expect(usableBaseline(baseline(new Date(now - baselineMaxAgeMs - 1).toISOString()), target, now)).toHaveProperty("reason");
    expect(usableBaseline(baseline(new Date(now + 60_000).toISOString()), target, now)).toHaveProperty("reason");
  });

  it("keep nothing of Resource Graph sources that failed, were truncated or read per subscription, and no cluster read with an error", () => {
    const uai = { id: "/subscriptions/s/resourceGroups/r/providers/Microsoft.ManagedIdentity/userAssignedIdentities/a", type: "Microsoft.ManagedIdentity/userAssignedIdentities" };
    const broken = { ...uai, id: uai.id.replace(/a$/, "b") };
    const cluster = { id: "/subscriptions/s/resourceGroups/r/providers/Microsoft.ContainerService/managedClusters/c", type: "Microsoft.ContainerService/managedClusters" };
    const other = { ...cluster, id: cluster.id.replace(/c$/, "d") };
    const read = (parts: Partial<RawCollection>) =>
      raw({ resources: [uai, broken, cluster, other], kubernetes: { [cluster.id]: [], [other.id]: [] }, kubernetesRead: [cluster.id], ...parts });
    const reads = new Map([
      [cluster.id.toLowerCase(), { resourceVersion: "7", kubeconfig: "k" }],
      [other.id.toLowerCase(), { resourceVersion: "8", kubeconfig: "k" }],
    ]);
    const how = { startedAt: "x", target, resourceGraph: true, truncated: false, clusterReads: reads };
    const ficError = { source: "arm:federatedIdentityCredentials", scope: broken.id, message: "500" };
    const complete = baselineOf(read({ errors: [ficError] }), how);
    expect([...complete.arm!.federatedCredentials.keys()]).toEqual([uai.id.toLowerCase()]);
    expect([...complete.clusters.keys()]).toEqual([cluster.id.toLowerCase()]);
    expect(baselineOf(read({}), { ...how, truncated: true }).arm).toBeUndefined();
    expect(baselineOf(read({}), { ...how, resourceGraph: false }).arm).toBeUndefined();
    expect(baselineOf(read({ errors: [{ source: "arm:resourceGraph", message: "403" }] }), how).arm).toBeUndefined();
  });
});
