import { describe, expect, it } from "vitest";
import { headingsThatFit, MIN_TEXT_PX, MID_LABEL_PX, NEAR_TEXT_PX, summarizeLayout, zoomLevel } from "./zoom";
import type { GraphNode } from "./types";

const node = (id: string, kind: GraphNode["kind"], label: string, extra: Partial<GraphNode> = {}): GraphNode => ({ id, kind, label, entityId: id, facts: [], findingIds: [], ...extra });

describe("zoomLevel", () => {
  it("never lets node text drop under the readable size", () => {
    for (let z = 0.02; z <= 2; z += 0.01) {
      const level = zoomLevel(z);
      if (level === "near") expect(z * NEAR_TEXT_PX).toBeGreaterThanOrEqual(MIN_TEXT_PX);
      if (level === "mid") expect(z * MID_LABEL_PX).toBeGreaterThanOrEqual(MIN_TEXT_PX);
    }
    expect(zoomLevel(1)).toBe("near");
    expect(zoomLevel(0.6)).toBe("mid");
    // The graph bench's fit view of 500 nodes sits at about 0.06: plain blocks and group labels.
    expect(zoomLevel(0.06)).toBe("far");
  });
});

describe("summarizeLayout", () => {
  const ns = node("namespace:a/payments", "namespace", "payments");
  const nodes = [
    ns,
    node("w1", "workload", "api", { parentId: ns.id }),
    node("w2", "workload", "web", { parentId: ns.id, severity: "high" }),
    node("w3", "workload", "cron", { parentId: "namespace:a/batch" }),
    node("i1", "identity", "id-api", { identityKind: "app" }),
    node("i2", "identity", "id-web", { identityKind: "app" }),
    node("i3", "identity", "agentpool", { identityKind: "kubelet" }),
  ];
  const positions = { [ns.id]: { x: 0, y: 0 }, w1: { x: 300, y: 0 }, w2: { x: 300, y: 80 }, w3: { x: 300, y: 160 }, i1: { x: 600, y: 0 }, i2: { x: 600, y: 80 }, i3: { x: 600, y: 160 } };
  const s = summarizeLayout(nodes, positions, { width: 232, height: 60 });

  it("heads each column with what it holds", () => {
    expect(s.columns.map((c) => c.label)).toEqual(["1 namespaces", "3 workloads", "3 identities"]);
  });

  it("labels contiguous runs of one namespace or one identity job, spanning their nodes, with their worst severity", () => {
    const runs = s.runs.map((r) => [r.label, r.count, r.y, r.height]);
    expect(runs).toContainEqual(["payments: workloads (2)", 2, 0, 140]);
    expect(runs).toContainEqual(["App identities (2)", 2, 0, 140]);
    // A run of one is named by its node.
    expect(runs).toContainEqual(["agentpool", 1, 160, 60]);
    expect(s.runs.find((r) => r.label.startsWith("payments: workloads"))!.severity).toBe("high");
  });

  it("lets a label use the gap up to the next column", () => {
    expect(s.runs.find((r) => r.label.startsWith("payments: workloads"))!.width).toBe(300 - 8);
  });

  it("keeps only the column headings that do not overlap on screen", () => {
    // At zoom 1 the columns are 300 px apart: every heading fits.
    expect(headingsThatFit(s.columns, 1)).toHaveLength(3);
    // At zoom 0.1 they are 30 px apart: the first heading covers the others.
    expect(headingsThatFit(s.columns, 0.1).map((c) => c.label)).toEqual(["1 namespaces"]);
  });
});
