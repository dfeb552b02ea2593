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
};
const only = process.argv.slice(3);
for (const [name, over] of Object.entries(variants)) {
  if (only.length && !only.includes(name)) continue;
  const g = toElkGraph(view);
  for (const [k, v] of Object.entries(over)) if (v === undefined) delete g.layoutOptions![k]; else g.layoutOptions![k] = v;
  const t = performance.now();
  await new ELK().layout(g);
  console.log(size, name, Math.round(performance.now() - t), "ms");
}
