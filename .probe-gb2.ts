import ELK from "elkjs/lib/elk.bundled.js";
import { toElkGraph } from "@/lib/graph/layout";
import { buildClusterView, generateGraphBenchTenant } from "./bench/graph/tenant";
const size = Number(process.argv[2] ?? 500);
const { tenant, clusterId } = generateGraphBenchTenant(size);
const view = buildClusterView(tenant, clusterId);
const variants: Record<string, Record<string, string | undefined>> = {
  base: {},
  noModelOrder: { "elk.layered.considerModelOrder.strategy": "NONE" },
  netSimplex: { "elk.layered.nodePlacement.strategy": "NETWORK_SIMPLEX" },
  linear: { "elk.layered.nodePlacement.strategy": "LINEAR_SEGMENTS" },
  noPartition: { "elk.partitioning.activate": "false" },
  orthoEdges: { "elk.edgeRouting": "ORTHOGONAL" },
  thorough1: { "elk.layered.thoroughness": "1" },
  layerChoice: { "elk.partitioning.activate": "false" },
};
async function main() {
const only = process.argv.slice(3);
for (const [name, over] of Object.entries(variants)) {
  if (only.length && !only.includes(name)) continue;
  const g = toElkGraph(view);
  for (const [k, v] of Object.entries(over)) if (v === undefined) delete g.layoutOptions![k]; else g.layoutOptions![k] = v;
  if (name === "layerChoice") for (const c of g.children!) c.layoutOptions = { "elk.layered.layering.layerChoiceConstraint": c.layoutOptions!["elk.partitioning.partition"]! };
  const t = performance.now();
  const out = await new ELK().layout(g);
  const byId = new Map(view.nodes.map((n) => [n.id, n.kind]));
  const xs: Record<string, Set<number>> = {};
  for (const c of out.children!) (xs[byId.get(c.id)!] ??= new Set()).add(Math.round(c.x!));
  console.log(name, JSON.stringify(Object.fromEntries(Object.entries(xs).map(([k, v]) => [k, [...v].slice(0, 4)]))));
  await new ELK().layout(g);
  console.log(size, name, Math.round(performance.now() - t), "ms");
}
}
void main();
