import { listRoleDefinitions } from "@/lib/azure/authorization";
import type { AzureClients } from "@/lib/azure/clients";
import { mapBounded } from "@/lib/azure/concurrency";
import { listFederatedCredentials } from "@/lib/azure/identities";
import { listGraphResourceGroups, listGraphResources, listGraphRoleAssignments, listGraphRoleDefinitions } from "@/lib/azure/resource-graph";
import { DeadlineExceededError } from "@/lib/azure/throttle";
import { normalizeId } from "@/lib/model/scope";
import { toSourceError } from "@/lib/model/source-error";
import type { SourceError } from "@/lib/model/types";
import { at, type ArmWireObject, type WireObject } from "@/lib/model/wire";
import type { ScanProgressSink } from "./progress";
import { attempt, isBuiltInRoleDefinition, type SubscriptionRead } from "./reads";

/**
 * Resources (full properties), resource groups, role assignments and role definitions for
 * all subscriptions through Resource Graph, then federated credentials per identity through
 * ARM (ARG's `resources` table has no userAssignedIdentities child resources). Any ARG
 * failure (403 without ARG access, 400, unavailable after retries) returns `failure`, and
 * the caller reads per subscription instead.
 */
export async function readThroughResourceGraph(
  clients: AzureClients,
  subscriptionIds: string[],
  concurrency: number,
  errors: SourceError[],
  report: ScanProgressSink = () => undefined,
): Promise<{ read: SubscriptionRead; truncated: boolean } | { failure: string }> {
  let results;
  const onPage = (page: { query: string; page: number; pages?: number }) => report({ kind: "resource-graph-page", ...page });
  try {
    results = await Promise.all([
      listGraphResourceGroups(clients, subscriptionIds, onPage),
      listGraphResources(clients, subscriptionIds, onPage),
      listGraphRoleDefinitions(clients, subscriptionIds, onPage),
      listGraphRoleAssignments(clients, subscriptionIds, onPage),
    ]);
  } catch (error) {
    if (error instanceof DeadlineExceededError) throw error;
    const e = toSourceError(error, { source: "arm:resourceGraph", scope: "/providers/Microsoft.ResourceGraph/resources" });
    return { failure: `${e.status !== undefined ? `HTTP ${e.status}: ` : ""}${e.message}` };
  }
  const [resourceGroups, resources, roleDefinitions, roleAssignments] = results;
  const byType = (t: string) => resources.data.filter((r) => String(r.type ?? "").toLowerCase() === t);
  const identities = byType("microsoft.managedidentity/userassignedidentities");
  const definitions = [...roleDefinitions.data];
  if (!definitions.some(isBuiltInRoleDefinition)) {
    // Without built-in definitions no assignment of a built-in role resolves: list them from
    // ARM, asking the next subscription when one refuses.
    for (const id of subscriptionIds) {
      try {
        definitions.push(...(await listRoleDefinitions(clients, id)));
        break;
      } catch (error) {
        errors.push(toSourceError(error, { source: "arm:roleDefinitions", scope: `/subscriptions/${id}` }));
      }
    }
  }
  let listed = 0;
  report({ kind: "federated-credentials", done: 0, total: identities.length });
  const federated = await mapBounded(identities, concurrency, async (identity) => {
    const got = await attempt(errors, "arm:federatedIdentityCredentials", identity.id, () => listFederatedCredentials(clients, identity.id));
    report({ kind: "federated-credentials", done: ++listed, total: identities.length });
    return got;
  });
  return {
    read: {
      resourceGroups: resourceGroups.data,
      genericResources: [],
      fullResources: resources.data,
      clusters: byType("microsoft.containerservice/managedclusters"),
      identities,
      federatedCredentials: federated.flat(),
      roleDefinitions: definitions,
      roleAssignments: roleAssignments.data,
    },
    truncated: resourceGroups.truncated || resources.truncated || roleDefinitions.truncated || roleAssignments.truncated,
  };
}

/**
 * ARG returns management-group and root assignments with the subscriptions' rows; ARM's
 * per-subscription list returns only those inherited by the subscription. Keep the ones on
 * an ancestor of a scanned subscription, as the ARM path does. Without the management
 * group tree (not readable) they are all kept: dropping one could hide a grant.
 */
export function inheritedOnly(assignments: ArmWireObject[], subscriptions: WireObject[], groups: ArmWireObject[]): ArmWireObject[] {
  if (groups.length === 0) return assignments;
  const parent = new Map<string, string | undefined>();
  for (const g of groups) {
    const p = at(g, "properties.details.parent.id");
    parent.set(normalizeId(g.id), typeof p === "string" ? normalizeId(p) : undefined);
  }
  const ancestors = new Set<string>();
  for (const sub of subscriptions) {
    let next = typeof sub.managementGroupId === "string" ? normalizeId(sub.managementGroupId) : undefined;
    while (next && !ancestors.has(next)) {
      ancestors.add(next);
      next = parent.get(next);
    }
  }
  return assignments.filter((a) => {
    const scope = String(at(a, "properties.scope") ?? "");
    if (!/^\/providers\/Microsoft\.Management\/managementGroups\//i.test(scope)) return true;
    return ancestors.has(normalizeId(scope));
  });
}
