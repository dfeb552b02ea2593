import type { AzureClients } from "@/lib/azure/clients";
import { listWire } from "@/lib/azure/wire";
import { parseScope } from "@/lib/model/scope";
import type { ArmWireObject } from "@/lib/model/wire";

/** User-assigned managed identities of a subscription, full GET shape (clientId, principalId). */
export async function listUserAssignedIdentities(clients: AzureClients, subscriptionId: string): Promise<ArmWireObject[]> {
  return (await listWire(() => clients.msi(subscriptionId).userAssignedIdentities.listBySubscription())) as ArmWireObject[];
}

/** Federated identity credentials of one user-assigned identity (issuer, subject, audiences). */
export async function listFederatedCredentials(clients: AzureClients, identityId: string): Promise<ArmWireObject[]> {
  const scope = parseScope(identityId);
  if (!scope.subscriptionId || !scope.resourceGroup || !scope.resourceName) {
    throw new Error(`not a userAssignedIdentities id: ${identityId}`);
  }
  const { subscriptionId, resourceGroup, resourceName } = scope;
  return (await listWire(() => clients.msi(subscriptionId).federatedIdentityCredentials.list(resourceGroup, resourceName))) as ArmWireObject[];
}
