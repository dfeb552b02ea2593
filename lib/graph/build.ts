import type { InventoryIndex } from "@/lib/inventory/indexes";
import { EDGE_KINDS } from "@/lib/model/graph-schema";
import type { Finding } from "@/lib/model/findings";
import type { Inventory } from "@/lib/model/types";
import type { CatalogRuleId } from "@/lib/rules/catalog-ids";
import { GraphBuildContext } from "@/lib/graph/build-context";
import { RELATIONS } from "./relations";
import { attachFindings } from "./attach-findings";
import type { Graph } from "./types";

const ESCALATION_RULE: CatalogRuleId = "identity-escalation-path";

export interface BuildGraphOptions {
  /** Reuse an index already built for the same inventory (the rules build one too). */
  index?: InventoryIndex;
}

export class GraphSchemaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GraphSchemaError";
  }
}

/**
 * The identity graph of a whole inventory: clusters and the identities they use, workloads
 * (pods grouped by owner) and how they reach identities, and the scopes those identities hold
 * roles at. Pure: the same inventory and findings give the same graph.
 *
 * Findings attach where they point: a finding about a role assignment marks that "holds role"
 * edge; one naming objects in `targetIds` (a binding, a federated credential, a pod...) marks
 * the nodes and edges standing for them; every finding about an identity marks its node.
 * An edge or node gets the highest severity among its findings.
 */
export function buildGraph(inventory: Inventory, findings: readonly Finding[] = [], options: BuildGraphOptions = {}): Graph {
  const ctx = new GraphBuildContext(inventory, options.index);
  for (const f of findings) {
    if (f.identityKey) ctx.extraIdentityKeys.add(f.identityKey);
    // The rule names the identity that can be taken over first among its targets.
    if (f.ruleId === ESCALATION_RULE && f.identityKey && f.targetIds?.[0]) ctx.escalations.push({ holderKey: f.identityKey, target: f.targetIds[0], findingId: f.id });
  }

  for (const rel of RELATIONS) {
    // Edges are only ever added, in order: the ones this relation made are the tail of the list.
    const before = ctx.edgeOrder.length;
    rel.match(ctx);
    for (const e of ctx.edgeOrder.slice(before)) {
      const id = e.id;
      if (e.kind !== rel.id) throw new GraphSchemaError(`relation ${rel.id} produced a ${e.kind} edge (${id})`);
      const from = ctx.nodes.get(e.source)?.kind;
      const to = ctx.nodes.get(e.target)?.kind;
      const spec = EDGE_KINDS[e.kind];
      if (!from || !to || !rel.from.includes(from) || !rel.to.includes(to) || !spec.from.includes(from) || !spec.to.includes(to)) {
        throw new GraphSchemaError(`edge ${id}: ${from ?? "missing node"} → ${to ?? "missing node"} is not allowed for ${e.kind}`);
      }
    }
  }

  const nodes = [...ctx.nodes.values()];
  const edges = [...ctx.edges.values()];
  const graphFindings = attachFindings(nodes, edges, findings, ctx.index);
  return { nodes, edges, findings: graphFindings };
}
