import { describe, expect, it } from "vitest";
import type { FindingMark } from "@/lib/model/comparison";
import { clusterSource, SourceKind, SourceState, subscriptionSource, type ScanCoverage } from "@/lib/model/coverage";
import type { Severity } from "@/lib/model/findings";
import { buildTrends, type TrendScan } from "./trends";

const A = "aaaaaaaa-0000-0000-0000-000000000001";
const B = "bbbbbbbb-0000-0000-0000-000000000002";
const AKS = "/subscriptions/x/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks-prod";
const DAY = 86_400_000;

const coverage = (failed: string[] = []): ScanCoverage => ({
  sources: [
    { key: subscriptionSource(A), kind: SourceKind.Subscription, name: "prod", state: failed.includes(A) ? SourceState.Failed : SourceState.Read },
    { key: subscriptionSource(B), kind: SourceKind.Subscription, name: "shared", state: failed.includes(B) ? SourceState.Failed : SourceState.Read },
    { key: clusterSource(AKS), kind: SourceKind.Cluster, name: "aks-prod", state: SourceState.Read },
  ],
});
const mark = (id: string, severity: Severity, sub: string, cluster = false): FindingMark => ({
  id,
  ruleId: "r",
  severity,
  sources: [subscriptionSource(sub), ...(cluster ? [clusterSource(AKS)] : [])],
});
const scan = (id: number, day: number, findings: FindingMark[], failed: string[] = []): TrendScan => ({
  id,
  scannedAt: new Date(Date.UTC(2026, 0, day)).toISOString(),
  state: failed.length ? "partial" : "succeeded",
  coverage: coverage(failed),
  findings,
});

describe("buildTrends", () => {
  it("counts open findings by severity, new and resolved per scan, and the mean time to fix", () => {
    const a = mark("a", "high", A, true);
    const b = mark("b", "critical", B);
    const c = mark("c", "low", A);
    const t = buildTrends([scan(3, 3, [c]), scan(1, 1, [a, b]), scan(2, 2, [a, c])]);
    expect(t.points.map((p) => p.scanId)).toEqual([1, 2, 3]);
    expect(t.points[0]).toMatchObject({ open: { critical: 1, high: 1, medium: 0, low: 0 }, total: 2, partial: false });
    expect(t.points[0]!.new).toBeUndefined();
    expect(t.points.slice(1).map((p) => [p.new, p.resolved])).toEqual([
      [1, 1],
      [0, 1],
    ]);
    // b fixed after 1 day, a after 2.
    expect(t.fixed).toBe(2);
    expect(t.meanTimeToFixMs).toBe(1.5 * DAY);
    const prod = t.sources.find((s) => s.name === "prod")!;
    expect(prod).toMatchObject({ kind: "subscription", open: 1, new: 1, resolved: 1, meanTimeToFixMs: 2 * DAY });
    expect(t.sources.find((s) => s.name === "aks-prod")).toMatchObject({ kind: "cluster", open: 0, resolved: 1 });
    expect(t.sources.find((s) => s.name === "shared")).toMatchObject({ open: 0, resolved: 1, meanTimeToFixMs: DAY });
  });

  it("never counts what a partial scan could not read as resolved or new, and counts each fix once", () => {
    const a = mark("a", "high", A);
    const b = mark("b", "critical", B);
    const appearedInB = mark("c", "medium", B);
    const t = buildTrends([scan(1, 1, [a, b]), scan(2, 2, [a, appearedInB], [B]), scan(3, 4, [a])]);
    const partial = t.points[1]!;
    expect(partial).toMatchObject({ partial: true, new: 0, resolved: 0, unverified: 1, unknown: 1 });
    // The next complete scan reads B again: b is resolved then (compared with scan 1), 3 days after it was first seen.
    expect(t.points[2]).toMatchObject({ new: 0, resolved: 1 });
    expect(t.fixed).toBe(1);
    expect(t.meanTimeToFixMs).toBe(3 * DAY);
  });

  it("counts a fix once when two scans share a baseline", () => {
    const a = mark("a", "high", A);
    const b = mark("b", "high", A);
    // Scan 2 is partial (B failed) but read A: b is resolved there; scan 3 still compares with scan 1 and says so again.
    const t = buildTrends([scan(1, 1, [a, b]), scan(2, 2, [a], [B]), scan(3, 3, [a])]);
    expect(t.points.map((p) => p.resolved)).toEqual([undefined, 1, 1]);
    expect(t.fixed).toBe(1);
    expect(t.meanTimeToFixMs).toBe(DAY);
    expect(t.sources.find((s) => s.name === "prod")!.resolved).toBe(1);
  });

  it("is empty without scans", () => {
    expect(buildTrends([])).toEqual({ points: [], fixed: 0, sources: [] });
  });
});
