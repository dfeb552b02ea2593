import type { AzureClients } from "@/lib/azure/clients";
import { getWire, listWire } from "@/lib/azure/wire";
import { parseScope } from "@/lib/model/scope";
import type { ArmWireObject } from "@/lib/model/wire";

/** AKS managed clusters of a subscription, full GET shape (identity, identityProfile, addonProfiles...). */
export async function listManagedClusters(clients: AzureClients, subscriptionId: string): Promise<ArmWireObject[]> {
  return (await listWire(() => clients.containerService(subscriptionId).managedClusters.list())) as ArmWireObject[];
}

/**
 * The cluster-user kubeconfig YAML (ARM `listClusterUserCredential`: base64 in
 * `kubeconfigs[].value`). For Entra-enabled clusters it names an exec plugin (kubelogin)
 * rather than a token; lib/kubernetes/kubeconfig.ts replaces that with a token from the
 * scan's own credential.
 */
export async function getClusterUserKubeconfig(clients: AzureClients, clusterId: string): Promise<string> {
  const scope = parseScope(clusterId);
  if (!scope.subscriptionId || !scope.resourceGroup || !scope.resourceName) {
    throw new Error(`not a managedClusters id: ${clusterId}`);
  }
  const { subscriptionId, resourceGroup, resourceName } = scope;
  const body = await getWire(() => clients.containerService(subscriptionId).managedClusters.listClusterUserCredentials(resourceGroup, resourceName));
  const kubeconfigs = body.kubeconfigs;
  if (!Array.isArray(kubeconfigs) || kubeconfigs.length === 0) {
    throw new Error(`listClusterUserCredential for ${clusterId} returned no kubeconfig`);
  }
  const first = kubeconfigs[0] as { value?: unknown };
  if (typeof first.value !== "string" || first.value === "") {
    throw new Error(`listClusterUserCredential for ${clusterId} returned a kubeconfig without a value`);
  }
  return Buffer.from(first.value, "base64").toString("utf8");
}
