import { listCustomRoleDefinitionsAtAndBelow, listRoleAssignments, listRoleDefinitions } from "@/lib/azure/authorization";
import type { AzureClients } from "@/lib/azure/clients";
import { listClusterExtensions } from "@/lib/azure/cluster-extensions";
import { listManagedClusters } from "@/lib/azure/clusters";
import { mapBounded } from "@/lib/azure/concurrency";
import { listFederatedCredentials, listUserAssignedIdentities } from "@/lib/azure/identities";
import { fullResourceApiVersions, getResource, listResources } from "@/lib/azure/resources";
import { listResourceGroups } from "@/lib/azure/subscriptions";
import { roleDefinitionGuid } from "@/lib/model/scope";
import { toSourceError } from "@/lib/model/source-error";
import type { SourceError } from "@/lib/model/types";
import { at, type ArmWireObject } from "@/lib/model/wire";
import type { ScanProgressSink } from "./progress";
import { attempt, isBuiltInRoleDefinition, type SubscriptionRead } from "./reads";

/**
 * The per-subscription path: every subscription read over ARM, `concurrency` at a time.
 * Built-in roles come with the first subscription's role-definition list; the rest list
 * custom roles only.
 */
export async function readThroughArm(
  clients: AzureClients,
  subscriptionIds: string[],
  concurrency: number,
  errors: SourceError[],
  report: ScanProgressSink = () => undefined,
): Promise<SubscriptionRead[]> {
  const reads = await mapBounded(subscriptionIds, concurrency, async (id, index) => {
    const read = await readSubscription(clients, id, { concurrency, customRolesOnly: index > 0 }, errors);
    const prefix = `/subscriptions/${id}`.toLowerCase();
    report({ kind: "subscription-read", subscriptionId: id, failed: errors.some((e) => e.scope?.toLowerCase().startsWith(prefix) ?? false) });
    return read;
  });
  await ensureBuiltInRoles(clients, subscriptionIds, reads, errors);
  await addRolesAssignableBelow(clients, subscriptionIds, reads, concurrency, errors);
  return reads;
}

/**
 * ARM lists the role definitions "applicable at scope and above": a custom role whose
 * assignableScopes are all resource groups or resources is missing from its subscription's
 * list, and so is every assignment's meaning. A subscription whose assignments name a role no
 * list returned is asked again with atScopeAndBelow(); one call each, only where needed.
 */
async function addRolesAssignableBelow(clients: AzureClients, subscriptionIds: string[], reads: SubscriptionRead[], concurrency: number, errors: SourceError[]): Promise<void> {
  if (!reads.some((r) => r.roleDefinitions.some(isBuiltInRoleDefinition))) return; // every role is unknown then: nothing to tell apart
  const known = new Set(reads.flatMap((r) => r.roleDefinitions.map((d) => roleDefinitionGuid(String(d.name ?? d.id)))));
  const wanting = subscriptionIds
    .map((id, i) => ({ id, read: reads[i]! }))
    .filter(({ read }) => read.roleAssignments.some((a) => !known.has(roleDefinitionGuid(String(at(a, "properties.roleDefinitionId") ?? "")))));
  await mapBounded(wanting, concurrency, async ({ id, read }) => {
    read.roleDefinitions.push(...(await attempt(errors, "arm:roleDefinitions", `/subscriptions/${id}`, () => listCustomRoleDefinitionsAtAndBelow(clients, id))));
  });
}

async function readSubscription(
  clients: AzureClients,
  subscriptionId: string,
  options: { concurrency: number; customRolesOnly: boolean },
  errors: SourceError[],
): Promise<SubscriptionRead> {
  const { concurrency } = options;
  const scope = `/subscriptions/${subscriptionId}`;
  const [resourceGroups, genericResources, clusters, identities, roleDefinitions, roleAssignments] = await Promise.all([
    attempt(errors, "arm:resourceGroups", scope, () => listResourceGroups(clients, subscriptionId)),
    attempt(errors, "arm:resources", scope, () => listResources(clients, subscriptionId)),
    attempt(errors, "arm:managedClusters", scope, () => listManagedClusters(clients, subscriptionId)),
    attempt(errors, "arm:userAssignedIdentities", scope, () => listUserAssignedIdentities(clients, subscriptionId)),
    attempt(errors, "arm:roleDefinitions", scope, () => listRoleDefinitions(clients, subscriptionId, { customOnly: options.customRolesOnly })),
    attempt(errors, "arm:roleAssignments", scope, () => listRoleAssignments(clients, subscriptionId)),
  ]);

  // Generic lists carry no properties; the resource kinds the inventory reads in full are fetched by id.
  const needFull = genericResources.filter((r) => fullResourceApiVersions[String(r.type ?? "").toLowerCase()] !== undefined);
  const [federated, fullResources, extensions] = await Promise.all([
    mapBounded(identities, concurrency, (identity) =>
      attempt(errors, "arm:federatedIdentityCredentials", identity.id, () => listFederatedCredentials(clients, identity.id)),
    ),
    mapBounded(needFull, concurrency, async (resource) => {
      const apiVersion = fullResourceApiVersions[String(resource.type).toLowerCase()] as string;
      const got = await attempt(errors, "arm:resources", resource.id, async () => [await getResource(clients, subscriptionId, resource.id, apiVersion)]);
      return got[0];
    }),
    // Extension resources appear in no resource list: each cluster's are listed on the cluster.
    mapBounded(clusters, concurrency, (cluster) => attempt(errors, "arm:clusterExtensions", cluster.id, () => listClusterExtensions(clients, cluster.id))),
  ]);
  return {
    resourceGroups,
    genericResources,
    fullResources: fullResources.filter((r): r is ArmWireObject => r !== undefined),
    clusters,
    identities,
    federatedCredentials: federated.flat(),
    roleDefinitions,
    roleAssignments,
    extensions: extensions.flat(),
  };
}

/**
 * When the subscription that was to bring the built-in roles could not list them (no
 * read access there), the next subscriptions are asked in turn, so that assignments of
 * built-in roles still resolve to their permissions.
 */
async function ensureBuiltInRoles(clients: AzureClients, subscriptionIds: string[], reads: SubscriptionRead[], errors: SourceError[]): Promise<void> {
  const hasBuiltIn = () => reads.some((r) => r.roleDefinitions.some(isBuiltInRoleDefinition));
  for (let i = 1; i < subscriptionIds.length && !hasBuiltIn(); i++) {
    const id = subscriptionIds[i] as string;
    try {
      (reads[i] as SubscriptionRead).roleDefinitions = await listRoleDefinitions(clients, id);
    } catch (error) {
      errors.push(toSourceError(error, { source: "arm:roleDefinitions", scope: `/subscriptions/${id}` }));
    }
  }
}
