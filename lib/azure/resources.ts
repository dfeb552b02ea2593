import type { AzureClients } from "@/lib/azure/clients";
import { getWire, listWire } from "@/lib/azure/wire";
import type { ArmWireObject } from "@/lib/model/wire";

/**
 * Every resource in a subscription from ARM's generic list. ARM's generic list returns
 * id, name, type, location, tags, kind, sku, identity and managedBy, but never
 * `properties`: resources whose properties the rules read are fetched in full separately.
 */
export async function listResources(clients: AzureClients, subscriptionId: string, filter?: string): Promise<ArmWireObject[]> {
  return (await listWire(() => clients.resources(subscriptionId).resources.list(filter ? { filter } : {}))) as ArmWireObject[];
}

/**
 * Resource types whose `properties` a scan needs although no typed SDK here lists them,
 * with the api-version used to GET them by id:
 * - virtual networks: subnets (ids, route tables) for the network scope rule;
 * - application gateways: the gateway subnet for the AGIC add-on profile.
 */
export const fullResourceApiVersions: Readonly<Record<string, string>> = {
  "microsoft.network/virtualnetworks": "2024-05-01",
  "microsoft.network/applicationgateways": "2024-05-01",
};

/**
 * GET one resource by id, in wire shape. The SDK inserts the id after a "/" without
 * encoding it, so the id goes in without its leading slash (else the path starts "//").
 */
export async function getResource(clients: AzureClients, subscriptionId: string, id: string, apiVersion: string): Promise<ArmWireObject> {
  const body = await getWire(() => clients.resources(subscriptionId).resources.getById(id.replace(/^\/+/, ""), apiVersion));
  if (typeof body.id !== "string") throw new Error(`GET ${id} returned a body without an id`);
  return body as ArmWireObject;
}
