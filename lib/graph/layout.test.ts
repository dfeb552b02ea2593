import ELK from "elkjs/lib/elk.bundled.js";
import { describe, expect, it } from "vitest";
import type { Graph, GraphNode } from "./types";
import { columnLayout, ELK_MAX_NODES, layoutGraph, NODE_HEIGHT, NODE_WIDTH, toElkGraph, type ElkLike } from "./layout";

const n = (id: string, kind: GraphNode["kind"]): GraphNode => ({ id, kind, label: id, entityId: id, facts: [], findingIds: [] });

describe("layoutGraph", () => {
  const graph: Graph = {
    nodes: [n("scope", "resource-group"), n("id", "identity"), n("sa", "service-account"), n("w", "workload"), n("fic", "federated-credential")],
    edges: [
      { id: "e1", kind: "runs-as", source: "w", target: "sa", refs: [], findingIds: [] },
      { id: "e2", kind: "trusted-via", source: "sa", target: "fic", refs: [], findingIds: [] },
      { id: "e3", kind: "federates-to", source: "fic", target: "id", refs: [], findingIds: [] },
      { id: "e4", kind: "holds-role", source: "id", target: "scope", refs: [], findingIds: [] },
      { id: "dangling", kind: "holds-role", source: "id", target: "missing", refs: [], findingIds: [] },
    ],
    findings: {},
  };

  it("places workloads left of credentials, identities and scopes, without overlap", async () => {
    const { positions, width } = await layoutGraph(graph, new ELK());
    const x = (id: string) => positions[id]!.x;
    expect(x("w")).toBeLessThan(x("sa"));
    expect(x("sa")).toBeLessThan(x("fic"));
    expect(x("fic")).toBeLessThan(x("id"));
    expect(x("id")).toBeLessThan(x("scope"));
    expect(x("sa") - x("w")).toBeGreaterThanOrEqual(NODE_WIDTH);
    expect(width).toBeGreaterThan(4 * NODE_WIDTH);
  });

  it("drops edges to nodes outside the graph instead of failing the layout", () => {
    expect(toElkGraph(graph).edges?.map((e) => e.id)).toEqual(["e1", "e2", "e3", "e4"]);
  });

  it("returns an empty layout for an empty graph", async () => {
    expect(await layoutGraph({ nodes: [], edges: [] }, new ELK())).toEqual({ positions: {}, width: 0, height: 0 });
  });

  it("uses the linear column layout above ELK_MAX_NODES, without calling ELK", async () => {
    const big: Graph = { nodes: [], edges: [], findings: {} };
    for (let i = 0; i <= ELK_MAX_NODES; i++) {
      big.nodes.push(n(`w${i}`, "workload"), n(`sa${i}`, "service-account"));
      big.edges.push({ id: `e${i}`, kind: "runs-as", source: `w${i}`, target: `sa${i}`, refs: [], findingIds: [] });
    }
    const elk: ElkLike = { layout: () => Promise.reject(new Error("ELK must not run for large graphs")) };
    const { positions } = await layoutGraph(big, elk);
    expect(Object.keys(positions)).toHaveLength(big.nodes.length);
    expect(positions["w0"]!.x).toBeLessThan(positions["sa0"]!.x);
  });
});

describe("columnLayout", () => {
  it("puts each kind in its schema column, left to right, without overlap", () => {
    const graph: Graph = {
      nodes: [n("scope", "resource-group"), n("id", "identity"), n("sa", "service-account"), n("w", "workload"), n("w2", "workload")],
      edges: [
        { id: "e1", kind: "runs-as", source: "w", target: "sa", refs: [], findingIds: [] },
        { id: "e4", kind: "holds-role", source: "id", target: "scope", refs: [], findingIds: [] },
      ],
      findings: {},
    };
    const { positions, height } = columnLayout(graph);
    expect(positions["w"]!.x).toBeLessThan(positions["sa"]!.x);
    expect(positions["sa"]!.x).toBeLessThan(positions["id"]!.x);
    expect(positions["id"]!.x).toBeLessThan(positions["scope"]!.x);
    expect(Math.abs(positions["w"]!.y - positions["w2"]!.y)).toBeGreaterThanOrEqual(NODE_HEIGHT);
    expect(height).toBeGreaterThanOrEqual(2 * NODE_HEIGHT);
  });

  it("orders rows so that connected nodes line up (barycenter sweeps)", () => {
    // Two workloads and two service accounts listed in crossing order.
    const graph: Graph = {
      nodes: [n("wa", "workload"), n("wb", "workload"), n("sb", "service-account"), n("sa", "service-account")],
      edges: [
        { id: "e1", kind: "runs-as", source: "wa", target: "sa", refs: [], findingIds: [] },
        { id: "e2", kind: "runs-as", source: "wb", target: "sb", refs: [], findingIds: [] },
      ],
      findings: {},
    };
    const { positions } = columnLayout(graph);
    const wOrder = positions["wa"]!.y < positions["wb"]!.y;
    const sOrder = positions["sa"]!.y < positions["sb"]!.y;
    expect(wOrder).toBe(sOrder);
  });
});
