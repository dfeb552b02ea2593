import { describe, expect, it } from "vitest";
import type { Graph } from "@/lib/graph/types";
import { edgeText, escapeXml, renderGraphSvg } from "./export-svg";

const graph: Graph = {
  nodes: [
    { id: "a", kind: "workload", label: `evil"><script>alert(1)</script>`, entityId: "a", facts: [], findingIds: [] },
    { id: "b", kind: "identity", identityKind: "kubelet", label: "aks-agentpool", entityId: "b", facts: [], findingIds: ["f"], severity: "high" },
    { id: "c", kind: "subscription", label: "prod", entityId: "c", facts: [], findingIds: [] },
  ],
  edges: [
    { id: "e1", kind: "client-id-env", source: "a", target: "b", refs: [], findingIds: [], label: "AZURE_CLIENT_ID" },
    { id: "e2", kind: "holds-role", source: "b", target: "c", refs: [], findingIds: ["f"], severity: "high", label: "Contributor" },
    { id: "e3", kind: "holds-role", source: "b", target: "gone", refs: [], findingIds: [] },
  ],
  findings: {},
};
const layout = { positions: { a: { x: 0, y: 0 }, b: { x: 300, y: 0 }, c: { x: 600, y: 80 } }, width: 832, height: 140 };

describe("renderGraphSvg", () => {
  const svg = renderGraphSvg(graph, layout);

  it("escapes names from the cluster so they cannot inject markup", () => {
    expect(svg).not.toContain("<script>");
    expect(svg).toContain("&lt;script&gt;");
    expect(escapeXml(`a&b<'">`)).toBe("a&amp;b&lt;&apos;&quot;&gt;");
  });

  it("draws one box per node and one path per edge with both ends placed", () => {
    expect(svg.match(/<g transform=/g)).toHaveLength(3);
    expect(svg.match(/<path d="M[0-9.]+,[0-9.]+ C/g)).toHaveLength(2);
    expect(svg).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="880" height="188"/);
  });

  it("marks a flagged edge with glyph and word, not colour alone", () => {
    expect(edgeText(graph.edges[1]!)).toBe("▲ HIGH · Contributor");
    expect(svg).toContain("▲ HIGH · Contributor");
    expect(edgeText({ ...graph.edges[0]!, broken: true })).toBe("AZURE_CLIENT_ID · broken");
  });
});
