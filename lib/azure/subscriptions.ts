import type { AzureClients } from "@/lib/azure/clients";
import { listWire } from "@/lib/azure/wire";
import type { ArmWireObject, WireObject } from "@/lib/model/wire";

/** Subscriptions the credential can see (GET /subscriptions), in wire shape. */
export async function listSubscriptions(clients: AzureClients): Promise<WireObject[]> {
  return listWire(() => clients.subscriptions().subscriptions.list());
}

export async function listResourceGroups(clients: AzureClients, subscriptionId: string): Promise<ArmWireObject[]> {
  return (await listWire(() => clients.resources(subscriptionId).resourceGroups.list())) as ArmWireObject[];
}
