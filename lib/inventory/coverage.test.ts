import { describe, expect, it } from "vitest";
import { AKS_LEGACY, AKS_PROD, buildTestInventory, SUB_PROD, SUB_SHARED } from "@/components/inventory/inventory.testing";
import { clusterSource, GRAPH_SOURCE, ScanState, stateOfCoverage, subscriptionSource, TENANT_SOURCE } from "@/lib/model/coverage";
import type { Inventory, SourceError } from "@/lib/model/types";
import { buildCoverage } from "./coverage";

function inventoryWith(errors: SourceError[], changes: Partial<Inventory> = {}): Inventory {
  const inv = buildTestInventory();
  return { ...inv, errors, kubernetes: { ...inv.kubernetes, readClusterIds: inv.clusters.map((c) => c.id) }, principalsResolved: true, ...changes };
}
const source = (inv: Inventory, key: string) => buildCoverage(inv).sources.find((s) => s.key === key);

describe("buildCoverage", () => {
  it("lists every subscription, cluster and Graph as read when nothing failed, and calls the scan succeeded", () => {
    const inv = inventoryWith([]);
    const coverage = buildCoverage(inv);
    expect(coverage.sources.filter((s) => s.state !== "read")).toEqual([]);
    expect(coverage.sources.map((s) => s.key)).toEqual(expect.arrayContaining([subscriptionSource(SUB_PROD), subscriptionSource(SUB_SHARED), clusterSource(AKS_PROD), GRAPH_SOURCE]));
    expect(stateOfCoverage(coverage)).toBe(ScanState.Succeeded);
  });

  it("charges an error to the cluster it names, else to the subscription of its scope, and keeps the first reason", () => {
    const inv = inventoryWith([
      { source: "kubernetes:pods", message: "Internal error occurred", status: 500, cluster: AKS_PROD },
      { source: "arm:roleAssignments", message: "The server encountered an internal error", status: 500, scope: `/subscriptions/${SUB_SHARED}` },
      { source: "arm:federatedIdentityCredentials", message: "throttled", status: 429, scope: `/subscriptions/${SUB_SHARED}/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/x` },
    ]);
    expect(source(inv, clusterSource(AKS_PROD))).toMatchObject({ state: "failed", reason: "HTTP 500: Internal error occurred", transient: true, errors: 1, name: "aks-prod" });
    expect(source(inv, subscriptionSource(SUB_SHARED))).toMatchObject({ state: "failed", reason: "HTTP 500: The server encountered an internal error", errors: 2 });
    expect(source(inv, subscriptionSource(SUB_PROD))).toMatchObject({ state: "read" });
    expect(stateOfCoverage(buildCoverage(inv))).toBe(ScanState.Partial);
  });

  it("calls a scan whose only failures are missing rights or stopped clusters succeeded: a rescan would not read more", () => {
    const inv = inventoryWith([
      { source: "arm:listClusterUserCredential", message: "you lack rights", status: 403, cluster: AKS_LEGACY },
      { source: "kubernetes:cluster", message: "the cluster is stopped", code: "ClusterStopped", cluster: AKS_PROD },
    ]);
    const coverage = buildCoverage(inv);
    expect(coverage.sources.filter((s) => s.state === "failed").map((s) => [s.key, s.transient])).toEqual([
      [clusterSource(AKS_LEGACY), false],
      [clusterSource(AKS_PROD), false],
    ]);
    expect(stateOfCoverage(coverage)).toBe(ScanState.Succeeded);
  });

  it("fails Graph when principals were not resolved, the tenant for errors no source explains, and a cluster not read completely", () => {
    const inv = inventoryWith([{ source: "arm:subscriptions", message: "fetch failed", scope: "/subscriptions" }], {
      principalsResolved: false,
      kubernetes: { ...buildTestInventory().kubernetes, readClusterIds: [] },
    });
    expect(source(inv, GRAPH_SOURCE)).toMatchObject({ state: "failed", transient: true });
    expect(source(inv, TENANT_SOURCE)).toMatchObject({ state: "failed", reason: "fetch failed", transient: true });
    expect(source(inv, clusterSource(AKS_PROD))).toMatchObject({ state: "failed", reason: "its Kubernetes API was not read completely" });
  });
});
