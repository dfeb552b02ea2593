import { describe, expect, it } from "vitest";
import { ALL_CLUSTERS, clusterSource, GRAPH_SOURCE, SourceKind, SourceState, subscriptionSource, TENANT_SOURCE, type ScanCoverage, type SourceCoverage } from "@/lib/model/coverage";
import { compareScans, type FindingMark } from "./comparison";

const SUB_A = "aaaaaaaa-0000-0000-0000-000000000001";
const SUB_B = "bbbbbbbb-0000-0000-0000-000000000002";
const AKS = `/subscriptions/${SUB_A}/resourceGroups/rg/providers/Microsoft.ContainerService/managedClusters/aks`;

const read = (key: string, kind: SourceCoverage["kind"], name = key): SourceCoverage => ({ key, kind, name, state: SourceState.Read });
const failed = (key: string, kind: SourceCoverage["kind"], reason = "HTTP 500: boom"): SourceCoverage => ({ key, kind, name: key, state: SourceState.Failed, reason, transient: true });

function coverage(...overrides: SourceCoverage[]): ScanCoverage {
  const base = [read(subscriptionSource(SUB_A), SourceKind.Subscription), read(subscriptionSource(SUB_B), SourceKind.Subscription), read(clusterSource(AKS), SourceKind.Cluster), read(GRAPH_SOURCE, SourceKind.Graph)];
  const byKey = new Map(base.map((s) => [s.key, s]));
  for (const o of overrides) byKey.set(o.key, o);
  return { sources: [...byKey.values()] };
}

const inA = (id: string): FindingMark => ({ id, ruleId: "r", severity: "high", sources: [subscriptionSource(SUB_A)] });
const inB = (id: string): FindingMark => ({ id, ruleId: "r", severity: "critical", sources: [subscriptionSource(SUB_B)] });
const onCluster = (id: string): FindingMark => ({ id, ruleId: "r", severity: "medium", sources: [subscriptionSource(SUB_A), clusterSource(AKS)] });

describe("compareScans", () => {
  it("marks new, unchanged and resolved when both scans read everything", () => {
    const diff = compareScans({ coverage: coverage(), findings: [inA("kept"), inB("added")] }, { coverage: coverage(), findings: [inA("kept"), inB("fixed")] });
    expect(diff.findings.get("kept")).toEqual({ comparison: "unchanged" });
    expect(diff.findings.get("added")).toEqual({ comparison: "new" });
    expect(diff.resolved).toEqual(["fixed"]);
    expect(diff.unknown).toEqual([]);
  });

  it("never calls a finding resolved when the source it rests on failed in the new scan: it is carried as unknown", () => {
    const now = coverage(failed(subscriptionSource(SUB_B), SourceKind.Subscription, "HTTP 500: The server encountered an internal error"));
    const diff = compareScans({ coverage: now, findings: [inA("a")] }, { coverage: coverage(), findings: [inA("a"), inB("crit"), inA("gone")] });
    expect(diff.resolved).toEqual(["gone"]);
    expect(diff.unknown).toEqual([{ id: "crit", reason: expect.stringContaining("this scan could not read subscription") }]);
    expect(diff.unknown[0]!.reason).toContain("HTTP 500");
  });

  it("claims new only where the scan compared with read that source", () => {
    const before = coverage(failed(subscriptionSource(SUB_B), SourceKind.Subscription));
    const diff = compareScans({ coverage: coverage(), findings: [inB("seen-now"), inA("really-new")] }, { coverage: before, findings: [] });
    expect(diff.findings.get("seen-now")).toMatchObject({ comparison: "unknown", reason: expect.stringContaining("the scan compared with could not read") });
    expect(diff.findings.get("really-new")).toEqual({ comparison: "new" });
  });

  it("does not call a finding new while a source it rests on failed now (it may stand because something was not seen)", () => {
    const now = coverage(failed(clusterSource(AKS), SourceKind.Cluster, "HTTP 503: down"));
    const diff = compareScans({ coverage: now, findings: [onCluster("k")] }, { coverage: coverage(), findings: [] });
    expect(diff.findings.get("k")).toMatchObject({ comparison: "unknown", reason: expect.stringContaining("this scan could not read cluster") });
  });

  it("resolves wildcards: a finding resting on every cluster is unknown when any cluster failed", () => {
    const everywhere: FindingMark = { id: "unused", ruleId: "unused-identity", severity: "low", sources: [ALL_CLUSTERS] };
    const now = coverage(failed(clusterSource(AKS), SourceKind.Cluster));
    expect(compareScans({ coverage: now, findings: [] }, { coverage: coverage(), findings: [everywhere] }).unknown.map((u) => u.id)).toEqual(["unused"]);
    expect(compareScans({ coverage: coverage(), findings: [] }, { coverage: coverage(), findings: [everywhere] }).resolved).toEqual(["unused"]);
  });

  it("treats a failed tenant-wide source (the subscription list) as failing every finding", () => {
    const now = { sources: [failed(TENANT_SOURCE, SourceKind.Tenant, "HTTP 503: unavailable")] };
    const diff = compareScans({ coverage: now, findings: [] }, { coverage: coverage(), findings: [inA("a"), inB("b")] });
    expect(diff.resolved).toEqual([]);
    expect(diff.unknown.map((u) => u.id)).toEqual(["a", "b"]);
  });

  it("resolves findings of a deleted cluster when its subscription was read, but not of a subscription it never listed", () => {
    const withoutCluster = { sources: coverage().sources.filter((s) => s.kind !== SourceKind.Cluster) };
    expect(compareScans({ coverage: withoutCluster, findings: [] }, { coverage: coverage(), findings: [onCluster("k")] }).resolved).toEqual(["k"]);
    const withoutSubB = { sources: coverage().sources.filter((s) => s.key !== subscriptionSource(SUB_B)) };
    expect(compareScans({ coverage: withoutSubB, findings: [] }, { coverage: coverage(), findings: [inB("b")] }).unknown[0]).toMatchObject({ id: "b", reason: expect.stringContaining("not part of this scan") });
  });

  it("marks every finding unknown when there is nothing to compare with", () => {
    const diff = compareScans({ coverage: coverage(), findings: [inA("a")] }, undefined);
    expect(diff.findings.get("a")).toEqual({ comparison: "unknown", reason: "no earlier scan to compare with" });
    expect(diff.resolved).toEqual([]);
  });
});
