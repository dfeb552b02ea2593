import type { AzureClients } from "@/lib/azure/clients";
import { BoundedPool } from "@/lib/azure/concurrency";
import { listFederatedCredentials } from "@/lib/azure/identities";
import { listGraphChanges, listGraphResourceGroupsById, listGraphResourcesById, type ResourceChange } from "@/lib/azure/resource-changes";
import { listGraphClusterExtensions, listGraphRoleAssignments, listGraphRoleDefinitions } from "@/lib/azure/resource-graph";
import { normalizeId } from "@/lib/model/scope";
import type { SourceError } from "@/lib/model/types";
import type { ArmWireObject } from "@/lib/model/wire";
import { changeDelayMs, type ScanBaseline } from "./baseline";
import type { ReuseStats } from "./config";
import { attempt, type SubscriptionRead } from "./reads";
import { withBuiltInRoles } from "./resource-graph";

const IDENTITY = /^(\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/microsoft\.managedidentity\/userassignedidentities\/[^/]+)(\/|$)/;
const TOP_LEVEL = /^(\/subscriptions\/[^/]+\/resourcegroups\/[^/]+\/providers\/[^/]+\/[^/]+\/[^/]+)(\/|$)/;
const GROUP = /^(\/subscriptions\/[^/]+\/resourcegroups\/[^/]+)$/;

/** What the changes since the baseline touch, by normalised id. */
interface Touched {
  /** Top-level resources to read again (created or updated, or a child of theirs changed). */
  resources: Set<string>;
  /** Top-level resources deleted (unless a later change created them again). */
  deleted: Set<string>;
  groups: Set<string>;
  deletedGroups: Set<string>;
  /** Identities whose federated credentials must be listed again. */
  identities: Set<string>;
}

function touchedBy(resources: ResourceChange[], containers: ResourceChange[]): Touched {
  const t: Touched = { resources: new Set(), deleted: new Set(), groups: new Set(), deletedGroups: new Set(), identities: new Set() };
  const inOrder = (list: ResourceChange[]) => [...list].sort((a, b) => (a.timestamp < b.timestamp ? -1 : a.timestamp > b.timestamp ? 1 : 0));
  for (const c of inOrder(resources)) {
    const id = normalizeId(c.targetResourceId);
    const identity = IDENTITY.exec(id)?.[1];
    if (identity) t.identities.add(identity);
    const top = TOP_LEVEL.exec(id)?.[1];
    if (!top) continue;
    if (c.changeType === "Delete" && top === id) {
      t.deleted.add(top);
      t.resources.delete(top);
    } else {
      t.resources.add(top);
      t.deleted.delete(top);
    }
  }
  for (const c of inOrder(containers)) {
    const id = GROUP.exec(normalizeId(c.targetResourceId))?.[1];
    if (!id) continue;
    if (c.changeType === "Delete") {
      t.deletedGroups.add(id);
      t.groups.delete(id);
    } else {
      t.groups.add(id);
      t.deletedGroups.delete(id);
    }
  }
  return t;
}

/** The baseline's objects, with the deleted and re-read ones taken out and the re-read ones put back (in place, new ones last). */
function merge(previous: ArmWireObject[], reread: ArmWireObject[], gone: (id: string) => boolean): ArmWireObject[] {
  const fresh = new Map(reread.map((r) => [normalizeId(r.id), r]));
  const out: ArmWireObject[] = [];
  for (const r of previous) {
    const k = normalizeId(r.id);
    if (fresh.has(k)) {
      out.push(fresh.get(k)!);
      fresh.delete(k);
    } else if (!gone(k)) out.push(r);
  }
  return [...out, ...fresh.values()];
}

/**
 * The Resource Graph path of a rescan: role assignments, definitions and cluster extensions
 * are read in full (change analysis does not track them; each is one paged query), resources and resource groups are the baseline's
 * with every change since it applied (changed ones read again by id, deleted ones dropped),
 * and federated credentials are listed again only for identities that are new or had a change
 * at or under them. Returns undefined when the change tables cannot be read completely: the
 * caller then reads everything.
 */
export async function rereadThroughResourceGraph(
  clients: AzureClients,
  subscriptionIds: string[],
  baseline: ScanBaseline & { arm: NonNullable<ScanBaseline["arm"]> },
  errors: SourceError[],
): Promise<{ read: SubscriptionRead; truncated: boolean; reuse: ReuseStats } | undefined> {
  const since = new Date(Date.parse(baseline.startedAt) - changeDelayMs).toISOString();
  const [changes, definitions, assignments, extensions] = await Promise.all([
    listGraphChanges(clients, subscriptionIds, since).catch(() => undefined),
    listGraphRoleDefinitions(clients, subscriptionIds),
    listGraphRoleAssignments(clients, subscriptionIds),
    listGraphClusterExtensions(clients, subscriptionIds),
  ]);
  if (!changes || changes.truncated) return undefined;
  const touched = touchedBy(changes.resources, changes.containers);

  const [resources, groups] = await Promise.all([
    listGraphResourcesById(clients, subscriptionIds, [...touched.resources]),
    listGraphResourceGroupsById(clients, subscriptionIds, [...touched.groups]),
  ]);
  const inDeletedGroup = (id: string) => [...touched.deletedGroups].some((g) => id.startsWith(`${g}/`));
  const mergedResources = merge(baseline.arm.resources, resources.data, (id) => touched.deleted.has(id) || touched.resources.has(id) || inDeletedGroup(id));
  const mergedGroups = merge(baseline.arm.resourceGroups, groups.data, (id) => touched.deletedGroups.has(id) || touched.groups.has(id));

  const identities = mergedResources.filter((r) => String(r.type ?? "").toLowerCase() === "microsoft.managedidentity/userassignedidentities");
  const pool = new BoundedPool<ArmWireObject[]>(Math.max(1, clients.maxInFlightPerHost - 4), () => []);
  const listErrors: SourceError[] = [];
  let reused = 0;
  const federated = await Promise.all(
    identities.map((identity) => {
      const k = normalizeId(identity.id);
      const known = baseline.arm.federatedCredentials.get(k);
      if (known && !touched.identities.has(k)) {
        reused++;
        return Promise.resolve(known);
      }
      return pool.add(() => attempt(listErrors, "arm:federatedIdentityCredentials", identity.id, () => listFederatedCredentials(clients, identity.id)));
    }),
  );
  const roleDefinitions = await withBuiltInRoles(clients, subscriptionIds, definitions.data, listErrors);
  errors.push(...listErrors);
  return {
    read: {
      resourceGroups: mergedGroups,
      genericResources: [],
      fullResources: mergedResources,
      clusters: mergedResources.filter((r) => String(r.type ?? "").toLowerCase() === "microsoft.containerservice/managedclusters"),
      identities,
      federatedCredentials: federated.flat(),
      roleDefinitions,
      roleAssignments: assignments.data,
      extensions: extensions.data,
    },
    truncated: resources.truncated || groups.truncated || definitions.truncated || assignments.truncated || extensions.truncated,
    reuse: {
      since,
      changes: changes.resources.length + changes.containers.length,
      resources: { reused: mergedResources.length - resources.data.length, readAgain: resources.data.length },
      resourceGroups: { reused: mergedGroups.length - groups.data.length, readAgain: groups.data.length },
      federatedCredentials: { reused, listed: identities.length - reused },
    },
  };
}

