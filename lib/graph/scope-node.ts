import type { InventoryIndex } from "@/lib/inventory/indexes";
import { NODE_KINDS, type NodeKind } from "@/lib/model/graph-schema";
import { normalizeId, tryParseScope } from "@/lib/model/scope";
import { ScopeLevel } from "@/lib/model/types";
import { nodeId } from "./node-id";
import { fact } from "./facts";
import type { GraphFact, GraphNode } from "./types";

/**
 * The node of an ARM scope: its kind follows the scope level, its label the name the inventory
 * knows. An unparseable scope becomes a resource node labelled with the raw id.
 */
export function scopeNode(scopeId: string, index: Pick<InventoryIndex, "managementGroupById" | "subscriptionById" | "resourceGroupById">): GraphNode {
  const parsed = tryParseScope(scopeId);
  const kind: NodeKind =
    !parsed || parsed.level === ScopeLevel.Resource
      ? "resource"
      : parsed.level === ScopeLevel.ResourceGroup
        ? "resource-group"
        : parsed.level === ScopeLevel.Subscription
          ? "subscription"
          : "management-group";
  let label = scopeId;
  let sublabel: string = NODE_KINDS[kind].label;
  const facts: GraphFact[] = [...fact("Scope", scopeId)];
  if (!parsed) {
    facts.push({ label: "Note", value: "This scope could not be parsed as an ARM id." });
  } else if (parsed.level === ScopeLevel.Root) {
    label = "/ (tenant root)";
  } else if (parsed.level === ScopeLevel.ManagementGroup) {
    const mg = index.managementGroupById.get(normalizeId(scopeId));
    label = mg?.displayName ?? parsed.managementGroup ?? scopeId;
  } else if (parsed.level === ScopeLevel.Subscription) {
    const sub = index.subscriptionById.get(normalizeId(scopeId));
    label = sub?.displayName ?? parsed.subscriptionId ?? scopeId;
    facts.push(...fact("Subscription id", parsed.subscriptionId));
  } else if (parsed.level === ScopeLevel.ResourceGroup) {
    label = parsed.resourceGroup ?? scopeId;
    const rg = index.resourceGroupById.get(normalizeId(scopeId));
    if (rg?.managedBy) facts.push({ label: "Managed by", value: rg.managedBy });
  } else {
    label = parsed.resourceName ?? scopeId;
    sublabel = parsed.resourceType ?? sublabel;
    facts.push(...fact("Resource type", parsed.resourceType), ...fact("Resource group", parsed.resourceGroup));
  }
  return { id: nodeId(kind, scopeId), kind, label, sublabel, entityId: scopeId, subscriptionId: parsed?.subscriptionId, facts, findingIds: [] };
}
