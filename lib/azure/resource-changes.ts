import type { AzureClients } from "@/lib/azure/clients";
import { adaptGraphResourceRow, adaptGraphRow, queryResourceGraph, ResourceGraphQuery } from "@/lib/azure/resource-graph";
import type { ArmWireObject } from "@/lib/model/wire";

/**
 * What changed in a tenant since a point in time, from Resource Graph's change tables:
 * `resourcechanges` (resources and their child resources) and `resourcecontainerchanges`
 * (subscriptions and resource groups). Each row is a `Microsoft.Resources/changes` record
 * of one create, update or delete, kept 7 to 14 days, visible within about five minutes.
 * Role assignments and definitions are not tracked there, nor anything inside a cluster.
 */

export interface ResourceChange {
  targetResourceId: string;
  /** Lower-cased, e.g. `microsoft.containerservice/managedclusters`. */
  targetResourceType: string;
  changeType: "Create" | "Update" | "Delete";
  timestamp: string;
}

export interface ResourceChanges {
  resources: ResourceChange[];
  containers: ResourceChange[];
  /** ARG cut a result short: the changes are incomplete. */
  truncated: boolean;
}

/** KQL string literal: a quote or backslash in an id from Azure is escaped, never ends the literal. */
function kqlString(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

function changesQuery(table: "resourcechanges" | "resourcecontainerchanges", since: string): string {
  const at = new Date(since);
  if (Number.isNaN(at.getTime())) throw new RangeError(`listGraphChanges: "${since}" is not a date`);
  return [
    table,
    "extend changeTime = todatetime(properties.changeAttributes.timestamp)",
    `where changeTime > datetime(${at.toISOString()})`,
    "project targetResourceId = tostring(properties.targetResourceId), targetResourceType = tostring(properties.targetResourceType), changeType = tostring(properties.changeType), timestamp = tostring(properties.changeAttributes.timestamp)",
  ].join(" | ");
}

function adaptChange(row: Record<string, unknown>): ResourceChange | undefined {
  const { targetResourceId, targetResourceType, changeType, timestamp } = row;
  if (typeof targetResourceId !== "string" || !targetResourceId.startsWith("/")) return undefined;
  if (changeType !== "Create" && changeType !== "Update" && changeType !== "Delete") return undefined;
  return { targetResourceId, targetResourceType: String(targetResourceType ?? "").toLowerCase(), changeType, timestamp: String(timestamp ?? "") };
}

/** Every change to the subscriptions' resources, resource groups and the subscriptions themselves after `since`. */
export async function listGraphChanges(clients: AzureClients, subscriptionIds: readonly string[], since: string): Promise<ResourceChanges> {
  const [resources, containers] = await Promise.all([
    queryResourceGraph(clients, changesQuery("resourcechanges", since), subscriptionIds),
    queryResourceGraph(clients, changesQuery("resourcecontainerchanges", since), subscriptionIds),
  ]);
  // A row this reader does not understand is not skipped silently: the caller reads everything instead.
  const adapt = (rows: Record<string, unknown>[]) => rows.map(adaptChange);
  const r = adapt(resources.rows);
  const c = adapt(containers.rows);
  const unreadable = r.includes(undefined) || c.includes(undefined);
  return {
    resources: r.filter((x): x is ResourceChange => !!x),
    containers: c.filter((x): x is ResourceChange => !!x),
    truncated: resources.truncated || containers.truncated || unreadable,
  };
}

/** Ids per query: a query names them all, and ARG limits a query's length. */
const idsPerQuery = 100;

async function byIds(clients: AzureClients, subscriptionIds: readonly string[], base: string, ids: readonly string[]) {
  const rows: Record<string, unknown>[] = [];
  let truncated = false;
  for (let i = 0; i < ids.length; i += idsPerQuery) {
    const list = ids.slice(i, i + idsPerQuery).map(kqlString).join(", ");
    const [table, ...rest] = base.split(" | ");
    const result = await queryResourceGraph(clients, [table, `where id in~ (${list})`, ...rest].join(" | "), subscriptionIds);
    rows.push(...result.rows);
    truncated ||= result.truncated;
  }
  return { rows, truncated };
}

/** These resources as the full scan's resources query reads them; an id no longer there is simply absent. */
export async function listGraphResourcesById(clients: AzureClients, subscriptionIds: readonly string[], ids: readonly string[]): Promise<{ data: ArmWireObject[]; truncated: boolean }> {
  const result = await byIds(clients, subscriptionIds, ResourceGraphQuery.resources, ids);
  return { data: result.rows.map(adaptGraphResourceRow), truncated: result.truncated };
}

/** These resource groups as the full scan reads them. */
export async function listGraphResourceGroupsById(clients: AzureClients, subscriptionIds: readonly string[], ids: readonly string[]): Promise<{ data: ArmWireObject[]; truncated: boolean }> {
  const result = await byIds(clients, subscriptionIds, ResourceGraphQuery.resourceGroups, ids);
  return { data: result.rows.map((r) => adaptGraphRow(r, "Microsoft.Resources/resourceGroups")), truncated: result.truncated };
}
