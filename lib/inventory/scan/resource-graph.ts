import { listRoleDefinitions } from "@/lib/azure/authorization";
import type { AzureClients } from "@/lib/azure/clients";
import { BoundedPool } from "@/lib/azure/concurrency";
import { listFederatedCredentials } from "@/lib/azure/identities";
import { listGraphClusterExtensions, listGraphResourceGroups, listGraphResources, listGraphRoleAssignments, listGraphRoleDefinitions } from "@/lib/azure/resource-graph";
import { DeadlineExceededError } from "@/lib/azure/throttle";
import { normalizeId } from "@/lib/model/scope";
import { toSourceError } from "@/lib/model/source-error";
import type { SourceError } from "@/lib/model/types";
import { at, type ArmWireObject, type WireObject } from "@/lib/model/wire";
import type { ScanProgressSink } from "./progress";
import { attempt, isBuiltInRoleDefinition, type SubscriptionRead } from "./reads";

/**
 * Resources (full properties), resource groups, role assignments, role definitions and cluster
 * extensions for all subscriptions through Resource Graph, then federated credentials per identity through
 * ARM (ARG's `resources` table has no userAssignedIdentities child resources). Any ARG
 * failure (403 without ARG access, 400, unavailable after retries) returns `failure`, and
 * the caller reads per subscription instead.
 */
export async function readThroughResourceGraph(
  clients: AzureClients,
  subscriptionIds: string[],
  errors: SourceError[],
  report: ScanProgressSink = () => undefined,
): Promise<{ read: SubscriptionRead; truncated: boolean } | { failure: string }> {
  // The federated-credential lists start while the resource pages are still arriving, as wide
  // as the per-host limit allows (less the four ARG queries' own page chains); the limiter and
  // the SDK's retry policy still pace them when ARM throttles.
  const pool = new BoundedPool<ArmWireObject[]>(Math.max(1, clients.maxInFlightPerHost - 4), () => []);
  const federatedErrors: SourceError[] = [];
  const federated: Promise<ArmWireObject[]>[] = [];
  let listed = 0;
  const onResourcesPage = (page: ArmWireObject[]) => {
    for (const identity of page.filter(isUserAssignedIdentity)) {
      federated.push(
        pool.add(async () => {
          const got = await attempt(federatedErrors, "arm:federatedIdentityCredentials", identity.id, () => listFederatedCredentials(clients, identity.id));
          // The total grows while resource pages arrive; it is final once they have all come.
          report({ kind: "federated-credentials", done: ++listed, total: federated.length });
          return got;
        }),
      );
    }
  };
  let results;
  const onPage = (page: { query: string; page: number; pages?: number }) => report({ kind: "resource-graph-page", ...page });
  try {
    results = await Promise.all([
      listGraphResourceGroups(clients, subscriptionIds, onPage),
      listGraphResources(clients, subscriptionIds, { onPage, onResources: onResourcesPage }),
      listGraphRoleDefinitions(clients, subscriptionIds, onPage),
      listGraphRoleAssignments(clients, subscriptionIds, onPage),
      listGraphClusterExtensions(clients, subscriptionIds, onPage),
    ]);
  } catch (error) {
    pool.cancelPending();
    await Promise.allSettled(federated);
    if (error instanceof DeadlineExceededError) throw error;
    const e = toSourceError(error, { source: "arm:resourceGraph", scope: "/providers/Microsoft.ResourceGraph/resources" });
    return { failure: `${e.status !== undefined ? `HTTP ${e.status}: ` : ""}${e.message}` };
  }
  const [resourceGroups, resources, roleDefinitions, roleAssignments, extensions] = results;
  const byType = (t: string) => resources.data.filter((r) => String(r.type ?? "").toLowerCase() === t);
  const identities = resources.data.filter(isUserAssignedIdentity);
  const definitions = await withBuiltInRoles(clients, subscriptionIds, roleDefinitions.data, errors);
  const credentials = (await Promise.all(federated)).flat();
  report({ kind: "federated-credentials", done: listed, total: federated.length });
  errors.push(...federatedErrors);
  return {
    read: {
      resourceGroups: resourceGroups.data,
      genericResources: [],
      fullResources: resources.data,
      clusters: byType("microsoft.containerservice/managedclusters"),
      identities,
      federatedCredentials: credentials,
      roleDefinitions: definitions,
      roleAssignments: roleAssignments.data,
      extensions: extensions.data,
    },
    truncated: resourceGroups.truncated || resources.truncated || roleDefinitions.truncated || roleAssignments.truncated || extensions.truncated,
  };
}

/**
 * The role definitions Resource Graph returned, with the built-in ones listed from ARM when it
 * returned none: without them no assignment of a built-in role resolves. The next
 * subscription is asked when one refuses.
 */
export async function withBuiltInRoles(clients: AzureClients, subscriptionIds: string[], fromGraph: ArmWireObject[], errors: SourceError[]): Promise<ArmWireObject[]> {
  const definitions = [...fromGraph];
  if (definitions.some(isBuiltInRoleDefinition)) return definitions;
  for (const id of subscriptionIds) {
    try {
      definitions.push(...(await listRoleDefinitions(clients, id)));
      break;
    } catch (error) {
      errors.push(toSourceError(error, { source: "arm:roleDefinitions", scope: `/subscriptions/${id}` }));
    }
  }
  return definitions;
}

const isUserAssignedIdentity = (r: ArmWireObject) => String(r.type ?? "").toLowerCase() === "microsoft.managedidentity/userassignedidentities";

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
