import ELK from "elkjs/lib/elk.bundled.js";
import { describe, expect, it } from "vitest";
import type { Graph, GraphNode } from "./types";
import { layoutGraph, NODE_WIDTH, toElkGraph } from "./layout";

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
});
