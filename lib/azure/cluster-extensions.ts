import type { AzureClients } from "@/lib/azure/clients";
import { listArmPages } from "@/lib/azure/arm-get";
import { errorCode } from "@/lib/model/source-error";
import type { ArmWireObject } from "@/lib/model/wire";

export const clusterExtensionsApiVersion = "2024-11-01";

/**
 * The extensions of one cluster (`GET {clusterId}/providers/Microsoft.KubernetesConfiguration/
 * extensions`, paged), in their GET shape. A subscription that never registered the
 * Microsoft.KubernetesConfiguration provider answers MissingSubscriptionRegistration: it can
 * hold no extension, so that is an empty list, not a failure.
 */
export async function listClusterExtensions(clients: AzureClients, clusterId: string): Promise<ArmWireObject[]> {
  try {
    return await listArmPages(clients, `${clients.armEndpoint}${clusterId}/providers/Microsoft.KubernetesConfiguration/extensions?api-version=${clusterExtensionsApiVersion}`);
  } catch (error) {
    if (errorCode(error) === "MissingSubscriptionRegistration") return [];
    throw error;
  }
}
